// Turns a policy pack into lookup tables once (cached per pack object), checking on the way that the pack is
// consistent, so the evaluator's hot path is array walks and map look-ups, and a broken pack fails loudly at
// its first use instead of giving quiet wrong advice.
import type { AllowedValue } from './errors.js';
import type {
  Contradiction,
  Exclusion,
  Factor,
  FactorValue,
  OffsetReason,
  Outcome,
  PolicyPack,
  Recommendation,
  Situation,
} from './types.js';

export interface CompiledValue {
  readonly id: string;
  readonly value: FactorValue;
  readonly favourable: boolean;
  readonly decisive: boolean;
  /** Trace note for a decisive value. */
  readonly decisiveNote: string;
}

export interface CompiledFactor {
  readonly id: string;
  /** `factors.<id>`, as listed in `missing` and error keys. */
  readonly key: string;
  readonly factor: Factor;
  readonly values: ReadonlyMap<string, CompiledValue>;
  /** Index into `groups`, or -1. */
  readonly group: number;
  readonly dimension: number;
  readonly allowed: readonly AllowedValue[];
}

export interface CompiledGroup {
  readonly id: string;
  readonly members: readonly number[];
}

export interface CompiledOffsetReason {
  readonly reason: OffsetReason;
  /** Group index for `group-favourable`, else -1. */
  readonly group: number;
  /** Factor index and value for `factor-value`, else -1. */
  readonly factor: number;
  readonly value: string;
  readonly note: string;
}

export interface CompiledOffset {
  readonly factor: number;
  readonly value: string;
  readonly reasons: readonly CompiledOffsetReason[];
}

export interface CompiledGoodMotive {
  readonly factor: number;
  readonly value: string;
  readonly note: string;
}

export interface CompiledContradiction {
  readonly contradiction: Contradiction;
  readonly situation: number;
  readonly factor: number;
  readonly value: string;
}

export interface CompiledPack {
  readonly pack: PolicyPack;
  readonly exclusions: readonly (Exclusion & { readonly key: string; readonly note: string })[];
  readonly exclusionIndex: ReadonlyMap<string, number>;
  readonly situations: readonly (Situation & { readonly note: string })[];
  readonly situationIndex: ReadonlyMap<string, number>;
  readonly factors: readonly CompiledFactor[];
  readonly factorIndex: ReadonlyMap<string, number>;
  readonly groups: readonly CompiledGroup[];
  readonly goodMotive: readonly CompiledGoodMotive[];
  /** Sorted by factor, so `offset` comes out in table order. */
  readonly offsets: readonly CompiledOffset[];
  readonly contradictions: readonly CompiledContradiction[];
  readonly dimensionNames: readonly string[];
  readonly notes: {
    readonly notEligible: string;
    readonly cappedByMotive: string;
    /** Count note without the count, e.g. `（不利因素0项：容错免责；…）`. */
    readonly countScale: string;
  };
  readonly labels: Readonly<Record<Recommendation, string>>;
}

const cache = new WeakMap<PolicyPack, CompiledPack>();

/** The pack's lookup tables, built (and the pack checked) on first use. */
export function compilePack(pack: PolicyPack): CompiledPack {
  let compiled = cache.get(pack);
  if (!compiled) {
    compiled = build(pack);
    cache.set(pack, compiled);
  }
  return compiled;
}

/** Checks a pack's internal consistency; throws an Error listing every problem found. */
export function validatePack(pack: PolicyPack): void {
  compilePack(pack);
}

function indexById<T extends { readonly id: string }>(items: readonly T[], what: string, problems: string[]): Map<string, number> {
  const index = new Map<string, number>();
  items.forEach((item, i) => {
    if (index.has(item.id)) problems.push(`duplicate ${what} id "${item.id}"`);
    else index.set(item.id, i);
  });
  return index;
}

function outcomeLabel(outcomes: PolicyPack['outcomes'], id: Recommendation, problems: string[]): string {
  const outcome: Outcome | undefined = outcomes[id];
  if (!outcome || outcome.id !== id) {
    problems.push(`outcome "${id}" is missing or mislabelled`);
    return id;
  }
  return outcome.label;
}

function countRange(from: number, to: number | undefined): string {
  if (to === undefined) return `${from}项及以上`;
  return from === to ? `${from}项` : `${from}至${to}项`;
}

