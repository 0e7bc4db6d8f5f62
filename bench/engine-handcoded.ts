// The bj-2020 guidance written out by hand: ids, rules and thresholds inlined, no pack interpretation. It is
// the yardstick for the engine's speed (bench/engine.ts) and a second, independent reading of the spec that
// the engine must agree with on every input (engine-handcoded.test.ts). Only the original words are taken
// from the pack, so the two cannot drift on quoted text.
import { bj2020 } from '../src/policy/packs/bj-2020.js';
import type { AssessmentInput, AssessmentResult, AssessmentWarning, Recommendation, TraceEntry } from '../src/policy/types.js';

const EXCLUSIONS = ['political-discipline', 'improper-benefit', 'grave-consequence', 'no-rectification'] as const;
const SITUATIONS = ['major-work', 'reform-pilot', 'emergency', 'legacy-issues', 'service-procedure', 'overall-beneficial'] as const;
const FACTORS = [
  'motive.purpose',
  'motive.intent',
  'motive.history',
  'motive.attitude',
  'conditions.task',
  'conditions.cause',
  'procedure.compliance',
  'procedure.collective',
  'procedure.urgent',
  'nature.rules',
  'nature.severity',
  'consequence.policy',
  'consequence.loss',
  'consequence.reception',
  'remedy.action',
  'remedy.result',
] as const;
type FactorId = (typeof FACTORS)[number];

const FAVOURABLE: Record<FactorId, readonly string[]> = {
  'motive.purpose': ['public'],
  'motive.intent': ['inadvertent'],
  'motive.history': ['first'],
  'motive.attitude': ['corrects'],
  'conditions.task': ['exploratory'],
  'conditions.cause': ['unforeseeable'],
  'procedure.compliance': ['lawful'],
  'procedure.collective': ['yes'],
  'procedure.urgent': ['yes'],
  'nature.rules': ['unregulated'],
  'nature.severity': ['minor'],
  'consequence.policy': ['advances'],
  'consequence.loss': ['none', 'small'],
  'consequence.reception': ['approved'],
  'remedy.action': ['timely'],
  'remedy.result': ['recovered'],
};
const DECISIVE: Partial<Record<FactorId, string>> = {
  'motive.purpose': 'private-or-local',
  'motive.intent': 'knowing',
  'motive.attitude': 'resists',
  'procedure.compliance': 'abuse',
  'nature.rules': 'defied',
  'remedy.action': 'neglected',
};

// ---- quoted words, from the pack ----

function wordsOf(factor: string, value: string): { words: string; article: string; basis?: { article: string; text: string } } {
  const found = bj2020.factors.find((f) => f.id === factor)?.values.find((v) => v.id === value);
  if (!found) throw new Error(`no ${factor}=${value}`);
  return found;
}
function articleOf(number: string) {
  const found = bj2020.articles.find((a) => a.number === number);
  if (!found) throw new Error(`no ${number}`);
  return found;
}
const trimEnd = (s: string) => s.replace(/[；。：]$/u, '');
const ITEM = ['（一）', '（二）', '（三）', '（四）', '（五）', '（六）'];

