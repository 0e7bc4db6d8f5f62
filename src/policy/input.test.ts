import { describe, expect, it } from 'vitest';
import { parseAssessmentInput } from './engine.js';
import { PolicyInputError, type PolicyInputErrorCode } from './errors.js';
import { bj2020 } from './packs/bj-2020.js';
import { assess } from './registry.js';

const SITUATIONS = bj2020.situations.map((s) => s.id);
const EXCLUSIONS = bj2020.exclusions.map((e) => e.id);
const FACTORS = bj2020.factors.map((f) => f.id);

function errorOf(fn: () => unknown): PolicyInputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PolicyInputError) return error;
    throw error;
  }
  throw new Error('expected a PolicyInputError');
}

const parse = (raw: unknown) => errorOf(() => parseAssessmentInput(bj2020, raw));

describe('parseAssessmentInput refuses bad input, naming the key and what is allowed', () => {
  const cases: [string, unknown, PolicyInputErrorCode, string, unknown[]][] = [
    ['null', null, 'INVALID_INPUT', '', []],
    ['an array', [], 'INVALID_INPUT', '', []],
    ['a string', '{"situations":[]}', 'INVALID_INPUT', '', []],
    ['an unknown top-level key', { situations: [], factor: {} }, 'UNKNOWN_KEY', 'factor', ['policy', 'situations', 'exclusions', 'factors']],
    ['a __proto__ key from JSON', JSON.parse('{"situations":[],"__proto__":{}}'), 'UNKNOWN_KEY', '__proto__', ['policy', 'situations', 'exclusions', 'factors']],
    ['another policy', { policy: 'sh-2021', situations: [] }, 'INVALID_INPUT', 'policy', ['bj-2020']],
    ['a policy that is not a string', { policy: 2020, situations: [] }, 'INVALID_INPUT', 'policy', ['bj-2020']],
    ['no situations', { exclusions: {} }, 'MISSING_SITUATIONS', 'situations', SITUATIONS],
    ['situations not an array', { situations: 'reform-pilot' }, 'INVALID_INPUT', 'situations', SITUATIONS],
    ['a situation that is not a string', { situations: ['emergency', 8] }, 'INVALID_INPUT', 'situations[1]', SITUATIONS],
    ['an unknown situation', { situations: ['reform-pilot', 'reform'] }, 'UNKNOWN_SITUATION', 'situations[1]', SITUATIONS],
    ['a repeated situation', { situations: ['emergency', 'major-work', 'emergency'] }, 'DUPLICATE_SITUATION', 'situations[2]', SITUATIONS],
    ['exclusions not an object', { situations: [], exclusions: [] }, 'INVALID_INPUT', 'exclusions', EXCLUSIONS],
    ['exclusions null', { situations: [], exclusions: null }, 'INVALID_INPUT', 'exclusions', EXCLUSIONS],
    ['an unknown exclusion', { situations: [], exclusions: { 'improper-benefits': true } }, 'UNKNOWN_EXCLUSION', 'exclusions.improper-benefits', EXCLUSIONS],
    ['an exclusion that is not true/false/null', { situations: [], exclusions: { 'improper-benefit': 'yes' } }, 'INVALID_EXCLUSION_VALUE', 'exclusions.improper-benefit', [true, false, null]],
    ['an exclusion given as 1', { situations: [], exclusions: { 'no-rectification': 1 } }, 'INVALID_EXCLUSION_VALUE', 'exclusions.no-rectification', [true, false, null]],
    ['factors not an object', { situations: [], factors: 'public' }, 'INVALID_INPUT', 'factors', FACTORS],
    ['an unknown factor', { situations: [], factors: { 'motive.foo': 'public' } }, 'UNKNOWN_FACTOR', 'factors.motive.foo', FACTORS],
    ['a factor without its dimension', { situations: [], factors: { purpose: 'public' } }, 'UNKNOWN_FACTOR', 'factors.purpose', FACTORS],
    ['an unknown factor value', { situations: [], factors: { 'motive.purpose': 'private' } }, 'INVALID_FACTOR_VALUE', 'factors.motive.purpose', ['public', 'private-or-local', null]],
    ['a factor value that is not a string', { situations: [], factors: { 'procedure.urgent': true } }, 'INVALID_FACTOR_VALUE', 'factors.procedure.urgent', ['yes', 'no', null]],
    ['another factor\'s value', { situations: [], factors: { 'consequence.loss': 'public' } }, 'INVALID_FACTOR_VALUE', 'factors.consequence.loss', ['none', 'small', 'some', 'severe', null]],
  ];

  it.each(cases)('%s', (_, raw, code, key, allowed) => {
    const error = parse(raw);
    expect(error).toBeInstanceOf(Error);
    expect({ code: error.code, key: error.key, allowed: error.allowed }).toEqual({ code, key, allowed });
    expect(error.message).toMatch(/[\u4e00-\u9fff]/u);
    expect(error.messageEn).toMatch(/^[\x20-\x7e]+$/u);
  });

  it('words the messages for people, in Chinese and English', () => {
    const unknownFactor = parse({ situations: [], factors: { 'motive.foo': 'x' } });
    expect(unknownFactor.message).toBe(`未知的第九条因素“factors.motive.foo”，可选：${FACTORS.join('、')}`);
    expect(unknownFactor.messageEn).toBe(`Unknown factor "factors.motive.foo"; allowed: ${FACTORS.join(', ')}`);
    expect(parse({ situations: [], factors: { 'motive.purpose': 'x' } }).message).toBe(
      '第九条因素“factors.motive.purpose”的值"x"无效，可选：public、private-or-local、null',
    );
    expect(parse({ situations: ['reform'] }).message).toBe(`未知的第八条情形“situations[0]”："reform"，可选：${SITUATIONS.join('、')}`);
    expect(parse({ situations: [], exclusions: { x: true } }).message).toContain('未知的第十条情形“exclusions.x”');
  });

  it('serializes to {code, key, allowed, message, messageEn}', () => {
    const error = parse({ situations: [], exclusions: { 'improper-benefit': 'yes' } });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'INVALID_EXCLUSION_VALUE',
      key: 'exclusions.improper-benefit',
      allowed: [true, false, null],
      message: error.message,
      messageEn: error.messageEn,
    });
    expect(error.name).toBe('PolicyInputError');
  });

  it('bounds a huge offending value in the message', () => {
    const error = parse({ situations: ['x'.repeat(10_000)] });
    expect(error.message.length).toBeLessThan(300);
  });
});

