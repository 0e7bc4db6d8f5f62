// The policy engine: pure functions from (pack, assessment) to a recommendation with its reasons. It knows no
// jurisdiction — every id, article, word and setting comes from the pack — so a new jurisdiction is a new
// data file. Guidance steps 1–7 are those of shared/spec/policy-engine.md.
import { compilePack, type CompiledPack, type CompiledValue } from './compile.js';
import { PolicyInputError, listAllowed, showValue, type AllowedValue } from './errors.js';
import type {
  AssessmentInput,
  AssessmentResult,
  AssessmentWarning,
  ExclusionValue,
  PolicyPack,
  Recommendation,
  TraceEntry,
} from './types.js';

const TOP_LEVEL_KEYS: readonly string[] = ['policy', 'situations', 'exclusions', 'factors'];
const EXCLUSION_VALUES: readonly AllowedValue[] = [true, false, null];
const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

const GROUP_UNKNOWN = 0;
const GROUP_FAVOURABLE = 1;
const GROUP_UNFAVOURABLE = 2;

/**
 * Evaluates one assessment under a pack. The input must already be valid for the pack (see
 * parseAssessmentInput); bad situation ids and bad values are still refused here, unknown keys are not looked at.
 */
export function evaluate(pack: PolicyPack, input: AssessmentInput): AssessmentResult {
  const c = compilePack(pack);
  const exclusionsIn = input.exclusions ?? EMPTY;
  const factorsIn = input.factors ?? EMPTY;
  const missing: string[] = [];

  // Step 1 facts: the exclusions.
  const excludedBy: string[] = [];
  for (const exclusion of c.exclusions) {
    const v = exclusionsIn[exclusion.id];
    if (v === true) excludedBy.push(exclusion.id);
    else if (v === undefined || v === null) missing.push(exclusion.key);
    else if (v !== false) throw invalidExclusionValue(c, exclusion.id, v);
  }

  // Step 2 facts: situations, in table order.
  const situationsIn = input.situations;
  if (!Array.isArray(situationsIn)) checkSituations(c, situationsIn);
  const situations: string[] = [];
  const situationHeld: boolean[] = [];
  for (const situation of c.situations) {
    const held = situationsIn.includes(situation.id);
    situationHeld.push(held);
    if (held) situations.push(situation.id);
  }
  // Anything left over is an unknown or repeated id: find and name it.
  if (situations.length !== situationsIn.length) checkSituations(c, situationsIn);

  // Factor values; unknown ones go to `missing` (step 7).
  const factorCount = c.factors.length;
  const values: (CompiledValue | null)[] = new Array<CompiledValue | null>(factorCount);
  for (let i = 0; i < factorCount; i++) {
    const factor = c.factors[i]!;
    const v = factorsIn[factor.id];
    if (v === undefined || v === null) {
      values[i] = null;
      missing.push(factor.key);
    } else {
      const value = typeof v === 'string' ? factor.values.get(v) : undefined;
      if (!value) throw invalidFactorValue(c, factor.id, v);
      values[i] = value;
    }
  }

  const groupStates = c.groups.map((group) => {
    let anyFavourable = false;
    let allUnfavourable = true;
    for (const member of group.members) {
      const value = values[member];
      if (!value) allUnfavourable = false;
      else if (value.favourable) anyFavourable = true;
    }
    return anyFavourable ? GROUP_FAVOURABLE : allUnfavourable ? GROUP_UNFAVOURABLE : GROUP_UNKNOWN;
  });

  const favourable: string[] = [];
  const unfavourable: string[] = [];
  const decisive: string[] = [];
  for (let i = 0; i < factorCount; i++) {
    const value = values[i];
    if (!value) continue;
    const factor = c.factors[i]!;
    if (factor.group >= 0) {
      // Group members are listed by the group's pole, not their own.
      const state = groupStates[factor.group];
      if (state === GROUP_FAVOURABLE) favourable.push(factor.id);
      else if (state === GROUP_UNFAVOURABLE) unfavourable.push(factor.id);
    } else if (value.favourable) {
      favourable.push(factor.id);
    } else {
      unfavourable.push(factor.id);
      if (value.decisive) decisive.push(factor.id);
    }
  }

  // Step 4 facts: the good motive and what it lets the offsets take out of the count.
  let goodMotive = -1;
  for (let g = 0; g < c.goodMotive.length; g++) {
    const condition = c.goodMotive[g]!;
    if (values[condition.factor]?.id === condition.value) {
      goodMotive = g;
      break;
    }
  }
  const offset: string[] = [];
  const applied: { rule: number; reason: number }[] = [];
  let offsetSet: boolean[] | undefined;
  if (goodMotive >= 0) {
    for (let o = 0; o < c.offsets.length; o++) {
      const rule = c.offsets[o]!;
      const value = values[rule.factor];
      if (!value || value.id !== rule.value || value.decisive) continue;
      for (let r = 0; r < rule.reasons.length; r++) {
        const reason = rule.reasons[r]!;
        const holds =
          reason.group >= 0 ? groupStates[reason.group] === GROUP_FAVOURABLE : values[reason.factor]?.id === reason.value;
        if (holds) {
          offset.push(c.factors[rule.factor]!.id);
          (offsetSet ??= [])[rule.factor] = true;
          applied.push({ rule: o, reason: r });
          break;
        }
      }
    }
  }

  // Step 5: the other unfavourable factors; a group counts once.
  let counted = 0;
  for (let i = 0; i < factorCount; i++) {
    const value = values[i];
    if (!value || value.favourable || value.decisive || c.factors[i]!.group >= 0 || offsetSet?.[i]) continue;
    counted++;
  }
  for (const state of groupStates) if (state === GROUP_UNFAVOURABLE) counted++;

  const { guidance } = c.pack;
  const countRecommendation: Recommendation =
    counted <= guidance.count.exemptAtMost ? 'exempt' : counted <= guidance.count.reducedAtMost ? 'reduced' : 'not_tolerated';

  let recommendation: Recommendation;
  let binding = false;
  let decidedBy: 1 | 2 | 3 | 5;
  let capped = false;
  if (excludedBy.length > 0) {
    recommendation = 'not_tolerated';
    binding = true;
    decidedBy = 1;
  } else if (situations.length === 0) {
    recommendation = 'not_tolerated';
    binding = true;
    decidedBy = 2;
  } else if (decisive.length > 0) {
    recommendation = 'not_tolerated';
    decidedBy = 3;
  } else {
    recommendation = countRecommendation;
    decidedBy = 5;
    // Step 6: exempt rests on the motive.
    if (recommendation === 'exempt' && goodMotive < 0 && guidance.motiveFirst.enabled) {
      recommendation = 'reduced';
      capped = true;
    }
  }

  const warnings: AssessmentWarning[] = [];
  const contradictionsHeld: number[] = [];
  for (let k = 0; k < c.contradictions.length; k++) {
    const contradiction = c.contradictions[k]!;
    if (situationHeld[contradiction.situation] && values[contradiction.factor]?.id === contradiction.value) {
      contradictionsHeld.push(k);
      warnings.push({ code: contradiction.contradiction.code, message: contradiction.contradiction.message });
    }
  }
  if (recommendation === 'exempt') {
    const thin = thinBasisWarning(c, values);
    if (thin) warnings.push(thin);
  }

  const trace: TraceEntry[] = [];
  if (decidedBy === 1) {
    for (const exclusion of c.exclusions) {
      if (exclusionsIn[exclusion.id] !== true) continue;
      trace.push({
        step: guidance.exclusions.step,
        article: exclusion.article,
        text: exclusion.text,
        effect: 'not_tolerated',
        subject: exclusion.id,
        note: exclusion.note,
      });
    }
  } else if (decidedBy === 2) {
    trace.push({
      step: guidance.situations.step,
      article: guidance.situations.article,
      text: guidance.situations.text,
      effect: 'not_eligible',
      note: c.notes.notEligible,
    });
  } else {
    for (let s = 0; s < c.situations.length; s++) {
      if (!situationHeld[s]) continue;
      const situation = c.situations[s]!;
      trace.push({
        step: guidance.situations.step,
        article: situation.article,
        text: situation.text,
        effect: 'eligible',
        subject: situation.id,
        note: situation.note,
      });
    }
    for (const k of contradictionsHeld) {
      const { contradiction } = c.contradictions[k]!;
      trace.push({
        step: guidance.situations.step,
        article: contradiction.article,
        text: contradiction.text,
        effect: 'contradiction',
        subject: contradiction.factor,
        value: contradiction.value,
        note: contradiction.message,
      });
    }
    if (decidedBy === 3) {
      for (let i = 0; i < factorCount; i++) {
        const value = values[i];
        if (!value?.decisive) continue;
        trace.push({
          step: guidance.decisive.step,
          article: value.value.article,
          text: value.value.words,
          effect: 'not_tolerated',
          subject: c.factors[i]!.id,
          value: value.id,
          note: value.decisiveNote,
        });
      }
    } else {
      if (goodMotive >= 0) {
        const condition = c.goodMotive[goodMotive]!;
        trace.push({
          step: guidance.offsets.step,
          article: c.pack.goodMotive.article,
          text: c.pack.goodMotive.text,
          effect: 'good_motive',
          subject: c.factors[condition.factor]!.id,
          value: condition.value,
          note: condition.note,
        });
      }
      for (const offsetApplied of applied) {
        const rule = c.offsets[offsetApplied.rule]!;
        const reason = rule.reasons[offsetApplied.reason]!;
        trace.push({
          step: guidance.offsets.step,
          article: reason.reason.article,
          text: reason.reason.text,
          effect: 'offset',
          subject: c.factors[rule.factor]!.id,
          value: rule.value,
          note: reason.note,
        });
      }
      trace.push({
        step: guidance.count.step,
        article: guidance.count.article,
        text: guidance.count.text,
        effect: countRecommendation,
        count: counted,
        note: `共计入${counted}项不利因素，指引建议${c.labels[countRecommendation]}${c.notes.countScale}`,
      });
      if (capped) {
        trace.push({
          step: guidance.motiveFirst.step,
          article: guidance.motiveFirst.article,
          text: guidance.motiveFirst.text,
          effect: 'capped_by_motive',
          note: c.notes.cappedByMotive,
        });
      }
    }
  }

  return {
    policy: { id: c.pack.id, version: c.pack.version, title: c.pack.title },
    recommendation,
    binding,
    complete: missing.length === 0,
    missing,
    excludedBy,
    situations,
    favourable,
    unfavourable,
    decisive,
    offset,
    warnings,
    trace,
  };
}

