import { describe, expect, it } from 'vitest';
import { evaluate, parseAssessmentInput } from './engine.js';
import { bj2020 } from './packs/bj-2020.js';
import type { AssessmentInput, AssessmentResult, PolicyPack } from './types.js';

const ALL_FALSE = { 'political-discipline': false, 'improper-benefit': false, 'grave-consequence': false, 'no-rectification': false };

/** Every factor at its favourable pole: the baseline from which each test changes one thing. */
const FAVOURABLE: Record<string, string> = Object.fromEntries(bj2020.factors.map((f) => [f.id, f.values[0]!.id]));

function run(raw: unknown, pack: PolicyPack = bj2020): AssessmentResult {
  return evaluate(pack, parseAssessmentInput(pack, raw));
}

/** A complete, clean assessment with some factors changed (null = unknown, undefined = drop the key). */
function withFactors(changes: Record<string, string | null | undefined>, extra: Partial<AssessmentInput> = {}): AssessmentResult {
  const factors: Record<string, string | null> = { ...FAVOURABLE };
  for (const [id, value] of Object.entries(changes)) {
    if (value === undefined) delete factors[id];
    else factors[id] = value;
  }
  return run({ situations: ['reform-pilot'], exclusions: ALL_FALSE, factors, ...extra });
}

const steps = (r: AssessmentResult) => r.trace.map((t) => `${t.step}:${t.effect}`);

describe('the spec example', () => {
  const input = {
    policy: 'bj-2020',
    situations: ['reform-pilot'],
    exclusions: { 'political-discipline': false, 'improper-benefit': false, 'grave-consequence': false, 'no-rectification': null },
    factors: { 'motive.purpose': 'public', 'motive.intent': 'inadvertent', 'consequence.loss': 'small', 'remedy.action': 'timely' },
  };

  it('gives exactly the output of the spec', () => {
    const { trace, ...rest } = run(input);
    expect(rest).toEqual({
      policy: { id: 'bj-2020', version: '2020-06-28', title: '关于激励干部担当作为实施容错纠错工作办法（试行）' },
      recommendation: 'exempt',
      binding: false,
      complete: false,
      missing: [
        'exclusions.no-rectification',
        'factors.motive.history',
        'factors.motive.attitude',
        'factors.conditions.task',
        'factors.conditions.cause',
        'factors.procedure.compliance',
        'factors.procedure.collective',
        'factors.procedure.urgent',
        'factors.nature.rules',
        'factors.nature.severity',
        'factors.consequence.policy',
        'factors.consequence.reception',
        'factors.remedy.result',
      ],
      excludedBy: [],
      situations: ['reform-pilot'],
      favourable: ['motive.purpose', 'motive.intent', 'consequence.loss', 'remedy.action'],
      unfavourable: [],
      decisive: [],
      offset: [],
      warnings: [],
    });
    expect(trace[0]).toMatchObject({ step: 'art8', article: '第八条第（二）项', effect: 'eligible', subject: 'reform-pilot' });
    expect(trace[0]!.text).toBe('在推进本市重要改革和体制机制创新中，因政策界限不明确、先行先试、缺乏经验，出现失误或者未达到预期效果的');
    expect(steps(run(input))).toEqual(['art8:eligible', 'art9-offset:good_motive', 'art9-count:exempt']);
  });

  it('puts the output keys in the order of the contract', () => {
    expect(Object.keys(run(input))).toEqual([
      'policy',
      'recommendation',
      'binding',
      'complete',
      'missing',
      'excludedBy',
      'situations',
      'favourable',
      'unfavourable',
      'decisive',
      'offset',
      'warnings',
      'trace',
    ]);
  });
});

