// The fields of each document, built from the case's record. Every field of the kind's contract (kinds.ts)
// gets a value — never null — so a template that passed inspection can always be filled; where the case
// lacks what the kind needs, the refusal says so (DOCUMENT_NOT_READY) before anything is rendered.
import { isAppealable, OUTCOMES } from '../cases/procedure.js';
import { ACCOUNTABILITY_MEASURES } from '../cases/settings.js';
import type { Db, Tx } from '../db/connect.js';
import type { ApplicationAnswer } from '../db/schema.js';
import { AppError, notFound } from '../errors.js';
import { getPack, type AssessmentInput, type AssessmentResult, type PolicyPack, type Recommendation } from '../policy/index.js';
import { arabicDate, beijingDate, chineseDate, joinList, sentence, storedDate } from './format.js';
import { DOCUMENT_KIND_SPECS, type DocumentKind } from './kinds.js';

export interface DocumentDataOptions {
  /** The document's 文号, allocated by the caller; required for numbered kinds, ignored for the receipt. */
  number: string | null;
  /** When the document is issued (成文日期). */
  issuedAt: Date;
  /**
   * The decision version the document is about. By default: the current decision (decision, reasons), the
   * served decision (explanations, receipt), the decision an appeal made (appeal decision).
   */
  forDecisionId?: string;
}

export interface LoadedDocument {
  kind: DocumentKind;
  /** Exactly the kind's fields (kinds.ts), each with a value. */
  data: Record<string, unknown>;
  /** The decision version the document is about (documents.decision_id). */
  decisionId: string;
}

/** The case lacks what this document needs (no decision yet, not served, no decided appeal…). */
export const documentNotReady = (message: string, messageEn: string) =>
  new AppError({ code: 'DOCUMENT_NOT_READY', status: 422, message, messageEn });

export const RANK_LABELS: Readonly<Record<string, string>> = {
  'ministerial-principal': '省部级正职',
  'ministerial-deputy': '省部级副职',
  'bureau-principal': '厅局级正职',
  'bureau-deputy': '厅局级副职',
  'division-principal': '县处级正职',
  'division-deputy': '县处级副职',
  'section-principal': '乡科级正职',
  'section-deputy': '乡科级副职',
  staff: '科员及以下',
};

const OPINION_KINDS: Readonly<Record<string, string>> = {
  statement: '本人陈述申辩',
  unit: '相关单位意见',
  'interested-party': '利害相关方意见',
  society: '社会方面意见',
  expert: '专家意见',
};

const EVIDENCE_KINDS: Readonly<Record<string, string>> = {
  document: '书面材料',
  testimony: '证人证言',
  photo: '照片',
  record: '记录',
  other: '其他',
};

const APPEAL_OUTCOMES: Readonly<Record<string, string>> = { upheld: '维持', changed: '变更', revoked: '撤销' };

const REDUCTIONS: Readonly<Record<string, string>> = { lighter: '从轻', mitigated: '减轻' };

/** `容错减责（减轻）` etc. */
export function outcomeLabel(outcome: string, reduction: string | null): string {
  const label = OUTCOMES[outcome as keyof typeof OUTCOMES] ?? outcome;
  return outcome === 'reduced' && reduction ? `${label}（${REDUCTIONS[reduction] ?? reduction}）` : label;
}

export function measuresLabel(measures: readonly string[]): string {
  return joinList(measures.map((m) => ACCOUNTABILITY_MEASURES[m as keyof typeof ACCOUNTABILITY_MEASURES] ?? m));
}

// ---- quoting the pack ----

const ITEM_REF = /^(第[一二三四五六七八九十百]+条)(?:第（([一二三四五六七八九十]+)）项)?$/u;

interface Quote {
  article: string;
  text: string;
  order: [number, number];
}

/**
 * The original words at a reference: an item's words verbatim (`第八条第（二）项`), or for a whole article the
 * passage the citing entry quoted, else the article's text. Undefined for references the pack cannot resolve.
 */
function quoteAt(pack: PolicyPack, ref: string, passage?: string): Quote | undefined {
  const m = ITEM_REF.exec(ref);
  if (!m) return undefined;
  const index = pack.articles.findIndex((a) => a.number === m[1]);
  const article = pack.articles[index];
  if (!article) return undefined;
  if (!m[2]) return { article: ref, text: passage ?? article.text, order: [index, -1] };
  const itemIndex = article.items.findIndex((i) => i.number === `（${m[2]}）`);
  const item = article.items[itemIndex];
  return item ? { article: ref, text: item.text, order: [index, itemIndex] } : undefined;
}

