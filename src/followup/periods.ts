/**
 * Penalty effect periods (处分期间 / 影响期) as data, each with the text it comes from. A penalty restricts the
 * official (Art. 17 queries) only while its period runs; when it ends a comprehensive assessment falls due
 * (Art. 19(4), R13). Never write these numbers anywhere else: look them up here.
 *
 * Sources: 《中国共产党纪律处分条例》(2023 revision) and 《中华人民共和国公职人员政务处分法》(2020) 第八条
 * (confirmed in shared/spec/jurisdictions.md). Article numbers of the 纪律处分条例 are not cited because they
 * differ between its revisions and we could not check them against the official text; the regulation is named
 * instead. Periods of other measures (诫勉, 组织处理 …) are the organ's setting (table penalty_period_settings);
 * DEFAULT_ORGAN_PERIODS are only the commonly cited defaults, marked unconfirmed.
 */

export const PENALTY_SYSTEMS = {
  party: '党纪处分',
  government: '政务处分',
  other: '其他处理',
} as const;
export type PenaltySystem = keyof typeof PENALTY_SYSTEMS;
export const PENALTY_SYSTEM_IDS = Object.keys(PENALTY_SYSTEMS) as PenaltySystem[];

export interface PenaltyPeriod {
  system: PenaltySystem;
  kind: string;
  label: string;
  /** Months the penalty restricts the official, counted from the day it takes effect. */
  months: number;
  /** For 留党察看: the period is the term recorded with the penalty plus `months`. */
  addsTerm?: boolean;
  source: string;
}

const PARTY = '《中国共产党纪律处分条例》（2023年修订）';
const GOVERNMENT = '《中华人民共和国公职人员政务处分法》第八条';

export const STATUTORY_PERIODS: readonly PenaltyPeriod[] = [
  { system: 'party', kind: 'warning', label: '警告', months: 12, source: `${PARTY}：受到警告处分一年内，不得在党内提升职务和向党外组织推荐担任高于其原任职务的党外职务` },
  { system: 'party', kind: 'serious-warning', label: '严重警告', months: 18, source: `${PARTY}：受到严重警告处分一年半内，不得在党内提升职务和向党外组织推荐担任高于其原任职务的党外职务` },
  { system: 'party', kind: 'removal-from-party-post', label: '撤销党内职务', months: 24, source: `${PARTY}：受到撤销党内职务处分的，二年内不得在党内担任和向党外组织推荐担任与其原任职务相当或者高于其原任职务的职务` },
  {
    system: 'party',
    kind: 'probation',
    label: '留党察看',
    months: 24,
    addsTerm: true,
    source: `${PARTY}：留党察看分为留党察看一年、留党察看二年；留党察看处分期满后二年内，不得在党内担任和向党外组织推荐担任与其原任职务相当或者高于其原任职务的职务`,
  },
  { system: 'party', kind: 'expulsion', label: '开除党籍', months: 60, source: `${PARTY}：受到开除党籍处分的，五年内不得重新入党` },
  { system: 'government', kind: 'warning', label: '警告', months: 6, source: `${GOVERNMENT}：政务处分的期间为：（一）警告，六个月` },
  { system: 'government', kind: 'demerit', label: '记过', months: 12, source: `${GOVERNMENT}：政务处分的期间为：（二）记过，十二个月` },
  { system: 'government', kind: 'major-demerit', label: '记大过', months: 18, source: `${GOVERNMENT}：政务处分的期间为：（三）记大过，十八个月` },
  { system: 'government', kind: 'demotion', label: '降级', months: 24, source: `${GOVERNMENT}：政务处分的期间为：（四）降级、撤职，二十四个月` },
  { system: 'government', kind: 'dismissal', label: '撤职', months: 24, source: `${GOVERNMENT}：政务处分的期间为：（四）降级、撤职，二十四个月` },
];

/** 留党察看 is for one year or two (the term is recorded with the penalty). */
export const PROBATION_TERMS_MONTHS = [12, 24] as const;

/** What an organ has configured for a measure outside the two statutory systems. */
export interface OrganPeriod {
  kind: string;
  label: string;
  months: number;
  source: string;
}

/** Used when the organ has configured nothing for the kind: commonly cited, not checked against a text. */
export const DEFAULT_ORGAN_PERIODS: readonly OrganPeriod[] = [
  { kind: 'admonishment', label: '诫勉', months: 6, source: '机关默认设置（常见做法：诫勉影响期六个月，未经核实，机关可调整）' },
  { kind: 'post-adjustment', label: '调整职务', months: 12, source: '机关默认设置（常见做法：调整职务一年内不得提拔，未经核实，机关可调整）' },
  { kind: 'demotion-in-post', label: '降职', months: 24, source: '机关默认设置（常见做法：降职二年内不得提拔，未经核实，机关可调整）' },
];

export const statutoryKinds = (system: Exclude<PenaltySystem, 'other'>): string[] => STATUTORY_PERIODS.filter((p) => p.system === system).map((p) => p.kind);

export type PeriodResolution =
  | { ok: true; label: string; months: number; source: string }
  | { ok: false; key: 'kind' | 'termMonths'; allowed: readonly (string | number)[] };

/**
 * The effect period of a penalty: the statutory period for party and government penalties (留党察看: its term
 * plus two years), the organ's configured period (else the default) for other measures.
 */
export function resolvePeriod(
  input: { system: PenaltySystem; kind: string; termMonths?: number | null },
  organPeriods: readonly OrganPeriod[] = [],
): PeriodResolution {
  if (input.system === 'other') {
    const configured = organPeriods.find((p) => p.kind === input.kind) ?? DEFAULT_ORGAN_PERIODS.find((p) => p.kind === input.kind);
    if (!configured) {
      const allowed = [...new Set([...organPeriods.map((p) => p.kind), ...DEFAULT_ORGAN_PERIODS.map((p) => p.kind)])];
      return { ok: false, key: 'kind', allowed };
    }
    return { ok: true, label: configured.label, months: configured.months, source: configured.source };
  }
  const period = STATUTORY_PERIODS.find((p) => p.system === input.system && p.kind === input.kind);
  if (!period) return { ok: false, key: 'kind', allowed: statutoryKinds(input.system) };
  if (period.addsTerm) {
    const term = input.termMonths;
    if (term === undefined || term === null || !(PROBATION_TERMS_MONTHS as readonly number[]).includes(term)) {
      return { ok: false, key: 'termMonths', allowed: PROBATION_TERMS_MONTHS };
    }
    return { ok: true, label: `${period.label}${term / 12 === 1 ? '一年' : '二年'}`, months: term + period.months, source: period.source };
  }
  if (input.termMonths !== undefined && input.termMonths !== null) return { ok: false, key: 'termMonths', allowed: [] };
  return { ok: true, label: period.label, months: period.months, source: period.source };
}