function thinBasisWarning(c: CompiledPack, values: readonly (CompiledValue | null)[]): AssessmentWarning | undefined {
  const { minDimensions, code } = c.pack.guidance.thinBasis;
  const established: boolean[] = [];
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (!values[i]) continue;
    const dimension = c.factors[i]!.dimension;
    if (!established[dimension]) {
      established[dimension] = true;
      count++;
    }
  }
  if (count >= minDimensions) return undefined;
  const names = c.dimensionNames.filter((_, d) => established[d]);
  return {
    code,
    message:
      `指引建议${c.labels.exempt}，但只有${count}个考察方面（共${c.dimensionNames.length}个）有已认定的因素` +
      `${names.length > 0 ? `（${names.join('、')}）` : ''}，少于${minDimensions}个，依据不足，请补充认定`,
  };
}

// ---- input validation ----

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function invalidInput(key: string, allowed: readonly AllowedValue[], message: string, messageEn: string): PolicyInputError {
  return new PolicyInputError('INVALID_INPUT', key, allowed, message, messageEn);
}

function invalidExclusionValue(c: CompiledPack, id: string, value: unknown): PolicyInputError {
  const key = `exclusions.${id}`;
  return new PolicyInputError(
    'INVALID_EXCLUSION_VALUE',
    key,
    EXCLUSION_VALUES,
    `${c.pack.nouns.exclusion}“${key}”的值${showValue(value)}无效，可选：true、false、null`,
    `Invalid value ${showValue(value)} for exclusion "${key}"; allowed: true, false, null`,
  );
}