describe('step 1, binding: Art. 10 exclusions', () => {
  it('refuses tolerance, bindingly, quoting the item (the CLI check)', () => {
    const r = run({ situations: ['reform-pilot'], exclusions: { 'improper-benefit': true } });
    expect(r.recommendation).toBe('not_tolerated');
    expect(r.binding).toBe(true);
    expect(r.excludedBy).toEqual(['improper-benefit']);
    expect(r.trace).toEqual([
      {
        step: 'art10',
        article: '第十条第（二）项',
        text: '为自己或者他人谋取不正当利益的',
        effect: 'not_tolerated',
        subject: 'improper-benefit',
        note: '存在第十条第（二）项规定的不予容错情形，不得作出容错免责或者容错减责的决定',
      },
    ]);
  });

  it('lists every true exclusion in table order, and wins over everything else', () => {
    const r = withFactors({}, { exclusions: { 'no-rectification': true, 'political-discipline': true, 'grave-consequence': false } });
    expect(r.recommendation).toBe('not_tolerated');
    expect(r.binding).toBe(true);
    expect(r.excludedBy).toEqual(['political-discipline', 'no-rectification']);
    expect(r.trace.map((t) => [t.step, t.article, t.subject])).toEqual([
      ['art10', '第十条第（一）项', 'political-discipline'],
      ['art10', '第十条第（四）项', 'no-rectification'],
    ]);
    expect(r.missing).toEqual(['exclusions.improper-benefit']);
  });

  it.each(bj2020.exclusions.map((e) => e.id))('%s alone decides, even with no situation', (id) => {
    const r = run({ situations: [], exclusions: { ...ALL_FALSE, [id]: true } });
    expect(r).toMatchObject({ recommendation: 'not_tolerated', binding: true, excludedBy: [id] });
    expect(steps(r)).toEqual(['art10:not_tolerated']);
  });

  it('still fills every array', () => {
    const r = withFactors({ 'motive.intent': 'knowing', 'procedure.compliance': 'irregular', 'procedure.urgent': 'yes' }, { exclusions: { 'grave-consequence': true } });
    expect(r.decisive).toEqual(['motive.intent']);
    expect(r.unfavourable).toEqual(['motive.intent', 'procedure.compliance']);
    expect(r.offset).toEqual(['procedure.compliance']);
    expect(r.favourable).toContain('procedure.urgent');
    expect(r.situations).toEqual(['reform-pilot']);
  });

  it('leaves unknown exclusions undecided: they are missing, not true', () => {
    const r = withFactors({}, { exclusions: { 'political-discipline': null } });
    expect(r.binding).toBe(false);
    expect(r.recommendation).toBe('exempt');
    expect(r.missing).toEqual(['exclusions.political-discipline', 'exclusions.improper-benefit', 'exclusions.grave-consequence', 'exclusions.no-rectification']);
    expect(r.complete).toBe(false);
  });
});

