// How fast the policy engine is, against the same bj-2020 rules written out by hand. The engine interprets a
// pack, so some overhead is expected; the target is to stay within 3× of the hand-coded function.
import fc from 'fast-check';
import { evaluate, parseAssessmentInput } from '../src/policy/engine.js';
import { bj2020 } from '../src/policy/packs/bj-2020.js';
import { assess } from '../src/policy/registry.js';
import type { AssessmentInput, AssessmentResult, PolicyPack } from '../src/policy/types.js';
import { evaluateHandcoded } from './engine-handcoded.js';
import type { BenchRow } from './table.js';

/**
 * Random valid assessments for `pack`. Weighted towards favourable and ordinary values so that the counting
 * steps are reached often, not only the decisive and binding ones.
 */
export function arbitraryAssessment(pack: PolicyPack): fc.Arbitrary<AssessmentInput> {
  const exclusion = fc.oneof(
    { arbitrary: fc.constant(false), weight: 6 },
    { arbitrary: fc.constant(null), weight: 3 },
    { arbitrary: fc.constant(true), weight: 1 },
  );
  const exclusions = fc.record(Object.fromEntries(pack.exclusions.map((e) => [e.id, exclusion])), { requiredKeys: [] });
  const factors = fc.record(
    Object.fromEntries(
      pack.factors.map((factor) => {
        const favourable = factor.values.filter((v) => v.pole === 'favourable').map((v) => v.id);
        const ordinary = factor.values.filter((v) => v.pole === 'unfavourable' && !v.decisive).map((v) => v.id);
        const decisive = factor.values.filter((v) => v.decisive).map((v) => v.id);
        const choices: fc.WeightedArbitrary<string | null>[] = [
          { arbitrary: fc.constant(null), weight: 3 },
          { arbitrary: fc.constantFrom(...favourable), weight: 5 },
        ];
        if (ordinary.length > 0) choices.push({ arbitrary: fc.constantFrom(...ordinary), weight: 2 });
        if (decisive.length > 0) choices.push({ arbitrary: fc.constantFrom(...decisive), weight: 1 });
        return [factor.id, fc.oneof(...choices)];
      }),
    ),
    { requiredKeys: [] },
  );
  return fc.record(
    {
      policy: fc.constant(pack.id),
      situations: fc.shuffledSubarray(pack.situations.map((s) => s.id)),
      exclusions,
      factors,
    },
    { requiredKeys: ['situations'] },
  );
}

/** ~1000 varied bj-2020 inputs, the same on every run (fixed seed). */
export function benchInputs(count = 1000): AssessmentInput[] {
  return fc.sample(arbitraryAssessment(bj2020), { numRuns: count, seed: 20200628 });
}

// Written to, so the optimizer cannot drop the work being timed.
let sink = 0;

function rate<T>(items: readonly T[], run: (item: T) => AssessmentResult, durationMs: number): number {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    // Check the clock once per pass over the inputs, not per call.
    for (const item of items) sink += run(item).trace.length;
    calls += items.length;
    elapsed = performance.now() - start;
  } while (elapsed < durationMs);
  return (calls * 1000) / elapsed;
}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface BenchEngineOptions {
  /** Measuring time per figure, after warm-up. */
  durationMs?: number;
  warmupMs?: number;
  inputs?: number;
}

export async function benchEngine(options: BenchEngineOptions = {}): Promise<BenchRow[]> {
  const durationMs = options.durationMs ?? 1500;
  const warmupMs = options.warmupMs ?? 300;
  const inputs = benchInputs(options.inputs ?? 1000);
  const parsed = inputs.map((input) => parseAssessmentInput(bj2020, input));
  // What arrives from the CLI or HTTP: plain objects fresh from JSON.parse.
  const raw: unknown[] = inputs.map((input) => JSON.parse(JSON.stringify(input)));

  const runEngine = (input: AssessmentInput) => evaluate(bj2020, input);
  const runHandcoded = (input: AssessmentInput) => evaluateHandcoded(input);
  const runAssess = (input: unknown) => assess(input);

  rate(parsed, runEngine, warmupMs);
  rate(parsed, runHandcoded, warmupMs);
  rate(raw, runAssess, warmupMs);
  await pause();
  const handcoded = rate(parsed, runHandcoded, durationMs);
  await pause();
  const engine = rate(parsed, runEngine, durationMs);
  await pause();
  const assessed = rate(raw, runAssess, durationMs);
  if (sink < 0) console.log(sink);

  const target = 1 / 3;
  return [
    {
      figure: 'engine evaluations/s',
      value: engine,
      unit: 'evals/s',
      limit: handcoded,
      limitLabel: 'hand-coded',
      ratio: engine / handcoded,
      target: '≥ 0.33 (within 3× of hand-coded)',
      pass: engine / handcoded >= target,
    },
    {
      figure: 'engine assess (validate + evaluate)/s',
      value: assessed,
      unit: 'evals/s',
      limit: handcoded,
      limitLabel: 'hand-coded',
      ratio: assessed / handcoded,
    },
    { figure: 'hand-coded evaluations/s', value: handcoded, unit: 'evals/s' },
  ];
}