function invalidFactorValue(c: CompiledPack, id: string, value: unknown): PolicyInputError {
  const factor = c.factors[c.factorIndex.get(id) ?? -1];
  const allowed = factor?.allowed ?? [null];
  const key = `factors.${id}`;
  return new PolicyInputError(
    'INVALID_FACTOR_VALUE',
    key,
    allowed,
    `${c.pack.nouns.factor}“${key}”的值${showValue(value)}无效，可选：${listAllowed(allowed, '、')}`,
    `Invalid value ${showValue(value)} for factor "${key}"; allowed: ${listAllowed(allowed, ', ')}`,
  );
}

/** Throws the first problem in a situations array: not an array, a non-string, an unknown or a repeated id. */
function checkSituations(c: CompiledPack, situations: unknown): void {
  const allowed = c.pack.situations.map((s) => s.id);
  const noun = c.pack.nouns.situation;
  if (!Array.isArray(situations)) {
    throw invalidInput(
      'situations',
      allowed,
      `${noun}“situations”必须是数组（可以为空），可选：${listAllowed(allowed, '、')}`,
      `"situations" must be an array (possibly empty); allowed: ${listAllowed(allowed, ', ')}`,
    );
  }
  const seen = new Set<string>();
  situations.forEach((id: unknown, i) => {
    const key = `situations[${i}]`;
    if (typeof id !== 'string') {
      throw invalidInput(
        key,
        allowed,
        `${noun}“${key}”必须是字符串，实际为${showValue(id)}，可选：${listAllowed(allowed, '、')}`,
        `"${key}" must be a string, got ${showValue(id)}; allowed: ${listAllowed(allowed, ', ')}`,
      );
    }
    if (!c.situationIndex.has(id)) {
      throw new PolicyInputError(
        'UNKNOWN_SITUATION',
        key,
        allowed,
        `未知的${noun}“${key}”：${showValue(id)}，可选：${listAllowed(allowed, '、')}`,
        `Unknown situation ${showValue(id)} at "${key}"; allowed: ${listAllowed(allowed, ', ')}`,
      );
    }
    if (seen.has(id)) {
      throw new PolicyInputError(
        'DUPLICATE_SITUATION',
        key,
        allowed,
        `${noun}“${id}”重复出现（${key}）`,
        `Situation "${id}" is listed twice (at "${key}")`,
      );
    }
    seen.add(id);
  });
}