describe('step 2, binding: Art. 8 situations', () => {
  it('refuses tolerance, bindingly, when no situation is established', () => {
    const r = withFactors({}, { situations: [] });
    expect(r).toMatchObject({ recommendation: 'not_tolerated', binding: true, situations: [] });
    expect(r.trace).toEqual([
      {
        step: 'art8',
        article: '第八条',
        text: '对干部在工作中出现的失误错误，符合下列情形之一的，党委（党组）、纪检监察机关、组织人事部门等（以下统称责任追究机关）可以依照有关规定予以容错处理',
        effect: 'not_eligible',
        note: '未认定第八条规定的任何情形，不予容错',
      },
    ]);
  });

  it('lists each established situation in table order with its item', () => {
    const r = withFactors({}, { situations: ['service-procedure', 'major-work'] });
    expect(r.situations).toEqual(['major-work', 'service-procedure']);
    expect(r.trace.filter((t) => t.effect === 'eligible').map((t) => [t.article, t.subject])).toEqual([
      ['第八条第（一）项', 'major-work'],
      ['第八条第（五）项', 'service-procedure'],
    ]);
    expect(r.trace[1]!.text).toBe('在服务群众、服务企业、服务基层工作中，为提高效能、方便群众，出现一定程序瑕疵的');
  });

  it('reports overall-beneficial with consequence.policy = obstructs as a contradiction, keeping both', () => {
    const r = withFactors({ 'consequence.policy': 'obstructs' }, { situations: ['overall-beneficial'] });
    expect(r.situations).toEqual(['overall-beneficial']);
    expect(r.unfavourable).toEqual(['consequence.policy']);
    expect(r.recommendation).toBe('reduced');
    expect(r.warnings).toEqual([{ code: 'overall-beneficial-contradiction', message: expect.stringContaining('矛盾') }]);
    expect(steps(r)).toEqual(['art8:eligible', 'art8:contradiction', 'art9-offset:good_motive', 'art9-count:reduced']);
    expect(r.trace[1]).toMatchObject({ article: '第八条第（六）项', subject: 'consequence.policy', value: 'obstructs' });
  });

  it('sees no contradiction without the situation, or without obstructs', () => {
    expect(withFactors({ 'consequence.policy': 'obstructs' }, { situations: ['emergency'] }).warnings).toEqual([]);
    expect(withFactors({ 'consequence.policy': null }, { situations: ['overall-beneficial'] }).warnings).toEqual([]);
  });

  it('reports the contradiction even when step 1 decided (the trace stops there)', () => {
    const r = withFactors({ 'consequence.policy': 'obstructs' }, { situations: ['overall-beneficial'], exclusions: { 'improper-benefit': true } });
    expect(r.warnings.map((w) => w.code)).toEqual(['overall-beneficial-contradiction']);
    expect(steps(r)).toEqual(['art10:not_tolerated']);
  });
});

describe('step 3: decisive values', () => {
  const decisive = bj2020.factors.flatMap((f) => f.values.filter((v) => v.decisive).map((v) => [f.id, v.id, v.words, v.article] as const));

  it.each(decisive)('%s = %s decides not_tolerated, not bindingly, quoting its words', (factor, value, words, article) => {
    const r = withFactors({ [factor]: value });
    expect(r).toMatchObject({ recommendation: 'not_tolerated', binding: false, decisive: [factor] });
    expect(r.unfavourable).toContain(factor);
    const entry = r.trace.at(-1)!;
    expect(entry).toMatchObject({ step: 'art9-decisive', article, text: words, effect: 'not_tolerated', subject: factor, value });
    expect(entry.note).toMatch(/指引建议不予容错/u);
    expect(steps(r).filter((s) => s.startsWith('art9-count'))).toEqual([]);
  });

  it('lists several decisive values in table order, one trace entry each', () => {
    const r = withFactors({ 'remedy.action': 'neglected', 'motive.purpose': 'private-or-local', 'nature.rules': 'defied' });
    expect(r.decisive).toEqual(['motive.purpose', 'nature.rules', 'remedy.action']);
    expect(r.trace.filter((t) => t.step === 'art9-decisive').map((t) => t.subject)).toEqual(r.decisive);
    expect(r.trace.find((t) => t.subject === 'nature.rules')!.note).toContain('明令禁止后依然我行我素的违纪违法行为');
  });

  it('loses to the binding steps', () => {
    expect(withFactors({ 'motive.intent': 'knowing' }, { situations: [] }).binding).toBe(true);
  });
});