function articleText(pack: PolicyPack, number: string): string {
  const article = pack.articles.find((a) => a.number === number);
  if (!article) throw new Error(`policy pack ${pack.id} has no ${number}`);
  return article.text;
}

// ---- loading ----

type DecisionRow = Awaited<ReturnType<typeof selectDecisions>>[number];

function selectDecisions(db: Db | Tx, caseId: string) {
  return db.selectFrom('decisions').selectAll().where('case_id', '=', caseId).orderBy('version').execute();
}

/** The latest number under which a document of this kind was issued for a decision version, if any. */
async function issuedNumber(db: Db | Tx, caseId: string, kind: DocumentKind, decisionId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('documents')
    .select('number')
    .where('case_id', '=', caseId)
    .where('kind', '=', kind)
    .where('decision_id', '=', decisionId)
    .where('number', 'is not', null)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.number ?? undefined;
}

/** Loads the document's fields; see `loadDocument`. */
export async function loadDocumentData(db: Db | Tx, caseId: string, kind: DocumentKind, options: DocumentDataOptions): Promise<Record<string, unknown>> {
  return (await loadDocument(db, caseId, kind, options)).data;
}

/**
 * Builds every field of the kind from the case's record, under the policy pack the case was opened with.
 * Throws DOCUMENT_NOT_READY (422) when the case lacks what the kind needs, NOT_FOUND for a decision version
 * that is not this case's.
 */
