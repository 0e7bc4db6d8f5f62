// Sample values for every field of every kind: a preview of a template before it is used on a case, and the
// data of the rendering tests. The quoted words come from the pack, as in a real case.
import { bj2020 } from '../policy/index.js';
import { DOCUMENT_KIND_SPECS, type DocumentKind } from './kinds.js';

const pack = bj2020;
const situation = pack.situations.find((s) => s.id === 'reform-pilot')!;
const exempt = pack.outcomes.exempt;
const reduced = pack.outcomes.reduced;
const factor = (id: string, value: string) => {
  const f = pack.factors.find((x) => x.id === id)!;
  const v = f.values.find((x) => x.id === value)!;
  const dimension = pack.dimensions.find((d) => d.id === f.dimension)!;
  return { dimension: dimension.name, article: v.article, words: v.words, pole: v.pole === 'favourable' ? '有利因素' : '不利因素', decisive: v.decisive ? '是' : '否' };
};
const article = (number: string) => pack.articles.find((a) => a.number === number)!;

const ALL: Record<string, unknown> = {
  organName: '东城区纪委监委',
  organShortName: '东纪',
  issuedDate: '二〇二六年三月二十日',
  issuedDateArabic: '2026年3月20日',
  caseTitle: '东城区某改革试点项目资金拨付延误',
  caseOpenedDate: '二〇二六年三月二日',
  facts: '在推进审批制度改革试点中，因政策界限不明确导致项目资金拨付延误。',
  officialName: '张明',
  officialUnit: '东城区发展改革委',
  officialPosition: '副主任',
  officialRank: '县处级副职',
  policyTitle: pack.title,
  policyIssuer: pack.issuer,
  number: '东纪容〔2026〕1号',
  decisionVersion: '1',
  decisionDate: '二〇二六年三月十一日',
  outcome: '容错减责（减轻）',
  outcomeArticle: reduced.article,
  outcomeArticleText: reduced.text,
  measures: '纪律处分',
  measureDetails: '',
  accountabilityOpinion: '应当问责，给予纪律处分。',
  toleranceOpinion: '符合容错减责条件，予以减轻处理。',
  toleranceReasons: '属于第八条第（二）项情形；动机出于公心；及时挽回损失。',
  situations: [{ article: situation.article, text: situation.text }],
  situationsText: `属于${situation.article}规定的“${situation.text}”情形`,
  approval: '本决定已按照干部管理权限和处分权限报上级审批，于二〇二六年三月十二日经审批同意。',
  noticeText: `如对本决定不服，可以依照《${pack.title}》第十六条和有关规定提出申诉。`,
  deliberationDate: '二〇二六年三月十日',
  memberCount: '5',
  membersPresent: '3',
  applications: [{ applicant: '被问责追责干部张明本人', submittedDate: '二〇二六年三月四日', content: '本人申请容错：属于第八条第（二）项情形。', answer: '经研究，符合容错减责条件。' }],
  applicationsCount: '1',
  factors: [factor('motive.purpose', 'public'), factor('motive.intent', 'inadvertent'), factor('consequence.loss', 'small'), factor('remedy.action', 'timely')],
  exclusions: pack.exclusions.map((e) => ({ article: e.article, text: e.text, established: '否' })),
  exclusionConclusion: '经逐项核查，不存在第十条所列不予容错的情形。',
  recommendation: exempt.label,
  recommendationBinding: '否',
  recommendationNature: '该建议供集体研究参考，不具有约束力',
  trace: [
    { note: '已认定第八条第（二）项规定的情形，属于可以容错的范围。', article: situation.article, text: situation.text },
    { note: '共计入0项不利因素，指引建议容错免责。', article: '第九条', text: article('第九条').lead },
  ],
  departure: '处理决定（容错减责（减轻））与研判建议（容错免责）不一致。',
  departureReason: '延误造成一定社会影响，不宜完全免责',
  basis: [
    { article: situation.article, text: article('第八条').items[1]!.text },
    { article: reduced.article, text: article('第十三条').items[1]!.text },
  ],
  opinions: [{ kind: '本人陈述申辩', source: '张明', content: '本人在试点中按照集体研究意见推进，已主动整改。' }],
  evidence: [{ title: '会议纪要', kind: '书面材料', description: '' }],
  servedDate: '二〇二六年三月十三日',
  partyOrgName: '东城区发展改革委',
  servedDocuments: '《问责追责处理决定书》（东纪容〔2026〕1号）',
  remarks: '已同时向被问责追责干部本人及其所在党组织（东城区发展改革委）说明容错情况。',
  appealLodgedDate: '二〇二六年三月二十日',
  appealGrounds: '本人认为应当容错免责。',
  appealOutcome: '变更',
  appealReasons: '经复查，损失已全部挽回，变更为容错免责。',
  appealDecidedDate: '二〇二六年四月一日',
  appealConclusion: '变更原处理决定为容错免责，处理方式：批评教育。',
  originalDecisionRef: '《问责追责处理决定书》（东纪容〔2026〕1号）',
  originalDecisionDate: '二〇二六年三月十一日',
  originalOutcome: '容错减责（减轻）',
  originalMeasures: '纪律处分',
};

const BY_KIND: Partial<Record<DocumentKind, Record<string, unknown>>> = {
  'explanation-official': { recipient: '张明同志', explanation: '经集体研究，对您予以容错减责。' },
  'explanation-party-org': { recipient: '东城区发展改革委', explanation: '经集体研究，对张明同志予以容错减责。' },
  'service-receipt': { recipient: '张明' },
};

/** Every field of the kind with a sample value. */
export function sampleDocumentData(kind: DocumentKind): Record<string, unknown> {
  const values = { ...ALL, ...BY_KIND[kind] };
  return Object.fromEntries(DOCUMENT_KIND_SPECS[kind].fields.map((f) => [f.name, values[f.name] ?? `（${f.description}）`]));
}
