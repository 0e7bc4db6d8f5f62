// The official documents of Art. 13–16 that a case produces, and for each the fields its template may use.
// The field lists are the contract an organ's own template is checked against at upload (render.ts), and
// the keys data.ts fills from the case's record: a template can only name what the case can supply.

export const DOCUMENT_KINDS = [
  'decision',
  'tolerance-reasons',
  'explanation-official',
  'explanation-party-org',
  'service-receipt',
  'appeal-decision',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export function isDocumentKind(value: unknown): value is DocumentKind {
  return typeof value === 'string' && (DOCUMENT_KINDS as readonly string[]).includes(value);
}

/** A field a template may reference: `{name}`, or for a list `{#name}…{/name}` with the item fields inside. */
export interface FieldSpec {
  readonly name: string;
  /** What the field holds (Chinese), shown to whoever edits a template. */
  readonly description: string;
  /** For a list: the fields of each item. */
  readonly items?: readonly FieldSpec[];
}

export interface DocumentKindSpec {
  readonly kind: DocumentKind;
  /** The document's name (Chinese), as on the document and in the case file. */
  readonly title: string;
  /** The article the document serves. */
  readonly article: string;
  /** Whether the document gets a 文号 (document number) when issued. */
  readonly numbered: boolean;
  /** Whether the organ issues it under its red header (版头). */
  readonly redHeader: boolean;
  readonly fields: readonly FieldSpec[];
}

const f = (name: string, description: string, items?: readonly FieldSpec[]): FieldSpec => (items ? { name, description, items } : { name, description });

// ---- field groups ----

const CASE_FIELDS: readonly FieldSpec[] = [
  f('organName', '责任追究机关（发文机关）全称'),
  f('organShortName', '责任追究机关简称（未设简称的为全称）'),
  f('issuedDate', '成文日期，汉字数字（如“二〇二六年三月二日”）'),
  f('issuedDateArabic', '成文日期，阿拉伯数字（如“2026年3月2日”）'),
  f('caseTitle', '案件名称'),
  f('caseOpenedDate', '启动问责调查（立案）日期'),
  f('facts', '失误错误的事实（案情）'),
  f('officialName', '被问责追责干部姓名'),
  f('officialUnit', '被问责追责干部所在单位'),
  f('officialPosition', '被问责追责干部职务'),
  f('officialRank', '被问责追责干部职级（如“县处级副职”）'),
  f('policyTitle', '适用的容错纠错办法名称（不含书名号）'),
  f('policyIssuer', '该办法的发布机关'),
];

const NUMBER_FIELDS: readonly FieldSpec[] = [f('number', '本文书的文号（如“东纪容〔2026〕3号”）')];

const SITUATION_ITEMS: readonly FieldSpec[] = [
  f('article', '条款（如“第八条第（二）项”）'),
  f('text', '该项原文'),
];

const DECISION_FIELDS: readonly FieldSpec[] = [
  f('decisionVersion', '处理决定的版本号（申诉变更、撤销后递增）'),
  f('decisionDate', '作出处理决定的日期'),
  f('outcome', '处理结果：容错免责、容错减责（从轻）、容错减责（减轻）、不予容错或者撤销问责'),
  f('outcomeArticle', '处理结果所依据的条款（如“第十三条第（二）项”）'),
  f('outcomeArticleText', '该条款原文'),
  f('measures', '处理方式，以“、”连接；没有的为“无”'),
  f('measureDetails', '处理方式的具体说明；没有的为空，可用 {#measureDetails}…{/measureDetails} 省略整段'),
  f('accountabilityOpinion', '集体研究提出的问责追责意见'),
  f('toleranceOpinion', '容错意见（第十四条第一款：并入处理决定）'),
  f('toleranceReasons', '处理决定所载的容错理由和容错依据；没有的为“无”'),
  f('situations', '认定的第八条情形（列表）', SITUATION_ITEMS),
  f('situationsText', '认定的第八条情形，连成一句（条款及原文）；未认定的写明未认定'),
  f('approval', '上级审批情况（第十三条第二款）'),
  f('noticeText', '告知事项：可以申诉的告知申诉权利（第十六条），容错免责的写明不受影响（第十七条）'),
  f('deliberationDate', '集体研究日期'),
  f('memberCount', '集体研究应到人数'),
  f('membersPresent', '集体研究实到人数'),
  f('applications', '书面容错申请及答复（列表，第十一条第二款）', [
    f('applicant', '申请人（本人或者所在党组织）'),
    f('submittedDate', '提出日期'),
    f('content', '申请内容'),
    f('answer', '答复意见'),
  ]),
  f('applicationsCount', '书面容错申请件数'),
];

const ASSESSMENT_FIELDS: readonly FieldSpec[] = [
  f('factors', '第九条综合分析判断中认定的因素（列表）', [
    f('dimension', '考察维度（如“考察动机态度”）'),
    f('article', '条款'),
    f('words', '认定情况的原文'),
    f('pole', '有利或者不利'),
    f('decisive', '是否为单独决定不予容错的因素：是或者否'),
  ]),
  f('exclusions', '第十条不予容错情形的逐项核查（列表）', [
    f('article', '条款（如“第十条第（二）项”）'),
    f('text', '该项原文'),
    f('established', '是否存在：是、否或者未认定'),
  ]),
  f('exclusionConclusion', '第十条核查结论'),
  f('recommendation', '研判建议（容错免责、容错减责或者不予容错）'),
  f('recommendationBinding', '研判建议是否为约束性结论：是或者否'),
  f('recommendationNature', '研判建议的性质，一句话说明'),
  f('trace', '研判过程（列表）', [
    f('note', '说明'),
    f('article', '所依据的条款'),
    f('text', '该条款原文'),
  ]),
  f('departure', '处理决定是否与研判建议一致，一句话说明'),
  f('departureReason', '与研判建议不一致的理由；一致的为“无”'),
  f('basis', '所依据的条款原文（列表）', [f('article', '条款'), f('text', '原文')]),
  f('opinions', '听取的意见（列表，第十二条）', [
    f('kind', '意见类别（如“本人陈述申辩”“专家意见”）'),
    f('source', '意见提出方'),
    f('content', '意见内容'),
  ]),
  f('evidence', '证据材料（列表）', [f('title', '名称'), f('kind', '类别'), f('description', '说明')]),
];

const SERVICE_FIELDS: readonly FieldSpec[] = [
  f('servedDate', '宣布、送达日期'),
  f('partyOrgName', '被问责追责干部所在党组织'),
];

const EXPLANATION_FIELDS: readonly FieldSpec[] = [
  f('recipient', '说明对象（主送）'),
  f('explanation', '容错情况说明的正文（第十五条）'),
];

const RECEIPT_FIELDS: readonly FieldSpec[] = [
  f('recipient', '受送达人'),
  f('servedDocuments', '送达文书名称及文号'),
  f('remarks', '备注'),
];

const APPEAL_FIELDS: readonly FieldSpec[] = [
  f('appealLodgedDate', '提出申诉日期'),
  f('appealGrounds', '申诉理由'),
  f('appealOutcome', '申诉处理结果：维持、变更或者撤销'),
  f('appealReasons', '申诉处理理由'),
  f('appealDecidedDate', '申诉处理日期'),
  f('appealConclusion', '申诉处理决定，一句话（如“撤销原处理决定”）'),
  f('originalDecisionRef', '被申诉的处理决定书名称及文号'),
  f('originalDecisionDate', '被申诉的处理决定日期'),
  f('originalOutcome', '被申诉的处理决定的处理结果'),
  f('originalMeasures', '被申诉的处理决定的处理方式'),
];

export const DOCUMENT_KIND_SPECS: Readonly<Record<DocumentKind, DocumentKindSpec>> = {
  decision: {
    kind: 'decision',
    title: '问责追责处理决定书',
    article: '第十三条、第十四条第一款',
    numbered: true,
    redHeader: true,
    fields: [...CASE_FIELDS, ...NUMBER_FIELDS, ...DECISION_FIELDS, ...ASSESSMENT_FIELDS],
  },
  'tolerance-reasons': {
    kind: 'tolerance-reasons',
    title: '容错理由和容错依据',
    article: '第十四条第二款',
    numbered: true,
    redHeader: false,
    fields: [...CASE_FIELDS, ...NUMBER_FIELDS, ...DECISION_FIELDS, ...ASSESSMENT_FIELDS],
  },
  'explanation-official': {
    kind: 'explanation-official',
    title: '容错情况说明（被问责追责干部）',
    article: '第十五条',
    numbered: true,
    redHeader: true,
    fields: [...CASE_FIELDS, ...NUMBER_FIELDS, ...DECISION_FIELDS, ...ASSESSMENT_FIELDS, ...SERVICE_FIELDS, ...EXPLANATION_FIELDS],
  },
  'explanation-party-org': {
    kind: 'explanation-party-org',
    title: '容错情况说明（所在党组织）',
    article: '第十五条',
    numbered: true,
    redHeader: true,
    fields: [...CASE_FIELDS, ...NUMBER_FIELDS, ...DECISION_FIELDS, ...ASSESSMENT_FIELDS, ...SERVICE_FIELDS, ...EXPLANATION_FIELDS],
  },
  'service-receipt': {
    kind: 'service-receipt',
    title: '送达回证',
    article: '第十五条',
    numbered: false,
    redHeader: false,
    fields: [...CASE_FIELDS, ...DECISION_FIELDS, ...SERVICE_FIELDS, ...RECEIPT_FIELDS],
  },
  'appeal-decision': {
    kind: 'appeal-decision',
    title: '申诉处理决定书',
    article: '第十六条',
    numbered: true,
    redHeader: true,
    fields: [...CASE_FIELDS, ...NUMBER_FIELDS, ...DECISION_FIELDS, ...ASSESSMENT_FIELDS, ...APPEAL_FIELDS],
  },
};

export function kindSpec(kind: DocumentKind): DocumentKindSpec {
  return DOCUMENT_KIND_SPECS[kind];
}

/** The kind's field names, lists written as `name[].item` (for error messages and the upload page). */
export function fieldNames(kind: DocumentKind): string[] {
  const names: string[] = [];
  for (const field of DOCUMENT_KIND_SPECS[kind].fields) {
    names.push(field.name);
    for (const item of field.items ?? []) names.push(`${field.name}[].${item.name}`);
  }
  return names;
}