const EXCLUSION_TRACE = EXCLUSIONS.map((id, i) => {
  const article = `第十条第${ITEM[i]}项`;
  return {
    id,
    article,
    text: trimEnd(articleOf('第十条').items[i]!.text),
    note: `存在${article}规定的不予容错情形，不得作出容错免责或者容错减责的决定`,
  };
});
const SITUATION_TRACE = SITUATIONS.map((id, i) => {
  const article = `第八条第${ITEM[i]}项`;
  return { id, article, text: trimEnd(articleOf('第八条').items[i]!.text), note: `已认定${article}规定的情形，属于可以容错的范围` };
});
const ART8_LEAD = trimEnd(articleOf('第八条').lead);
const ART9_LEAD = trimEnd(articleOf('第九条').lead);
const ART9_1 = trimEnd(articleOf('第九条').items[0]!.text);
const ART9_3_FOCUS = '重点考察是否经过民主决策程序，是否属于情况紧急临机决断';
const TIMELY = wordsOf('remedy.action', 'timely').words;
const CONTRADICTION = bj2020.contradictions[0]!.message;
const GOOD_MOTIVE_TEXT = '为推动发展的无意过失';
const DECISIVE_TRACE = Object.fromEntries(
  Object.entries(DECISIVE).map(([factor, value]) => {
    const w = wordsOf(factor, value);
    return [
      factor,
      { article: w.article, text: w.words, note: `“${w.words}”属于${w.basis!.article}所指“${w.basis!.text}”，指引建议不予容错（指引不具约束力）` },
    ];
  }),
) as Record<string, { article: string; text: string; note: string }>;
const GOOD_MOTIVE_NOTE = {
  'motive.purpose': `已认定动机端正（“出于公心、顾全大局”，第四条：“为推动发展的无意过失”），可以适用抵消规则`,
  'motive.intent': `已认定动机端正（“无心之过”，第四条：“为推动发展的无意过失”），可以适用抵消规则`,
};
const OFFSET_IRREGULAR_BY_PAIR = `动机端正且经过民主决策程序或者情况紧急临机决断，“一定程序瑕疵”不计入不利因素`;
const OFFSET_IRREGULAR_BY_REMEDY = `动机端正且${TIMELY}，“一定程序瑕疵”不计入不利因素`;
const OFFSET_LOSS_BY_REMEDY = `动机端正且${TIMELY}，“造成一定损失或者影响”不计入不利因素`;
const LABEL: Record<Recommendation, string> = { exempt: '容错免责', reduced: '容错减责', not_tolerated: '不予容错' };
const SCALE = '（不利因素0项：容错免责；1至2项：容错减责；3项及以上：不予容错）';
const DIMENSIONS = ['motive', 'conditions', 'procedure', 'nature', 'consequence', 'remedy'];
const DIMENSION_NAMES = ['考察动机态度', '考察客观条件', '考察程序方法', '考察性质程度', '考察后果影响', '考察挽回损失情况'];

// Positions in FACTORS of the factors the rules name.
const PURPOSE = 0;
const INTENT = 1;
const COMPLIANCE = 6;
const COLLECTIVE = 7;
const URGENT = 8;
const POLICY = 11;
const LOSS = 12;
const ACTION = 14;
const FACTOR_KEYS = FACTORS.map((id) => `factors.${id}`);
const FAVOURABLE_BY_INDEX = FACTORS.map((id) => FAVOURABLE[id]);
const DECISIVE_BY_INDEX = FACTORS.map((id) => DECISIVE[id]);