export async function loadDocument(db: Db | Tx, caseId: string, kind: DocumentKind, options: DocumentDataOptions): Promise<LoadedDocument> {
  const spec = DOCUMENT_KIND_SPECS[kind];
  if (!spec) throw new Error(`unknown document kind ${String(kind)}`);
  if (spec.numbered && !options.number?.trim()) throw new Error(`a ${kind} document is numbered: pass its 文号`);

  const kase = await db
    .selectFrom('cases')
    .innerJoin('officials', 'officials.id', 'cases.official_id')
    .innerJoin('organizations as organ', 'organ.id', 'cases.organ_id')
    .innerJoin('organizations as unit', 'unit.id', 'officials.organization_id')
    .select([
      'cases.id',
      'cases.title',
      'cases.description',
      'cases.policy_id',
      'cases.opened_at',
      'organ.name as organ_name',
      'organ.short_name as organ_short_name',
      'officials.name as official_name',
      'officials.position as official_position',
      'officials.rank as official_rank',
      'unit.name as unit_name',
    ])
    .where('cases.id', '=', caseId)
    .executeTakeFirst();
  if (!kase) throw notFound('案件');
  const pack = getPack(kase.policy_id);
  const decisions = await selectDecisions(db, caseId);
  const byId = (id: string | null | undefined) => decisions.find((d) => d.id === id);
  if (options.forDecisionId !== undefined && !byId(options.forDecisionId)) throw notFound('处理决定');

  // ---- which decision, service and appeal the document is about ----
  let decision: DecisionRow | undefined;
  let service: { served_at: Date; explanation_to_official: string; explanation_to_party_org: string; party_org_id: string; decision_id: string } | undefined;
  let appeal:
    | { lodged_at: Date; grounds: string; outcome: string | null; reasons: string | null; decided_at: Date | null; decision_id: string; new_decision_id: string | null }
    | undefined;
  if (kind === 'decision' || kind === 'tolerance-reasons') {
    decision = options.forDecisionId ? byId(options.forDecisionId) : decisions.find((d) => d.current);
    if (!decision) throw documentNotReady('本案尚未作出处理决定，不能生成该文书', 'the case has no decision yet');
  } else if (kind === 'appeal-decision') {
    let query = db
      .selectFrom('appeals')
      .select(['lodged_at', 'grounds', 'outcome', 'reasons', 'decided_at', 'decision_id', 'new_decision_id'])
      .where('case_id', '=', caseId)
      .where('outcome', 'is not', null);
    if (options.forDecisionId) query = query.where('new_decision_id', '=', options.forDecisionId);
    appeal = await query.orderBy('decided_at', 'desc').limit(1).executeTakeFirst();
    if (!appeal) throw documentNotReady('本案没有已处理的申诉，不能生成申诉处理决定书', 'the case has no decided appeal');
    decision = byId(appeal.new_decision_id);
    if (!decision) throw new Error(`appeal of case ${caseId} has no new decision`);
  } else {
    let query = db
      .selectFrom('services')
      .select(['served_at', 'explanation_to_official', 'explanation_to_party_org', 'party_org_id', 'decision_id'])
      .where('case_id', '=', caseId);
    if (options.forDecisionId) query = query.where('decision_id', '=', options.forDecisionId);
    service = await query.orderBy('served_at', 'desc').limit(1).executeTakeFirst();
    if (!service) {
      throw documentNotReady('处理决定尚未宣布、送达，没有送达和容错情况说明的记录，不能生成该文书', 'the decision has not been served: no service or explanation on record');
    }
    decision = byId(service.decision_id);
    if (!decision) throw new Error(`service of case ${caseId} has no decision`);
  }
  if (decision.approval_state === 'pending') {
    throw documentNotReady('处理决定尚待上级审批，未生效，不能生成该文书', 'the decision awaits the higher authority and is not in force');
  }
  if (decision.approval_state === 'returned') {
    throw documentNotReady('处理决定已被上级审批退回，不能生成该文书', 'the decision was returned by the higher authority');
  }

  // ---- the deliberation and assessment behind the decision ----
  const deliberation = await db
    .selectFrom('deliberations')
    .selectAll()
    .where('case_id', '=', caseId)
    .$if(decision.deliberation_id !== null, (q) => q.where('id', '=', decision.deliberation_id!))
    .orderBy('position', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!deliberation) throw documentNotReady('本案没有集体研究记录，不能生成该文书', 'the case has no recorded deliberation');
  const assessment = await db
    .selectFrom('assessments')
    .select(['input', 'engine_output'])
    .where('id', '=', deliberation.assessment_id)
    .executeTakeFirst();
  if (!assessment) throw documentNotReady('本案没有容错研判记录，不能生成该文书', 'the case has no recorded assessment');
  const input = assessment.input as unknown as AssessmentInput;
  const engine = assessment.engine_output as unknown as AssessmentResult;

  const [applications, opinions, evidence] = await Promise.all([
    db
      .selectFrom('applications')
      .leftJoin('organizations', 'organizations.id', 'applications.party_org_id')
      .select(['applications.id', 'applications.applicant_kind', 'applications.content', 'applications.submitted_at', 'organizations.name as party_org_name'])
      .where('applications.case_id', '=', caseId)
      .where('applications.submitted_at', '<=', decision.decided_at)
      .orderBy('applications.submitted_at')
      .execute(),
    db.selectFrom('opinions').select(['kind', 'source', 'content']).where('case_id', '=', caseId).where('recorded_at', '<=', decision.decided_at).orderBy('recorded_at').execute(),
    db.selectFrom('evidence').select(['title', 'kind', 'description']).where('case_id', '=', caseId).where('recorded_at', '<=', decision.decided_at).orderBy('recorded_at').execute(),
  ]);

  // ---- fields ----
  const officialName = kase.official_name;
  const fields: Record<string, unknown> = {};
  const issued = beijingDate(options.issuedAt);

  // The case
  Object.assign(fields, {
    organName: kase.organ_name,
    organShortName: kase.organ_short_name ?? kase.organ_name,
    issuedDate: chineseDate(issued),
    issuedDateArabic: arabicDate(issued),
    caseTitle: kase.title,
    caseOpenedDate: chineseDate(beijingDate(kase.opened_at)),
    facts: kase.description.trim() || kase.title,
    officialName,
    officialUnit: kase.unit_name,
    officialPosition: kase.official_position,
    officialRank: RANK_LABELS[kase.official_rank] ?? kase.official_rank,
    policyTitle: pack.title,
    policyIssuer: pack.issuer,
    number: options.number ?? '',
  });

  // The decision
  const situations = pack.situations.filter((s) => input.situations.includes(s.id)).map((s) => ({ article: s.article, text: s.text }));
  const outcomeQuote =
    decision.outcome === 'revoked'
      ? { article: '第十六条', text: articleText(pack, '第十六条') }
      : pack.outcomes[decision.outcome as Recommendation];
  const answers = deliberation.application_answers as unknown as ApplicationAnswer[];
  Object.assign(fields, {
    decisionVersion: String(decision.version),
    decisionDate: chineseDate(beijingDate(decision.decided_at)),
    outcome: outcomeLabel(decision.outcome, decision.reduction),
    outcomeArticle: outcomeQuote.article,
    outcomeArticleText: outcomeQuote.text,
    measures: measuresLabel(decision.measures),
    measureDetails: decision.measure_details.trim(),
    accountabilityOpinion: deliberation.accountability_opinion,
    toleranceOpinion: decision.tolerance_opinion,
    toleranceReasons: decision.tolerance_reasons.trim() || '无',
    situations,
    situationsText:
      situations.length > 0
        ? `属于${situations.map((s) => `${s.article}规定的“${s.text}”情形`).join('，以及')}`
        : `不属于${pack.nouns.situation.replace(/情形$/u, '')}所列可以容错的情形`,
    approval:
      decision.approval_state === 'approved' && decision.approved_at
        ? `本决定已按照干部管理权限和处分权限报上级审批，于${chineseDate(beijingDate(decision.approved_at))}经审批同意。`
        : '按照干部管理权限和处分权限，本决定无需报上级审批。',
    noticeText: noticeText(pack, decision),
    deliberationDate: chineseDate(storedDate(deliberation.held_on)),
    memberCount: String(deliberation.member_count),
    membersPresent: String(deliberation.members_present.length),
    applications: applications.map((a) => ({
      applicant: a.applicant_kind === 'official' ? `被问责追责干部${officialName}本人` : `所在党组织（${a.party_org_name ?? '党组织'}）`,
      submittedDate: chineseDate(beijingDate(a.submitted_at)),
      content: a.content,
      answer: answers.find((x) => x.applicationId === a.id)?.answer ?? '未答复',
    })),
    applicationsCount: String(applications.length),
  });

  // The assessment
  const factors = pack.factors.flatMap((factor) => {
    const valueId = input.factors?.[factor.id];
    const value = factor.values.find((v) => v.id === valueId);
    if (!value) return [];
    const dimension = pack.dimensions.find((d) => d.id === factor.dimension);
    return [
      {
        dimension: dimension?.name ?? factor.dimension,
        article: value.article,
        words: value.words,
        pole: value.pole === 'favourable' ? '有利因素' : value.decisive ? '不利因素（足以单独决定不予容错）' : '不利因素',
        decisive: value.decisive ? '是' : '否',
      },
    ];
  });
  const exclusions = pack.exclusions.map((e) => {
    const established = input.exclusions?.[e.id];
    return { article: e.article, text: e.text, established: established === true ? '是' : established === false ? '否' : '未认定' };
  });
  const excluded = pack.exclusions.filter((e) => input.exclusions?.[e.id] === true);
  const unsettled = exclusions.some((e) => e.established === '未认定');
  const recommendation = pack.outcomes[engine.recommendation].label;
  const departs = decision.outcome !== engine.recommendation;
  // A clause: the template ends the sentence.
  const departureReason = (decision.departure_reason?.trim() || deliberation.departure_reason?.trim() || '').replace(/[。；;.]+$/u, '');
  Object.assign(fields, {
    factors,
    exclusions,
    exclusionConclusion:
      excluded.length > 0
        ? `经核查，存在${excluded.map((e) => e.article).join('、')}所列情形，依照第十条不予容错。`
        : unsettled
          ? '第十条所列情形尚未全部认定。'
          : '经逐项核查，不存在第十条所列不予容错的情形。',
    recommendation,
    recommendationBinding: engine.binding ? '是' : '否',
    recommendationNature: engine.binding
      ? engine.excludedBy.length > 0
        ? '存在第十条所列不予容错情形，该建议具有约束力'
        : '未认定第八条所列可以容错的情形，该建议具有约束力'
      : '该建议供集体研究参考，不具有约束力',
    trace: engine.trace.map((t) => ({ note: sentence(t.note), article: t.article, text: t.text })),
    departure:
      decision.outcome === 'revoked'
        ? `原处理决定经申诉撤销；研判建议为${recommendation}。`
        : departs
          ? `处理决定（${outcomeLabel(decision.outcome, decision.reduction)}）与研判建议（${recommendation}）不一致。`
          : '处理决定与研判建议一致。',
    departureReason: departs && departureReason ? departureReason : '无',
    basis: basisQuotes(pack, decision.outcome, input, engine, outcomeQuote),
    opinions: opinions.map((o) => ({ kind: OPINION_KINDS[o.kind] ?? o.kind, source: o.source, content: o.content })),
    evidence: evidence.map((e) => ({ title: e.title, kind: EVIDENCE_KINDS[e.kind] ?? e.kind, description: e.description })),
  });

  // The service
  if (service) {
    const partyOrg = await db.selectFrom('organizations').select('name').where('id', '=', service.party_org_id).executeTakeFirstOrThrow();
    Object.assign(fields, {
      servedDate: chineseDate(beijingDate(service.served_at)),
      partyOrgName: partyOrg.name,
    });
    if (kind === 'explanation-official') Object.assign(fields, { recipient: `${officialName}同志`, explanation: service.explanation_to_official });
    if (kind === 'explanation-party-org') Object.assign(fields, { recipient: partyOrg.name, explanation: service.explanation_to_party_org });
    if (kind === 'service-receipt') {
      const decisionNumber = await issuedNumber(db, caseId, 'decision', decision.id);
      const explanationNumber = await issuedNumber(db, caseId, 'explanation-official', decision.id);
      Object.assign(fields, {
        recipient: officialName,
        servedDocuments: [
          `《${DOCUMENT_KIND_SPECS.decision.title}》${decisionNumber ? `（${decisionNumber}）` : ''}`,
          ...(explanationNumber ? [`《容错情况说明》（${explanationNumber}）`] : []),
        ].join('、'),
        remarks: `已同时向被问责追责干部本人及其所在党组织（${partyOrg.name}）说明容错情况。`,
      });
    }
  }

  // The appeal
  if (appeal) {
    const original = byId(appeal.decision_id);
    if (!original) throw new Error(`appeal of case ${caseId} has no appealed decision`);
    const originalNumber = await issuedNumber(db, caseId, 'decision', original.id);
    const outcome = appeal.outcome ?? '';
    Object.assign(fields, {
      appealLodgedDate: chineseDate(beijingDate(appeal.lodged_at)),
      appealGrounds: appeal.grounds,
      appealOutcome: APPEAL_OUTCOMES[outcome] ?? outcome,
      appealReasons: appeal.reasons ?? '',
      appealDecidedDate: chineseDate(beijingDate(appeal.decided_at ?? options.issuedAt)),
      appealConclusion:
        outcome === 'upheld'
          ? '维持原处理决定。'
          : outcome === 'revoked'
            ? '撤销原处理决定。'
            : `变更原处理决定为${outcomeLabel(decision.outcome, decision.reduction)}，处理方式：${measuresLabel(decision.measures)}。`,
      originalDecisionRef: `《${DOCUMENT_KIND_SPECS.decision.title}》${originalNumber ? `（${originalNumber}）` : ''}`,
      originalDecisionDate: chineseDate(beijingDate(original.decided_at)),
      originalOutcome: outcomeLabel(original.outcome, original.reduction),
      originalMeasures: measuresLabel(original.measures),
    });
  }

  // Exactly the kind's fields, every one with a value.
  const data: Record<string, unknown> = {};
  for (const field of spec.fields) {
    const value = fields[field.name];
    if (value === undefined || value === null) throw new Error(`document field ${field.name} of ${kind} was not loaded`);
    data[field.name] = value;
  }
  return { kind, data, decisionId: decision.id };
}

