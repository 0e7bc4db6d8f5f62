import { describe, expect, it } from 'vitest';
import { evaluate, parseAssessmentInput } from './engine.js';
import { PolicyInputError } from './errors.js';
import { bj2020 } from './packs/bj-2020.js';
import { DEFAULT_POLICY_ID, assess, getPack, isInForce, listPacks, packFor } from './registry.js';
import type { PolicyPack } from './types.js';

/**
 * A made-up second jurisdiction with its own ids, words, thresholds and settings, to show that the engine
 * and packFor take everything from the pack.
 */
const lakeside: PolicyPack = {
  id: 'lakeside-2031',
  version: '2031-01-01',
  title: 'Lakeside tolerance measures',
  issuer: 'Lakeside council',
  effectiveFrom: '2031-01-01',
  articles: [{ number: 'Art. 1', lead: 'Tolerance may apply when:', items: [{ number: '(a)', text: 'pilot work' }], rest: [], text: 'Tolerance may apply when:\n(a)pilot work' }],
  nouns: { situation: 'situation', exclusion: 'exclusion', factor: 'factor' },
  outcomes: {
    exempt: { id: 'exempt', label: 'EXEMPT', article: 'Art. 9', text: 'exempt' },
    reduced: { id: 'reduced', label: 'REDUCED', article: 'Art. 9', text: 'reduced' },
    not_tolerated: { id: 'not_tolerated', label: 'REFUSED', article: 'Art. 9', text: 'refused' },
  },
  situations: [
    { id: 'pilot', article: 'Art. 1(a)', text: 'pilot work' },
    { id: 'storm', article: 'Art. 1(b)', text: 'storm response' },
  ],
  exclusions: [{ id: 'bribe', article: 'Art. 2(a)', text: 'took a bribe' }],
  dimensions: [
    { id: 'why', name: 'motive', article: 'Art. 3(a)' },
    { id: 'how', name: 'method', article: 'Art. 3(b)' },
  ],
  factors: [
    {
      id: 'why.aim',
      dimension: 'why',
      article: 'Art. 3(a)',
      values: [
        { id: 'good', pole: 'favourable', decisive: false, words: 'for the public', article: 'Art. 3(a)' },
        { id: 'greed', pole: 'unfavourable', decisive: true, words: 'for gain', article: 'Art. 3(a)' },
      ],
    },
    {
      id: 'how.steps',
      dimension: 'how',
      article: 'Art. 3(b)',
      values: [
        { id: 'proper', pole: 'favourable', decisive: false, words: 'by the book', article: 'Art. 3(b)' },
        { id: 'sloppy', pole: 'unfavourable', decisive: false, words: 'cut corners', article: 'Art. 3(b)' },
      ],
    },
    {
      id: 'how.board',
      dimension: 'how',
      article: 'Art. 3(b)',
      values: [
        { id: 'agreed', pole: 'favourable', decisive: false, words: 'board agreed', article: 'Art. 3(b)' },
        { id: 'ignored', pole: 'unfavourable', decisive: false, words: 'board ignored', article: 'Art. 3(b)' },
      ],
    },
    {
      id: 'how.mayor',
      dimension: 'how',
      article: 'Art. 3(b)',
      values: [
        { id: 'agreed', pole: 'favourable', decisive: false, words: 'mayor agreed', article: 'Art. 3(b)' },
        { id: 'ignored', pole: 'unfavourable', decisive: false, words: 'mayor ignored', article: 'Art. 3(b)' },
      ],
    },
    {
      id: 'how.cost',
      dimension: 'how',
      article: 'Art. 3(c)',
      values: [
        { id: 'low', pole: 'favourable', decisive: false, words: 'cheap', article: 'Art. 3(c)' },
        { id: 'high', pole: 'unfavourable', decisive: false, words: 'costly', article: 'Art. 3(c)' },
      ],
    },
  ],
  groups: [{ id: 'how.approval', members: ['how.board', 'how.mayor'], article: 'Art. 3(b)', text: 'approved by board or mayor' }],
  goodMotive: { anyOf: [{ factor: 'why.aim', value: 'good' }], article: 'Art. 4', text: 'honest mistakes' },
  offsets: [
    {
      factor: 'how.steps',
      value: 'sloppy',
      reasons: [{ when: { kind: 'group-favourable', group: 'how.approval' }, article: 'Art. 3(b)', text: 'approved' }],
    },
  ],
  contradictions: [
    { code: 'storm-but-costly', situation: 'storm', factor: 'how.cost', value: 'high', article: 'Art. 1(b)', text: 'storm response', message: 'storm yet costly' },
  ],
  guidance: {
    exclusions: { step: 'L2', article: 'Art. 2', text: 'never tolerated' },
    situations: { step: 'L1', article: 'Art. 1', text: 'Tolerance may apply when' },
    decisive: { step: 'L-decisive', article: 'Art. 4', text: 'gain' },
    offsets: { step: 'L-offset', article: 'Art. 3', text: 'offsets' },
    // No reduced band: one unfavourable factor is still exempt, two are refused.
    count: { step: 'L-count', article: 'Art. 3', text: 'weigh it all', exemptAtMost: 1, reducedAtMost: 1 },
    motiveFirst: { step: 'L-motive', article: 'Art. 3(a)', text: 'motive first', enabled: false },
    thinBasis: { code: 'thin', minDimensions: 2 },
  },
};

