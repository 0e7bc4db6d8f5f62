import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/policy/engine.js';
import { bj2020 } from '../src/policy/packs/bj-2020.js';
import { arbitraryAssessment, benchEngine, benchInputs } from './engine.js';
import { evaluateHandcoded } from './engine-handcoded.js';
import { formatTable } from './table.js';

describe('the hand-coded bj-2020 function', () => {
  it('equals the engine, trace included, on random inputs', () => {
    fc.assert(
      fc.property(arbitraryAssessment(bj2020), (input) => {
        expect(evaluateHandcoded(input)).toStrictEqual(evaluate(bj2020, input));
      }),
      { numRuns: 3000 },
    );
  });

  it('equals the engine on every benchmark input', () => {
    const inputs = benchInputs();
    expect(inputs).toHaveLength(1000);
    const differing = inputs.filter((input) => !isDeepStrictEqual(evaluateHandcoded(input), evaluate(bj2020, input)));
    expect(differing).toEqual([]);
    // The benchmark set reaches every step, so the speed figure covers all of them.
    const ends = new Set(inputs.map((input) => evaluate(bj2020, input).trace.at(-1)!.effect));
    expect([...ends].sort()).toEqual(['capped_by_motive', 'exempt', 'not_eligible', 'not_tolerated', 'reduced']);
  });
});

describe('benchEngine', () => {
  it('returns the engine row against the hand-coded rate', async () => {
    const rows = await benchEngine({ durationMs: 30, warmupMs: 10, inputs: 100 });
    expect(rows.map((r) => r.figure)).toEqual(['engine evaluations/s', 'engine assess (validate + evaluate)/s', 'hand-coded evaluations/s']);
    const [engine, , handcoded] = rows;
    expect(engine).toMatchObject({ limit: handcoded!.value, limitLabel: 'hand-coded', target: '≥ 0.33 (within 3× of hand-coded)' });
    expect(engine!.ratio).toBeCloseTo(engine!.value / handcoded!.value);
    expect(engine!.pass).toBe(engine!.ratio! >= 1 / 3);
    const table = formatTable(rows).split('\n');
    expect(table[0]).toMatch(/^figure +\| +value \| limit +\| ratio \| target$/u);
    expect(table).toHaveLength(5);
  });
});