function noticeText(pack: PolicyPack, decision: DecisionRow): string {
  if (decision.outcome === 'exempt') return `依照《${pack.title}》第十七条的规定，${articleText(pack, '第十七条')}`;
  if (decision.outcome === 'revoked') return '原处理决定已经申诉撤销。';
  if (decision.source === 'appeal') return '本决定为申诉处理后作出的决定。';
  if (isAppealable(decision.outcome, decision.measures)) return `如对本决定不服，可以依照《${pack.title}》第十六条和有关规定提出申诉。`;
  return '本决定自宣布、送达之日起执行。';
}

/** The articles the decision relies on, each quoted from the pack, in the order of the text. */
function basisQuotes(
  pack: PolicyPack,
  outcome: string,
  input: AssessmentInput,
  engine: AssessmentResult,
  outcomeQuote: { article: string; text: string },
): { article: string; text: string }[] {
  const refs: { ref: string; passage?: string }[] = [];
  for (const s of pack.situations) if (input.situations.includes(s.id)) refs.push({ ref: s.article });
  for (const factor of pack.factors) {
    const value = factor.values.find((v) => v.id === input.factors?.[factor.id]);
    if (value) refs.push({ ref: value.article });
  }
  for (const e of pack.exclusions) refs.push({ ref: e.article });
  for (const t of engine.trace) refs.push({ ref: t.article, passage: t.text });
  refs.push({ ref: outcomeQuote.article, ...(outcome === 'revoked' ? {} : { passage: outcomeQuote.text }) });
  const quotes = new Map<string, Quote>();
  for (const { ref, passage } of refs) {
    if (quotes.has(ref)) continue;
    const quote = quoteAt(pack, ref, passage);
    if (quote) quotes.set(ref, quote);
  }
  return [...quotes.values()]
    .sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1])
    .map(({ article, text }) => ({ article, text }));
}
