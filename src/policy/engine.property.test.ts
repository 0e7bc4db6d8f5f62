import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryAssessment } from '../../bench/engine.js';
import { evaluateHandcoded } from '../../bench/engine-handcoded.js';
import { evaluate, parseAssessmentInput } from './engine.js';
import { bj2020 } from './packs/bj-2020.js';
import { assess } from './registry.js';
import type { AssessmentInput, AssessmentResult, Recommendation } from './types.js';

const RUNS = { numRuns: 1000 };
const LENIENCY: Record<Recommendation, number> = { exempt: 0, reduced: 1, not_tolerated: 2 };
const inputs = arbitraryAssessment(bj2020);
const run = (input: AssessmentInput) => evaluate(bj2020, parseAssessmentInput(bj2020, input));

const SITUATIONS = bj2020.situations.map((s) => s.id);
const EXCLUSIONS = bj2020.exclusions.map((e) => e.id);
const FACTORS = bj2020.factors.map((f) => f.id);
const MISSING_ORDER = [...EXCLUSIONS.map((id) => `exclusions.${id}`), ...FACTORS.map((id) => `factors.${id}`)];

function expectInOrder(list: readonly string[], order: readonly string[]) {
  const positions = list.map((id) => order.indexOf(id));
  expect(positions.every((p) => p >= 0), `${list.join(',')} has ids outside the table`).toBe(true);
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
  expect(new Set(list).size).toBe(list.length);
}

const disjoint = (a: readonly string[], b: readonly string[]) => a.every((x) => !b.includes(x));
const subset = (a: readonly string[], b: readonly string[]) => a.every((x) => b.includes(x));

/** An input and one factor value that points the unfavourable way, where the factor is now unknown or favourable. */
type Worsened = { input: AssessmentInput; change: readonly [string, string] | undefined };
const worsened = inputs.chain((input): fc.Arbitrary<Worsened> => {
  const candidates = bj2020.factors.flatMap((factor) => {
    const current = input.factors?.[factor.id] ?? null;
    const currentPole = factor.values.find((v) => v.id === current)?.pole;
    if (currentPole === 'unfavourable') return [];
    return factor.values.filter((v) => v.pole === 'unfavourable').map((v) => [factor.id, v.id] as const);
  });
  return candidates.length === 0 ? fc.constant({ input, change: undefined }) : fc.constantFrom(...candidates).map((change) => ({ input, change }));
});

describe('engine properties over random valid inputs', () => {
  it('a true exclusion always wins, bindingly', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const r = run(input);
        if (EXCLUSIONS.some((id) => input.exclusions?.[id] === true)) {
          expect(r).toMatchObject({ recommendation: 'not_tolerated', binding: true });
          expect(r.trace.every((t) => t.step === 'art10')).toBe(true);
        }
        if (input.situations.length === 0) expect(r).toMatchObject({ recommendation: 'not_tolerated', binding: true });
        expect(r.binding).toBe(r.excludedBy.length > 0 || r.situations.length === 0);
      }),
      RUNS,
    );
  });

  it('an unfavourable value never makes the recommendation more lenient', () => {
    fc.assert(
      fc.property(worsened, ({ input, change }) => {
        if (!change) return;
        const [factor, value] = change;
        const before = run(input);
        const after = run({ ...input, factors: { ...input.factors, [factor]: value } });
        expect(LENIENCY[after.recommendation]).toBeGreaterThanOrEqual(LENIENCY[before.recommendation]);
      }),
      RUNS,
    );
  });

  it('settling an unknown exclusion as false never changes the recommendation', () => {
    fc.assert(
      fc.property(inputs, fc.constantFrom(...EXCLUSIONS), (input, id) => {
        const value = input.exclusions?.[id];
        fc.pre(value === undefined || value === null);
        const settled = run({ ...input, exclusions: { ...input.exclusions, [id]: false } });
        expect(settled.recommendation).toBe(run(input).recommendation);
        expect(settled.missing).not.toContain(`exclusions.${id}`);
      }),
      RUNS,
    );
  });

  it('keeps every array in table order, and the lists consistent with each other', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const r: AssessmentResult = run(input);
        expectInOrder(r.situations, SITUATIONS);
        expectInOrder(r.excludedBy, EXCLUSIONS);
        expectInOrder(r.missing, MISSING_ORDER);
        for (const list of [r.favourable, r.unfavourable, r.decisive, r.offset]) expectInOrder(list, FACTORS);
        expect(disjoint(r.favourable, r.unfavourable)).toBe(true);
        expect(subset(r.decisive, r.unfavourable)).toBe(true);
        expect(subset(r.offset, r.unfavourable)).toBe(true);
        expect(disjoint(r.offset, r.decisive)).toBe(true);
        expect(disjoint([...r.favourable, ...r.unfavourable].map((id) => `factors.${id}`), r.missing)).toBe(true);
        expect(r.warnings.map((w) => w.code)).toEqual(
          ['overall-beneficial-contradiction', 'thin-basis'].filter((c) => r.warnings.some((w) => w.code === c)),
        );
        if (r.warnings.some((w) => w.code === 'thin-basis')) expect(r.recommendation).toBe('exempt');
      }),
      RUNS,
    );
  });

  it('is complete exactly when nothing is missing', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const r = run(input);
        expect(r.complete).toBe(r.missing.length === 0);
      }),
      RUNS,
    );
  });

  it('explains every result: the trace ends with the step that decided', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const r = run(input);
        const last = r.trace.at(-1)!;
        expect(r.trace.length).toBeGreaterThan(0);
        if (r.excludedBy.length > 0) expect(last.step).toBe('art10');
        else if (r.situations.length === 0) expect(last.effect).toBe('not_eligible');
        else if (r.decisive.length > 0) expect(last.step).toBe('art9-decisive');
        else if (last.effect === 'capped_by_motive') expect(r.recommendation).toBe('reduced');
        else expect(last).toMatchObject({ step: 'art9-count', effect: r.recommendation });
        for (const entry of r.trace) expect(entry.note.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  it('equals the hand-coded bj-2020 function', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        expect(evaluate(bj2020, input)).toStrictEqual(evaluateHandcoded(input));
      }),
      RUNS,
    );
  });

  it('gives the same result from raw JSON (assess), parsed or unparsed input', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const expected = evaluate(bj2020, input);
        expect(run(input)).toEqual(expected);
        expect(assess(JSON.parse(JSON.stringify(input)))).toEqual(expected);
        expect(parseAssessmentInput(bj2020, parseAssessmentInput(bj2020, input))).toEqual(parseAssessmentInput(bj2020, input));
      }),
      RUNS,
    );
  });
});