describe('the collective/urgent pair', () => {
  // [collective, urgent] → pair state; listing; count contribution
  const cases: [string | null, string | null, 'favourable' | 'unfavourable' | 'unknown'][] = [
    ['yes', 'yes', 'favourable'],
    ['yes', 'no', 'favourable'],
    ['yes', null, 'favourable'],
    ['no', 'yes', 'favourable'],
    [null, 'yes', 'favourable'],
    ['no', 'no', 'unfavourable'],
    ['no', null, 'unknown'],
    [null, 'no', 'unknown'],
    [null, null, 'unknown'],
  ];

  it.each(cases)('collective=%s urgent=%s is %s', (collective, urgent, state) => {
    const r = withFactors({ 'procedure.collective': collective, 'procedure.urgent': urgent });
    const established = [
      ...(collective !== null ? ['procedure.collective'] : []),
      ...(urgent !== null ? ['procedure.urgent'] : []),
    ];
    const unknown = [
      ...(collective === null ? ['factors.procedure.collective'] : []),
      ...(urgent === null ? ['factors.procedure.urgent'] : []),
    ];
    const members = (list: string[]) => list.filter((id) => id === 'procedure.collective' || id === 'procedure.urgent');
    expect(members(r.favourable)).toEqual(state === 'favourable' ? established : []);
    expect(members(r.unfavourable)).toEqual(state === 'unfavourable' ? established : []);
    expect(r.missing).toEqual(unknown);
    const count = r.trace.find((t) => t.step === 'art9-count')!.count;
    expect(count).toBe(state === 'unfavourable' ? 1 : 0);
  });

  it('counts once when both are no', () => {
    const r = withFactors({ 'procedure.collective': 'no', 'procedure.urgent': 'no', 'conditions.task': 'routine' });
    expect(r.unfavourable).toEqual(['conditions.task', 'procedure.collective', 'procedure.urgent']);
    expect(r.trace.find((t) => t.step === 'art9-count')).toMatchObject({ count: 2, effect: 'reduced' });
  });
});