describe('parseAssessmentInput accepts valid input and normalizes it', () => {
  it('fills every exclusion and factor, null when unknown, and orders the situations', () => {
    const parsed = parseAssessmentInput(bj2020, {
      situations: ['overall-beneficial', 'major-work'],
      exclusions: { 'no-rectification': false, 'improper-benefit': null },
      factors: { 'remedy.result': 'recovered', 'motive.purpose': null },
    });
    expect(parsed).toEqual({
      policy: 'bj-2020',
      situations: ['major-work', 'overall-beneficial'],
      exclusions: { 'political-discipline': null, 'improper-benefit': null, 'grave-consequence': null, 'no-rectification': false },
      factors: Object.fromEntries(FACTORS.map((id) => [id, id === 'remedy.result' ? 'recovered' : null])),
    });
    expect(Object.keys(parsed.exclusions!)).toEqual(EXCLUSIONS);
    expect(Object.keys(parsed.factors!)).toEqual(FACTORS);
  });

  it('accepts the minimal input, its own policy id and an empty situation list', () => {
    expect(parseAssessmentInput(bj2020, { situations: [] }).situations).toEqual([]);
    expect(parseAssessmentInput(bj2020, { policy: 'bj-2020', situations: ['emergency'] }).situations).toEqual(['emergency']);
    expect(parseAssessmentInput(bj2020, { policy: undefined, situations: [] }).policy).toBe('bj-2020');
  });

  it('accepts an object without a prototype', () => {
    const raw = Object.assign(Object.create(null) as object, { situations: ['emergency'] });
    expect(parseAssessmentInput(bj2020, raw).situations).toEqual(['emergency']);
  });
});

describe('assess refuses bad policies', () => {
  it('names the allowed policies for an unknown one', () => {
    const error = errorOf(() => assess({ policy: 'sh-2021', situations: [] }));
    expect(error.toJSON()).toEqual({
      code: 'UNKNOWN_POLICY',
      key: 'policy',
      allowed: ['bj-2020'],
      message: '未知的政策“sh-2021”，可选：bj-2020',
      messageEn: 'Unknown policy "sh-2021"; allowed: bj-2020',
    });
    expect(errorOf(() => assess({ situations: [] }, { policy: 'bj-2019' })).code).toBe('UNKNOWN_POLICY');
  });

  it('refuses an input policy that differs from the one asked for', () => {
    const error = errorOf(() => assess({ policy: 'bj-2020', situations: [] }, { policy: 'bj-2021' }));
    expect({ code: error.code, key: error.key, allowed: error.allowed }).toEqual({ code: 'INVALID_INPUT', key: 'policy', allowed: ['bj-2021'] });
  });

  it('refuses a policy that is not a string', () => {
    const error = errorOf(() => assess({ policy: ['bj-2020'], situations: [] }));
    expect({ code: error.code, key: error.key, allowed: error.allowed }).toEqual({ code: 'INVALID_INPUT', key: 'policy', allowed: ['bj-2020'] });
  });

  it('refuses a date with no policy in force', () => {
    const error = errorOf(() => assess({ situations: [] }, { today: new Date('2020-06-01T00:00:00Z') }));
    expect({ code: error.code, key: error.key, allowed: error.allowed }).toEqual({ code: 'NO_POLICY_IN_FORCE', key: 'date', allowed: ['bj-2020'] });
    expect(error.message).toBe('2020-06-01没有施行中的政策（bj-2020：2020-06-28起）');
  });

  it('refuses non-object input whichever way the pack is chosen', () => {
    expect(errorOf(() => assess('nope')).code).toBe('INVALID_INPUT');
    expect(errorOf(() => assess(null, { policy: 'bj-2020' })).code).toBe('INVALID_INPUT');
  });
});