export function evaluateHandcoded(input: AssessmentInput): AssessmentResult {
  const ex = input.exclusions ?? {};
  const fa = input.factors ?? {};
  const missing: string[] = [];
  const excludedBy: string[] = [];
  for (const id of EXCLUSIONS) {
    const v = ex[id];
    if (v === true) excludedBy.push(id);
    else if (v == null) missing.push(`exclusions.${id}`);
  }
  const situations: string[] = [];
  for (const id of SITUATIONS) if (input.situations.includes(id)) situations.push(id);
  const values: (string | null)[] = [];
  for (let i = 0; i < FACTORS.length; i++) {
    const v = fa[FACTORS[i]!] ?? null;
    values.push(v);
    if (v === null) missing.push(FACTOR_KEYS[i]!);
  }

  const collective = values[COLLECTIVE];
  const urgent = values[URGENT];
  const pair = collective === 'yes' || urgent === 'yes' ? 'favourable' : collective === 'no' && urgent === 'no' ? 'unfavourable' : 'unknown';

  const goodMotive = values[PURPOSE] === 'public' ? 'motive.purpose' : values[INTENT] === 'inadvertent' ? 'motive.intent' : null;
  const timely = values[ACTION] === 'timely';
  const offset: string[] = [];
  const offsetTrace: TraceEntry[] = [];
  const offsetIrregular = goodMotive !== null && values[COMPLIANCE] === 'irregular' && (pair === 'favourable' || timely);
  const offsetLoss = goodMotive !== null && values[LOSS] === 'some' && timely;
  if (offsetIrregular) {
    offset.push('procedure.compliance');
    offsetTrace.push(
      pair === 'favourable'
        ? { step: 'art9-offset', article: '第九条第（三）项', text: ART9_3_FOCUS, effect: 'offset', subject: 'procedure.compliance', value: 'irregular', note: OFFSET_IRREGULAR_BY_PAIR }
        : { step: 'art9-offset', article: '第九条第（六）项', text: TIMELY, effect: 'offset', subject: 'procedure.compliance', value: 'irregular', note: OFFSET_IRREGULAR_BY_REMEDY },
    );
  }
  if (offsetLoss) {
    offset.push('consequence.loss');
    offsetTrace.push({ step: 'art9-offset', article: '第九条第（六）项', text: TIMELY, effect: 'offset', subject: 'consequence.loss', value: 'some', note: OFFSET_LOSS_BY_REMEDY });
  }

  const favourable: string[] = [];
  const unfavourable: string[] = [];
  const decisive: string[] = [];
  // The pair counts once.
  let counted = pair === 'unfavourable' ? 1 : 0;
  for (let i = 0; i < FACTORS.length; i++) {
    const v = values[i];
    if (v === null) continue;
    const id = FACTORS[i]!;
    if (i === COLLECTIVE || i === URGENT) {
      if (pair === 'favourable') favourable.push(id);
      else if (pair === 'unfavourable') unfavourable.push(id);
    } else if (FAVOURABLE_BY_INDEX[i]!.includes(v!)) {
      favourable.push(id);
    } else {
      unfavourable.push(id);
      if (DECISIVE_BY_INDEX[i] === v) decisive.push(id);
      else if (!(i === COMPLIANCE && offsetIrregular) && !(i === LOSS && offsetLoss)) counted++;
    }
  }
  const byCount: Recommendation = counted === 0 ? 'exempt' : counted <= 2 ? 'reduced' : 'not_tolerated';

  const contradiction = situations.includes('overall-beneficial') && values[POLICY] === 'obstructs';
  const warnings: AssessmentWarning[] = [];
  if (contradiction) warnings.push({ code: 'overall-beneficial-contradiction', message: CONTRADICTION });

  const trace: TraceEntry[] = [];
  let recommendation: Recommendation;
  let binding = false;
  if (excludedBy.length > 0) {
    recommendation = 'not_tolerated';
    binding = true;
    for (const e of EXCLUSION_TRACE) {
      if (ex[e.id] === true) trace.push({ step: 'art10', article: e.article, text: e.text, effect: 'not_tolerated', subject: e.id, note: e.note });
    }
  } else if (situations.length === 0) {
    recommendation = 'not_tolerated';
    binding = true;
    trace.push({ step: 'art8', article: '第八条', text: ART8_LEAD, effect: 'not_eligible', note: '未认定第八条规定的任何情形，不予容错' });
  } else {
    for (const s of SITUATION_TRACE) {
      if (situations.includes(s.id)) trace.push({ step: 'art8', article: s.article, text: s.text, effect: 'eligible', subject: s.id, note: s.note });
    }
    if (contradiction) {
      trace.push({
        step: 'art8',
        article: '第八条第（六）项',
        text: SITUATION_TRACE[5]!.text,
        effect: 'contradiction',
        subject: 'consequence.policy',
        value: 'obstructs',
        note: CONTRADICTION,
      });
    }
    if (decisive.length > 0) {
      recommendation = 'not_tolerated';
      for (const id of decisive) {
        const d = DECISIVE_TRACE[id]!;
        trace.push({ step: 'art9-decisive', article: d.article, text: d.text, effect: 'not_tolerated', subject: id, value: DECISIVE[id as FactorId]!, note: d.note });
      }
    } else {
      if (goodMotive) {
        trace.push({
          step: 'art9-offset',
          article: '第四条',
          text: GOOD_MOTIVE_TEXT,
          effect: 'good_motive',
          subject: goodMotive,
          value: goodMotive === 'motive.purpose' ? 'public' : 'inadvertent',
          note: GOOD_MOTIVE_NOTE[goodMotive],
        });
      }
      trace.push(...offsetTrace);
      trace.push({
        step: 'art9-count',
        article: '第九条',
        text: ART9_LEAD,
        effect: byCount,
        count: counted,
        note: `共计入${counted}项不利因素，指引建议${LABEL[byCount]}${SCALE}`,
      });
      recommendation = byCount;
      if (byCount === 'exempt' && !goodMotive) {
        recommendation = 'reduced';
        trace.push({
          step: 'art9-motive-first',
          article: '第九条第（一）项',
          text: ART9_1,
          effect: 'capped_by_motive',
          note: '未认定动机端正（出于公心、顾全大局或者无心之过），不能建议容错免责，最多建议容错减责',
        });
      }
    }
  }

  if (recommendation === 'exempt') {
    const names = DIMENSIONS.flatMap((d, i) => (FACTORS.some((id, k) => id.startsWith(`${d}.`) && values[k] !== null) ? [DIMENSION_NAMES[i]!] : []));
    if (names.length < 2) {
      warnings.push({
        code: 'thin-basis',
        message: `指引建议容错免责，但只有${names.length}个考察方面（共6个）有已认定的因素${names.length > 0 ? `（${names.join('、')}）` : ''}，少于2个，依据不足，请补充认定`,
      });
    }
  }

  return {
    policy: { id: 'bj-2020', version: '2020-06-28', title: bj2020.title },
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