/**
 * Validates raw JSON (already parsed) as an assessment under `pack`, strictly: every unknown key, id or value
 * is an error naming the key and what is allowed. Returns the input normalized: situations in table order,
 * every exclusion and factor present (null when unknown).
 */
export function parseAssessmentInput(pack: PolicyPack, raw: unknown): AssessmentInput {
  const c = compilePack(pack);
  if (!isPlainObject(raw)) {
    throw invalidInput('', [], `评估输入必须是 JSON 对象，实际为${showValue(raw)}`, `The assessment must be a JSON object, got ${showValue(raw)}`);
  }
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL_KEYS.includes(key)) {
      throw new PolicyInputError(
        'UNKNOWN_KEY',
        key,
        TOP_LEVEL_KEYS,
        `未知的字段“${key}”，可选：${TOP_LEVEL_KEYS.join('、')}`,
        `Unknown key "${key}"; allowed: ${TOP_LEVEL_KEYS.join(', ')}`,
      );
    }
  }

  // undefined is how JS callers leave a key out; JSON cannot carry it.
  if (raw['policy'] !== undefined && raw['policy'] !== pack.id) {
    const policy = raw['policy'];
    throw invalidInput(
      'policy',
      [pack.id],
      `政策“policy”为${showValue(policy)}，与所用政策“${pack.id}”不一致`,
      `"policy" is ${showValue(policy)}, which does not match the policy in use "${pack.id}"`,
    );
  }

  if (!Object.hasOwn(raw, 'situations')) {
    const allowed = pack.situations.map((s) => s.id);
    throw new PolicyInputError(
      'MISSING_SITUATIONS',
      'situations',
      allowed,
      `缺少${pack.nouns.situation}“situations”（没有认定任何情形时填空数组），可选：${listAllowed(allowed, '、')}`,
      `"situations" is required (an empty array when none is established); allowed: ${listAllowed(allowed, ', ')}`,
    );
  }
  const situationsIn = raw['situations'];
  checkSituations(c, situationsIn);
  const held = new Set(situationsIn as string[]);
  const situations = pack.situations.filter((s) => held.has(s.id)).map((s) => s.id);

  const exclusions: Record<string, ExclusionValue> = {};
  const exclusionsIn = Object.hasOwn(raw, 'exclusions') ? raw['exclusions'] : {};
  const exclusionIds = pack.exclusions.map((e) => e.id);
  if (!isPlainObject(exclusionsIn)) {
    throw invalidInput(
      'exclusions',
      exclusionIds,
      `${pack.nouns.exclusion}“exclusions”必须是对象，实际为${showValue(exclusionsIn)}`,
      `"exclusions" must be an object, got ${showValue(exclusionsIn)}`,
    );
  }
  for (const [id, value] of Object.entries(exclusionsIn)) {
    if (!c.exclusionIndex.has(id)) {
      const key = `exclusions.${id}`;
      throw new PolicyInputError(
        'UNKNOWN_EXCLUSION',
        key,
        exclusionIds,
        `未知的${pack.nouns.exclusion}“${key}”，可选：${listAllowed(exclusionIds, '、')}`,
        `Unknown exclusion "${key}"; allowed: ${listAllowed(exclusionIds, ', ')}`,
      );
    }
    if (value !== true && value !== false && value !== null) throw invalidExclusionValue(c, id, value);
  }
  for (const id of exclusionIds) exclusions[id] = Object.hasOwn(exclusionsIn, id) ? (exclusionsIn[id] as ExclusionValue) : null;

  const factors: Record<string, string | null> = {};
  const factorsIn = Object.hasOwn(raw, 'factors') ? raw['factors'] : {};
  const factorIds = pack.factors.map((f) => f.id);
  if (!isPlainObject(factorsIn)) {
    throw invalidInput(
      'factors',
      factorIds,
      `${pack.nouns.factor}“factors”必须是对象，实际为${showValue(factorsIn)}`,
      `"factors" must be an object, got ${showValue(factorsIn)}`,
    );
  }
  for (const [id, value] of Object.entries(factorsIn)) {
    const index = c.factorIndex.get(id);
    if (index === undefined) {
      const key = `factors.${id}`;
      throw new PolicyInputError(
        'UNKNOWN_FACTOR',
        key,
        factorIds,
        `未知的${pack.nouns.factor}“${key}”，可选：${listAllowed(factorIds, '、')}`,
        `Unknown factor "${key}"; allowed: ${listAllowed(factorIds, ', ')}`,
      );
    }
    if (value !== null && (typeof value !== 'string' || !c.factors[index]!.values.has(value))) {
      throw invalidFactorValue(c, id, value);
    }
  }
  for (const id of factorIds) factors[id] = Object.hasOwn(factorsIn, id) ? (factorsIn[id] as string | null) : null;

  return { policy: pack.id, situations, exclusions, factors };
}