describe('step 4: offsets under a good motive', () => {
  const irregular = { 'procedure.compliance': 'irregular', 'procedure.collective': 'no', 'procedure.urgent': null, 'remedy.action': null };

  it('takes procedure.compliance = irregular out of the count when the pair is favourable (Art. 9(3))', () => {
    const r = withFactors({ ...irregular, 'procedure.urgent': 'yes' });
    expect(r.unfavourable).toEqual(['procedure.compliance']);
    expect(r.offset).toEqual(['procedure.compliance']);
    expect(r.recommendation).toBe('exempt');
    expect(r.trace.find((t) => t.effect === 'offset')).toEqual({
      step: 'art9-offset',
      article: '第九条第（三）项',
      text: '重点考察是否经过民主决策程序，是否属于情况紧急临机决断',
      effect: 'offset',
      subject: 'procedure.compliance',
      value: 'irregular',
      note: '动机端正且经过民主决策程序或者情况紧急临机决断，“一定程序瑕疵”不计入不利因素',
    });
  });

  it('takes procedure.compliance = irregular out when remedy.action = timely (Art. 9(6))', () => {
    const r = withFactors({ ...irregular, 'remedy.action': 'timely' });
    expect(r.offset).toEqual(['procedure.compliance']);
    expect(r.trace.find((t) => t.effect === 'offset')).toMatchObject({
      article: '第九条第（六）项',
      text: '及时挽回损失、消除不良影响、有效阻止危害结果发生',
    });
  });

  it('quotes the first rule that holds when both do', () => {
    const r = withFactors({ ...irregular, 'procedure.collective': 'yes', 'remedy.action': 'timely' });
    expect(r.trace.filter((t) => t.effect === 'offset').map((t) => t.article)).toEqual(['第九条第（三）项']);
  });

  it('counts procedure.compliance = irregular when neither the pair nor the remedy helps', () => {
    for (const pair of [{ 'procedure.urgent': null }, { 'procedure.urgent': 'no' }]) {
      const r = withFactors({ ...irregular, ...pair });
      expect(r.offset).toEqual([]);
      expect(r.trace.find((t) => t.step === 'art9-count')!.count).toBe(pair['procedure.urgent'] === 'no' ? 2 : 1);
    }
  });

  it('takes consequence.loss = some out when remedy.action = timely, but never severe', () => {
    const some = withFactors({ 'consequence.loss': 'some' });
    expect(some).toMatchObject({ offset: ['consequence.loss'], unfavourable: ['consequence.loss'], recommendation: 'exempt' });
    expect(some.trace.find((t) => t.effect === 'offset')).toMatchObject({ subject: 'consequence.loss', value: 'some', article: '第九条第（六）项' });
    expect(withFactors({ 'consequence.loss': 'some', 'remedy.action': null })).toMatchObject({ offset: [], recommendation: 'reduced' });
    expect(withFactors({ 'consequence.loss': 'severe' })).toMatchObject({ offset: [], recommendation: 'reduced' });
  });

  it('lists both offsets in table order', () => {
    const r = withFactors({ 'procedure.compliance': 'irregular', 'consequence.loss': 'some' });
    expect(r.offset).toEqual(['procedure.compliance', 'consequence.loss']);
    expect(steps(r)).toEqual(['art8:eligible', 'art9-offset:good_motive', 'art9-offset:offset', 'art9-offset:offset', 'art9-count:exempt']);
  });

  it('needs a good motive: without one nothing is offset', () => {
    const noMotive = { 'motive.purpose': null, 'motive.intent': null };
    const r = withFactors({ ...noMotive, 'procedure.compliance': 'irregular', 'consequence.loss': 'some' });
    expect(r.offset).toEqual([]);
    expect(r.trace.find((t) => t.step === 'art9-count')).toMatchObject({ count: 2, effect: 'reduced' });
    expect(r.trace.some((t) => t.effect === 'good_motive')).toBe(false);
  });

  it('takes the good motive from either motive.purpose = public or motive.intent = inadvertent', () => {
    const byIntent = withFactors({ 'motive.purpose': null, 'consequence.loss': 'some' });
    expect(byIntent.offset).toEqual(['consequence.loss']);
    expect(byIntent.trace.find((t) => t.effect === 'good_motive')).toMatchObject({
      article: '第四条',
      text: '为推动发展的无意过失',
      subject: 'motive.intent',
      value: 'inadvertent',
    });
    expect(withFactors({ 'motive.intent': null, 'consequence.loss': 'some' }).offset).toEqual(['consequence.loss']);
  });

  it('never touches decisive values', () => {
    const r = withFactors({ 'procedure.compliance': 'abuse', 'procedure.collective': 'yes', 'remedy.action': 'timely' });
    expect(r.offset).toEqual([]);
    expect(r.decisive).toEqual(['procedure.compliance']);
    expect(r.recommendation).toBe('not_tolerated');
  });

  it('still reports what it would offset when a decisive value decided', () => {
    const r = withFactors({ 'motive.intent': 'knowing', 'consequence.loss': 'some' });
    expect(r).toMatchObject({ recommendation: 'not_tolerated', decisive: ['motive.intent'], offset: ['consequence.loss'] });
  });
});

describe('step 5: the count', () => {
  const unfavourable = ['conditions.task=routine', 'motive.history=repeated', 'consequence.reception=criticized', 'remedy.result=irrecoverable'];
  const changes = (n: number) => Object.fromEntries(unfavourable.slice(0, n).map((c) => c.split('=')));

  it.each([
    [0, 'exempt'],
    [1, 'reduced'],
    [2, 'reduced'],
    [3, 'not_tolerated'],
    [4, 'not_tolerated'],
  ] as const)('%i unfavourable factors → %s', (n, expected) => {
    const r = withFactors(changes(n));
    expect(r.recommendation).toBe(expected);
    expect(r.binding).toBe(false);
    expect(r.trace.at(-1)).toMatchObject({ step: 'art9-count', article: '第九条', effect: expected, count: n });
    expect(r.trace.at(-1)!.text).toBe('对干部的失误错误应当按照下列标准进行综合分析判断，对该容的大胆容错，不该容的坚决不容');
    expect(r.trace.at(-1)!.note).toContain(`共计入${n}项不利因素`);
  });

  it('counts consequence.loss = small as favourable', () => {
    expect(withFactors({ 'consequence.loss': 'small', 'remedy.action': null })).toMatchObject({ recommendation: 'exempt', favourable: expect.arrayContaining(['consequence.loss']) });
  });

  it('reads its thresholds from the pack', () => {
    const lenient: PolicyPack = { ...bj2020, guidance: { ...bj2020.guidance, count: { ...bj2020.guidance.count, exemptAtMost: 1, reducedAtMost: 3 } } };
    const input = { situations: ['emergency'], exclusions: ALL_FALSE, factors: { ...FAVOURABLE, ...changes(1) } };
    expect(run(input, lenient).recommendation).toBe('exempt');
    expect(run({ ...input, factors: { ...FAVOURABLE, ...changes(3) } }, lenient).recommendation).toBe('reduced');
    expect(run({ ...input, factors: { ...FAVOURABLE, ...changes(4) } }, lenient).recommendation).toBe('not_tolerated');
    expect(run(input, lenient).trace.at(-1)!.note).toContain('（不利因素0至1项：容错免责；2至3项：容错减责；4项及以上：不予容错）');
  });
});