function build(pack: PolicyPack): CompiledPack {
  const problems: string[] = [];
  const labels: Record<Recommendation, string> = {
    exempt: outcomeLabel(pack.outcomes, 'exempt', problems),
    reduced: outcomeLabel(pack.outcomes, 'reduced', problems),
    not_tolerated: outcomeLabel(pack.outcomes, 'not_tolerated', problems),
  };

  const exclusionIndex = indexById(pack.exclusions, 'exclusion', problems);
  const situationIndex = indexById(pack.situations, 'situation', problems);
  const dimensionIndex = indexById(pack.dimensions, 'dimension', problems);
  const factorIndex = indexById(pack.factors, 'factor', problems);
  const groupIndex = indexById(pack.groups, 'group', problems);

  const memberOf = new Map<string, number>();
  pack.groups.forEach((group, g) => {
    if (group.members.length < 2) problems.push(`group "${group.id}" needs at least two members`);
    for (const member of group.members) {
      if (!factorIndex.has(member)) problems.push(`group "${group.id}" names unknown factor "${member}"`);
      else if (memberOf.has(member)) problems.push(`factor "${member}" is in more than one group`);
      else memberOf.set(member, g);
    }
  });

  const factors: CompiledFactor[] = pack.factors.map((factor) => {
    const dot = factor.id.indexOf('.');
    if (dot <= 0 || factor.id.slice(0, dot) !== factor.dimension) {
      problems.push(`factor "${factor.id}" must start with its dimension "${factor.dimension}."`);
    }
    const dimension = dimensionIndex.get(factor.dimension);
    if (dimension === undefined) problems.push(`factor "${factor.id}" names unknown dimension "${factor.dimension}"`);
    if (factor.values.length < 2) problems.push(`factor "${factor.id}" needs at least two values`);
    if (factor.values[0]?.pole !== 'favourable') problems.push(`factor "${factor.id}": the first value must be favourable`);
    const group = memberOf.get(factor.id) ?? -1;
    const values = new Map<string, CompiledValue>();
    for (const value of factor.values) {
      if (values.has(value.id)) problems.push(`factor "${factor.id}" repeats value "${value.id}"`);
      if (value.decisive && value.pole !== 'unfavourable') problems.push(`${factor.id}=${value.id}: only unfavourable values can be decisive`);
      // A group decides by its members' poles; a decisive member would make "counts once" ambiguous.
      if (value.decisive && group >= 0) problems.push(`${factor.id}=${value.id}: a group member cannot be decisive`);
      const decisiveNote = value.basis
        ? `“${value.words}”属于${value.basis.article}所指“${value.basis.text}”，指引建议${labels.not_tolerated}（指引不具约束力）`
        : `“${value.words}”是决定性的不利因素，指引建议${labels.not_tolerated}（指引不具约束力）`;
      values.set(value.id, {
        id: value.id,
        value,
        favourable: value.pole === 'favourable',
        decisive: value.decisive,
        decisiveNote,
      });
    }
    return {
      id: factor.id,
      key: `factors.${factor.id}`,
      factor,
      values,
      group,
      dimension: dimension ?? -1,
      allowed: [...factor.values.map((v) => v.id), null],
    };
  });

  const groups: CompiledGroup[] = pack.groups.map((group) => ({
    id: group.id,
    members: group.members.map((m) => factorIndex.get(m) ?? -1),
  }));

  const factorValue = (where: string, factorId: string, valueId: string): [number, CompiledValue | undefined] => {
    const f = factorIndex.get(factorId);
    const value = f === undefined ? undefined : factors[f]?.values.get(valueId);
    if (f === undefined || !value) problems.push(`${where} names unknown ${factorId}=${valueId}`);
    return [f ?? -1, value];
  };

  const goodMotive: CompiledGoodMotive[] = pack.goodMotive.anyOf.map(({ factor, value }) => {
    const [f, compiled] = factorValue('goodMotive', factor, value);
    if (compiled && !compiled.favourable) problems.push(`goodMotive: ${factor}=${value} is not favourable`);
    return {
      factor: f,
      value,
      note: `已认定动机端正（“${compiled?.value.words ?? value}”，${pack.goodMotive.article}：“${pack.goodMotive.text}”），可以适用抵消规则`,
    };
  });

  // What makes a group favourable, in words: its members' favourable values.
  const groupWords = (g: number): string =>
    (groups[g]?.members ?? []).map((m) => factors[m]?.factor.values[0]?.words ?? '').join('或者');

  const offsets: CompiledOffset[] = pack.offsets.map((rule) => {
    const [f, target] = factorValue('offset', rule.factor, rule.value);
    if (target?.decisive) problems.push(`offset ${rule.factor}=${rule.value}: decisive values are never offset`);
    if (target?.favourable) problems.push(`offset ${rule.factor}=${rule.value}: only unfavourable values can be offset`);
    if (f >= 0 && memberOf.has(rule.factor)) problems.push(`offset ${rule.factor}: group members cannot be offset`);
    if (rule.reasons.length === 0) problems.push(`offset ${rule.factor}=${rule.value} has no reason`);
    const reasons = rule.reasons.map((reason): CompiledOffsetReason => {
      let group = -1;
      let factor = -1;
      let value = '';
      let because = '';
      if (reason.when.kind === 'group-favourable') {
        group = groupIndex.get(reason.when.group) ?? -1;
        if (group < 0) problems.push(`offset ${rule.factor}=${rule.value} names unknown group "${reason.when.group}"`);
        else because = groupWords(group);
      } else {
        const [cf, cv] = factorValue(`offset ${rule.factor}=${rule.value}`, reason.when.factor, reason.when.value);
        factor = cf;
        value = reason.when.value;
        because = cv?.value.words ?? value;
      }
      return {
        reason,
        group,
        factor,
        value,
        note: `动机端正且${because}，“${target?.value.words ?? rule.value}”不计入不利因素`,
      };
    });
    return { factor: f, value: rule.value, reasons };
  });
  offsets.sort((a, b) => a.factor - b.factor);

  const contradictions: CompiledContradiction[] = pack.contradictions.map((contradiction) => {
    const situation = situationIndex.get(contradiction.situation);
    if (situation === undefined) problems.push(`contradiction names unknown situation "${contradiction.situation}"`);
    const [factor] = factorValue('contradiction', contradiction.factor, contradiction.value);
    return { contradiction, situation: situation ?? -1, factor, value: contradiction.value };
  });

  const { count, thinBasis } = pack.guidance;
  if (!Number.isInteger(count.exemptAtMost) || count.exemptAtMost < 0 || !Number.isInteger(count.reducedAtMost) || count.reducedAtMost < count.exemptAtMost) {
    problems.push('guidance.count: need integers 0 ≤ exemptAtMost ≤ reducedAtMost');
  }
  if (!Number.isInteger(thinBasis.minDimensions) || thinBasis.minDimensions < 0) problems.push('guidance.thinBasis.minDimensions must be a whole number');

  if (problems.length > 0) throw new Error(`invalid policy pack "${pack.id}": ${problems.join('; ')}`);

  const scale = [`不利因素${countRange(0, count.exemptAtMost)}：${labels.exempt}`];
  if (count.reducedAtMost > count.exemptAtMost) scale.push(`${countRange(count.exemptAtMost + 1, count.reducedAtMost)}：${labels.reduced}`);
  scale.push(`${countRange(count.reducedAtMost + 1, undefined)}：${labels.not_tolerated}`);

  return {
    pack,
    exclusions: pack.exclusions.map((e) => ({
      ...e,
      key: `exclusions.${e.id}`,
      note: `存在${e.article}规定的${labels.not_tolerated}情形，不得作出${labels.exempt}或者${labels.reduced}的决定`,
    })),
    exclusionIndex,
    situations: pack.situations.map((s) => ({ ...s, note: `已认定${s.article}规定的情形，属于可以容错的范围` })),
    situationIndex,
    factors,
    factorIndex,
    groups,
    goodMotive,
    offsets,
    contradictions,
    dimensionNames: pack.dimensions.map((d) => d.name),
    notes: {
      notEligible: `未认定${pack.guidance.situations.article}规定的任何情形，${labels.not_tolerated}`,
      cappedByMotive: `未认定动机端正（${goodMotive
        .map((g) => factors[g.factor]?.values.get(g.value)?.value.words ?? g.value)
        .join('或者')}），不能建议${labels.exempt}，最多建议${labels.reduced}`,
      countScale: `（${scale.join('；')}）`,
    },
    labels,
  };
}