describe('the registry', () => {
  it('lists bj-2020 and gets it by id', () => {
    expect(listPacks().map((p) => p.id)).toEqual(['bj-2020']);
    expect(getPack('bj-2020')).toBe(bj2020);
    expect(getPack(DEFAULT_POLICY_ID)).toBe(bj2020);
    expect(() => getPack('lakeside-2031')).toThrow(PolicyInputError);
  });
});

describe('packFor', () => {
  it('refuses dates before 2020-06-28 and gives bj-2020 from then on', () => {
    expect(() => packFor('2020-06-27')).toThrow(expect.objectContaining({ code: 'NO_POLICY_IN_FORCE', key: 'date', allowed: ['bj-2020'] }));
    expect(packFor('2020-06-28')).toBe(bj2020);
    expect(packFor('2020-06-29')).toBe(bj2020);
    expect(packFor('2035-01-01')).toBe(bj2020);
    expect(packFor(new Date('2024-05-01T12:00:00Z'))).toBe(bj2020);
  });

  it('reads an instant on the pack\'s own calendar (Beijing time)', () => {
    expect(packFor(new Date('2020-06-27T16:00:00Z'))).toBe(bj2020); // 00:00 on 28 June in Beijing
    expect(() => packFor(new Date('2020-06-27T15:59:59Z'))).toThrow(PolicyInputError);
    expect(packFor('2020-06-28T00:30:00+08:00')).toBe(bj2020);
    expect(() => packFor('2020-06-28T00:30:00+09:00')).toThrow(PolicyInputError);
  });

  it('refuses dates that are not dates', () => {
    for (const bad of ['2020-02-30', 'tomorrow', '', new Date(Number.NaN)]) {
      expect(() => packFor(bad)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', key: 'date' }));
    }
  });

  it('chooses the latest pack in force among several, whatever their order', () => {
    const bjUntil2031: PolicyPack = { ...bj2020, effectiveTo: '2031-01-01' };
    for (const packs of [
      [bjUntil2031, lakeside],
      [lakeside, bjUntil2031],
    ]) {
      expect(packFor('2030-12-31', packs)).toBe(bjUntil2031);
      expect(packFor('2031-01-01', packs)).toBe(lakeside);
      expect(packFor(new Date('2040-01-01T00:00:00Z'), packs)).toBe(lakeside);
      expect(() => packFor('2020-01-01', packs)).toThrow(expect.objectContaining({ allowed: packs.map((p) => p.id) }));
    }
    // A newer pack wins even while the older one is open-ended.
    expect(packFor('2032-01-01', [bj2020, lakeside])).toBe(lakeside);
  });

  it('honours effectiveTo, leaving gaps uncovered', () => {
    const ended: PolicyPack = { ...bj2020, effectiveTo: '2030-01-01' };
    expect(isInForce(ended, '2029-12-31')).toBe(true);
    expect(isInForce(ended, '2030-01-01')).toBe(false);
    expect(() => packFor('2030-06-01', [ended, lakeside])).toThrow(
      expect.objectContaining({ code: 'NO_POLICY_IN_FORCE', message: expect.stringContaining('bj-2020：2020-06-28起至2030-01-01前') }),
    );
  });
});

describe('assess', () => {
  const input = { situations: ['emergency'], factors: { 'motive.purpose': 'public', 'remedy.result': 'recovered' } };

  it('uses the input\'s policy, the one asked for, or the one in force today', () => {
    const expected = evaluate(bj2020, parseAssessmentInput(bj2020, input));
    expect(assess({ ...input, policy: 'bj-2020' })).toEqual(expected);
    expect(assess(input, { policy: 'bj-2020' })).toEqual(expected);
    expect(assess({ ...input, policy: 'bj-2020' }, { policy: 'bj-2020' })).toEqual(expected);
    expect(assess(input)).toEqual(expected);
    expect(assess(input, { today: new Date('2020-06-28T12:00:00+08:00') })).toEqual(expected);
  });

  it('gives what the CLI prints for the Done-when check', () => {
    const r = assess({ situations: ['reform-pilot'], exclusions: { 'improper-benefit': true } });
    expect(r).toMatchObject({ recommendation: 'not_tolerated', binding: true });
    expect(r.trace[0]).toMatchObject({ article: '第十条第（二）项', text: '为自己或者他人谋取不正当利益的' });
  });
});

describe('a second jurisdiction is only data', () => {
  const run = (raw: unknown) => evaluate(lakeside, parseAssessmentInput(lakeside, raw));

  it('evaluates with its own ids, words, steps and thresholds', () => {
    const one = run({ policy: 'lakeside-2031', situations: ['pilot'], exclusions: { bribe: false }, factors: { 'why.aim': 'good', 'how.cost': 'high' } });
    expect(one).toMatchObject({
      policy: { id: 'lakeside-2031', version: '2031-01-01', title: 'Lakeside tolerance measures' },
      recommendation: 'exempt',
      unfavourable: ['how.cost'],
      missing: ['factors.how.steps', 'factors.how.board', 'factors.how.mayor'],
    });
    expect(one.trace.map((t) => `${t.step}:${t.effect}`)).toEqual(['L1:eligible', 'L-offset:good_motive', 'L-count:exempt']);
    expect(one.trace.at(-1)!.note).toContain('EXEMPT');

    const two = run({ situations: ['pilot'], factors: { 'how.cost': 'high', 'how.board': 'ignored', 'how.mayor': 'ignored' } });
    expect(two.recommendation).toBe('not_tolerated'); // no reduced band, no motive-first cap
    expect(two.trace.at(-1)).toMatchObject({ step: 'L-count', count: 2, effect: 'not_tolerated' });
  });

  it('applies its offsets, groups, decisive values, exclusions and contradictions', () => {
    const offset = run({ situations: ['storm'], factors: { 'why.aim': 'good', 'how.steps': 'sloppy', 'how.mayor': 'agreed', 'how.cost': 'high' } });
    expect(offset).toMatchObject({ offset: ['how.steps'], favourable: ['why.aim', 'how.mayor'], recommendation: 'exempt' });
    expect(offset.warnings).toEqual([{ code: 'storm-but-costly', message: 'storm yet costly' }]);
    expect(offset.trace.find((t) => t.effect === 'offset')).toMatchObject({ step: 'L-offset', article: 'Art. 3(b)', text: 'approved' });

    expect(run({ situations: ['pilot'], factors: { 'why.aim': 'greed' } }).trace.at(-1)).toMatchObject({ step: 'L-decisive', text: 'for gain' });
    const barred = run({ situations: ['pilot'], exclusions: { bribe: true } });
    expect(barred).toMatchObject({ binding: true, excludedBy: ['bribe'] });
    expect(barred.trace).toEqual([
      { step: 'L2', article: 'Art. 2(a)', text: 'took a bribe', effect: 'not_tolerated', subject: 'bribe', note: expect.stringContaining('REFUSED') },
    ]);
    expect(run({ situations: [] }).trace[0]).toMatchObject({ step: 'L1', article: 'Art. 1', effect: 'not_eligible' });
  });

  it('validates input against its own ids', () => {
    expect(() => run({ situations: ['reform-pilot'] })).toThrow(expect.objectContaining({ code: 'UNKNOWN_SITUATION', allowed: ['pilot', 'storm'] }));
    expect(() => run({ situations: [], factors: { 'motive.purpose': 'public' } })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_FACTOR', message: expect.stringContaining('未知的factor') }),
    );
    expect(() => run({ policy: 'bj-2020', situations: [] })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', key: 'policy', allowed: ['lakeside-2031'] }));
  });

  it('warns thin-basis with its own code', () => {
    expect(run({ situations: ['pilot'], factors: { 'why.aim': 'good' } }).warnings).toEqual([{ code: 'thin', message: expect.stringContaining('1个考察方面（共2个）') }]);
  });
});