describe('step 6: motive first', () => {
  it('caps exempt at reduced without a good motive, and says why', () => {
    const r = withFactors({ 'motive.purpose': null, 'motive.intent': null });
    expect(r.recommendation).toBe('reduced');
    expect(steps(r)).toEqual(['art8:eligible', 'art9-count:exempt', 'art9-motive-first:capped_by_motive']);
    expect(r.trace.at(-1)).toMatchObject({
      article: '第九条第（一）项',
      text: expect.stringContaining('是出于公心、顾全大局还是为谋私利或者局部利益'),
      note: '未认定动机端正（出于公心、顾全大局或者无心之过），不能建议容错免责，最多建议容错减责',
    });
  });

  it('does not touch reduced or not_tolerated', () => {
    const r = withFactors({ 'motive.purpose': null, 'motive.intent': null, 'conditions.task': 'routine' });
    expect(r.recommendation).toBe('reduced');
    expect(r.trace.some((t) => t.effect === 'capped_by_motive')).toBe(false);
  });

  it('is a pack setting', () => {
    const off: PolicyPack = { ...bj2020, guidance: { ...bj2020.guidance, motiveFirst: { ...bj2020.guidance.motiveFirst, enabled: false } } };
    const r = run({ situations: ['emergency'], exclusions: ALL_FALSE, factors: { ...FAVOURABLE, 'motive.purpose': null, 'motive.intent': null } }, off);
    expect(r.recommendation).toBe('exempt');
  });
});

describe('step 7: unknowns and missing', () => {
  it('lists exclusions first, then factors, each in table order, whatever the input order', () => {
    const r = run({
      factors: { 'remedy.result': 'recovered', 'motive.purpose': 'public' },
      exclusions: { 'no-rectification': false, 'political-discipline': false },
      situations: ['emergency'],
    });
    expect(r.missing).toEqual([
      'exclusions.improper-benefit',
      'exclusions.grave-consequence',
      ...bj2020.factors.filter((f) => f.id !== 'remedy.result' && f.id !== 'motive.purpose').map((f) => `factors.${f.id}`),
    ]);
    expect(r.complete).toBe(false);
  });

  it('treats null and absent alike', () => {
    const absent = withFactors({ 'conditions.task': undefined });
    const nulled = withFactors({ 'conditions.task': null });
    expect(absent).toEqual(nulled);
    expect(absent.missing).toEqual(['factors.conditions.task']);
  });

  it('is complete when every exclusion and factor is established', () => {
    expect(withFactors({})).toMatchObject({ complete: true, missing: [], recommendation: 'exempt' });
  });

  it('lists a pair member as missing even when its partner already made the pair favourable', () => {
    expect(withFactors({ 'procedure.urgent': null }).missing).toEqual(['factors.procedure.urgent']);
  });
});

