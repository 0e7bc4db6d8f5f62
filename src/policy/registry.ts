// The policy packs the product knows, and the choice of pack for an assessment: by id, or the one in force on
// a date (a case is evaluated under the pack in force when it was opened).
import { evaluate, parseAssessmentInput } from './engine.js';
import { PolicyInputError, listAllowed, showValue } from './errors.js';
import { bj2020 } from './packs/bj-2020.js';
import type { AssessmentResult, PolicyPack } from './types.js';

export const DEFAULT_POLICY_ID = 'bj-2020';

const PACKS: readonly PolicyPack[] = Object.freeze([bj2020]);

export function listPacks(): readonly PolicyPack[] {
  return PACKS;
}

export function getPack(id: string): PolicyPack {
  const pack = PACKS.find((p) => p.id === id);
  if (pack) return pack;
  const allowed = PACKS.map((p) => p.id);
  throw new PolicyInputError(
    'UNKNOWN_POLICY',
    'policy',
    allowed,
    `未知的政策“${id}”，可选：${listAllowed(allowed, '、')}`,
    `Unknown policy "${id}"; allowed: ${listAllowed(allowed, ', ')}`,
  );
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function badDate(date: unknown): PolicyInputError {
  return new PolicyInputError(
    'INVALID_INPUT',
    'date',
    [],
    `日期${showValue(date instanceof Date ? String(date) : date)}无效，应为 YYYY-MM-DD 或 ISO 8601 时间`,
    `Invalid date ${showValue(date instanceof Date ? String(date) : date)}; expected YYYY-MM-DD or an ISO 8601 time`,
  );
}

/**
 * The calendar date (YYYY-MM-DD) of `date` in `timeZone`. A bare date is taken as it is; an instant is
 * read on the pack's own calendar, so 00:30 in Beijing on the effective day is already in force there.
 */
function calendarDate(date: string | Date, timeZone: string | undefined): string {
  if (typeof date === 'string') {
    const m = ISO_DATE.exec(date);
    if (m) {
      const check = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
      if (check.toISOString().slice(0, 10) !== date) throw badDate(date);
      return date;
    }
  }
  const instant = typeof date === 'string' ? new Date(date) : date;
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw badDate(date);
  const zone = timeZone ?? 'UTC';
  let formatter = formatters.get(zone);
  if (!formatter) {
    // en-CA formats as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(zone, formatter);
  }
  return formatter.format(instant);
}

/** Whether `pack` is in force on `date` (effectiveFrom inclusive, effectiveTo exclusive). */
export function isInForce(pack: PolicyPack, date: string | Date): boolean {
  const day = calendarDate(date, pack.timeZone);
  return pack.effectiveFrom <= day && (pack.effectiveTo === undefined || day < pack.effectiveTo);
}

/**
 * The pack in force on `date`: of those in force, the one with the latest effectiveFrom (the later in the list
 * on a tie). Pass `packs` to choose among other packs, e.g. one jurisdiction's.
 */
export function packFor(date: string | Date, packs: readonly PolicyPack[] = PACKS): PolicyPack {
  let chosen: PolicyPack | undefined;
  for (const pack of packs) {
    if (isInForce(pack, date) && (!chosen || pack.effectiveFrom >= chosen.effectiveFrom)) chosen = pack;
  }
  if (chosen) return chosen;
  const allowed = packs.map((p) => p.id);
  const day = calendarDate(date, packs[0]?.timeZone);
  const spans = packs.map((p) => `${p.id}：${p.effectiveFrom}起${p.effectiveTo ? `至${p.effectiveTo}前` : ''}`);
  throw new PolicyInputError(
    'NO_POLICY_IN_FORCE',
    'date',
    allowed,
    `${day}没有施行中的政策（${spans.join('；')}）`,
    `No policy was in force on ${day} (${packs.map((p) => `${p.id}: from ${p.effectiveFrom}${p.effectiveTo ? ` until ${p.effectiveTo}` : ''}`).join('; ')})`,
  );
}

export interface AssessOptions {
  /** The policy id asked for outside the input (e.g. `--policy`); must agree with the input's own. */
  policy?: string;
  /** The date whose pack applies when no policy is named; now by default. */
  today?: Date;
}

/**
 * One assessment from raw JSON (already parsed): chooses the pack (the input's `policy`, else opts.policy,
 * else the pack in force today), validates strictly and evaluates. Throws PolicyInputError on bad input.
 */
export function assess(raw: unknown, opts: AssessOptions = {}): AssessmentResult {
  const named =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>)['policy'] : undefined;
  if (named !== undefined && typeof named !== 'string') {
    const allowed = PACKS.map((p) => p.id);
    throw new PolicyInputError(
      'INVALID_INPUT',
      'policy',
      allowed,
      `政策“policy”必须是字符串，实际为${showValue(named)}，可选：${listAllowed(allowed, '、')}`,
      `"policy" must be a string, got ${showValue(named)}; allowed: ${listAllowed(allowed, ', ')}`,
    );
  }
  if (named !== undefined && opts.policy !== undefined && named !== opts.policy) {
    throw new PolicyInputError(
      'INVALID_INPUT',
      'policy',
      [opts.policy],
      `输入中的政策“${named}”与指定的政策“${opts.policy}”不一致`,
      `The input's policy "${named}" differs from the policy asked for, "${opts.policy}"`,
    );
  }
  const id = named ?? opts.policy;
  const pack = id !== undefined ? getPack(id) : packFor(opts.today ?? new Date());
  return evaluate(pack, parseAssessmentInput(pack, raw));
}