describe('warnings', () => {
  it('warns thin-basis when exempt rests on fewer than two dimensions', () => {
    const r = run({ situations: ['emergency'], exclusions: ALL_FALSE, factors: { 'motive.purpose': 'public', 'motive.intent': 'inadvertent' } });
    expect(r.recommendation).toBe('exempt');
    expect(r.warnings).toEqual([
      {
        code: 'thin-basis',
        message: '指引建议容错免责，但只有1个考察方面（共6个）有已认定的因素（考察动机态度），少于2个，依据不足，请补充认定',
      },
    ]);
  });

  it('does not warn with two dimensions, or when not exempt', () => {
    expect(run({ situations: ['emergency'], factors: { 'motive.purpose': 'public', 'remedy.result': 'recovered' } }).warnings).toEqual([]);
    expect(run({ situations: ['emergency'], factors: { 'motive.history': 'repeated' } })).toMatchObject({ recommendation: 'reduced', warnings: [] });
  });

  it('counts an established pair member towards the dimensions even when the pair is unknown', () => {
    expect(run({ situations: ['emergency'], factors: { 'motive.purpose': 'public', 'procedure.urgent': 'no' } }).warnings).toEqual([]);
  });

  it('orders contradiction before thin-basis', () => {
    // Under bj-2020 an exempt cannot carry `obstructs`; a pack that tolerates one unfavourable factor can.
    const pack: PolicyPack = {
      ...bj2020,
      guidance: { ...bj2020.guidance, count: { ...bj2020.guidance.count, exemptAtMost: 1 }, thinBasis: { code: 'thin-basis', minDimensions: 3 } },
    };
    const r = run({ situations: ['overall-beneficial'], factors: { 'motive.purpose': 'public', 'consequence.policy': 'obstructs' } }, pack);
    expect(r.recommendation).toBe('exempt');
    expect(r.warnings.map((w) => w.code)).toEqual(['overall-beneficial-contradiction', 'thin-basis']);
  });
});

describe('evaluate on unparsed input', () => {
  it('accepts a minimal typed input', () => {
    expect(evaluate(bj2020, { situations: ['emergency'] }).recommendation).toBe('reduced');
  });

  it('still refuses bad values and bad situations', () => {
    expect(() => evaluate(bj2020, { situations: ['emergency'], factors: { 'motive.purpose': 'nope' } })).toThrow(
      expect.objectContaining({ code: 'INVALID_FACTOR_VALUE', key: 'factors.motive.purpose' }),
    );
    expect(() => evaluate(bj2020, { situations: ['emergency', 'nope'] })).toThrow(expect.objectContaining({ code: 'UNKNOWN_SITUATION', key: 'situations[1]' }));
    expect(() => evaluate(bj2020, { situations: ['emergency', 'emergency'] })).toThrow(
      expect.objectContaining({ code: 'DUPLICATE_SITUATION', key: 'situations[1]' }),
    );
    expect(() => evaluate(bj2020, { situations: [], exclusions: { 'improper-benefit': 'yes' as never } })).toThrow(
      expect.objectContaining({ code: 'INVALID_EXCLUSION_VALUE' }),
    );
  });

  it('refuses an inconsistent pack at first use', () => {
    const decisiveOffset: PolicyPack = { ...bj2020, offsets: [{ ...bj2020.offsets[0]!, value: 'abuse' }] };
    expect(() => evaluate(decisiveOffset, { situations: [] })).toThrow(/decisive values are never offset/u);
    const unknownGroup: PolicyPack = { ...bj2020, groups: [{ ...bj2020.groups[0]!, members: ['procedure.collective', 'procedure.nope'] }] };
    expect(() => evaluate(unknownGroup, { situations: [] })).toThrow(/unknown factor "procedure.nope"/u);
  });

  it('returns fresh arrays on every call', () => {
    const a = withFactors({});
    a.favourable.push('x');
    a.trace[0]!.note = 'changed';
    expect(withFactors({}).favourable).not.toContain('x');
    expect(withFactors({}).trace[0]!.note).not.toBe('changed');
  });
});
