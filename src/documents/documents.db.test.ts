import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SignedIn } from '../../test/helpers/app.js';
import { useTestDatabase } from '../../test/helpers/db.js';
import { buildWorld, FAVOURABLE_ASSESSMENT, type World } from '../../test/helpers/world.js';
import type { Db } from '../db/connect.js';
import { AppError } from '../errors.js';
import { bj2020 } from '../policy/index.js';
import { loadDocument, loadDocumentData } from './data.js';
import { DOCUMENT_KIND_SPECS, DOCUMENT_KINDS, type DocumentKind } from './kinds.js';
import { defaultTemplate, renderDocument } from './render.js';
import { docxText } from './text.js';

/**
 * A case driven over HTTP through decision, approval, service and appeal; at each step, every document the
 * case can have is loaded from the record, rendered with the shipped template and read back.
 */

const FACTS = '在推进审批制度改革试点中，因政策界限不明确导致项目资金拨付延误。';
const TOLERANCE_OPINION = '符合容错减责条件，予以减轻处理。';
const EXPLANATION_TO_OFFICIAL = '经集体研究，对您予以容错减责，现将容错情况说明如下。';
const EXPLANATION_TO_PARTY_ORG = '经集体研究，对张明同志予以容错减责，现向所在党组织说明容错情况。';
const APPEAL_REASONS = '经复查，损失已全部挽回，变更为容错免责。';
const ISSUED_AT = new Date('2026-03-12T02:00:00Z');
const reformPilot = bj2020.situations.find((s) => s.id === 'reform-pilot')!;

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a refusal');
}

const numberFor = (kind: DocumentKind, serial: number) => (DOCUMENT_KIND_SPECS[kind].numbered ? `东纪容〔2026〕${serial}号` : null);

/** Loads, renders with the default template and reads back one document. */
async function generate(db: Db, caseId: string, kind: DocumentKind, serial: number, forDecisionId?: string) {
  const number = numberFor(kind, serial);
  const loaded = await loadDocument(db, caseId, kind, { number, issuedAt: ISSUED_AT, ...(forDecisionId ? { forDecisionId } : {}) });
  const docx = renderDocument(defaultTemplate(kind), loaded.data);
  return { ...loaded, number, docx, text: docxText(docx) };
}

/** Records an issued document as the issuing service would, so later documents can cite its number. */
async function recordIssued(db: Db, caseId: string, kind: DocumentKind, doc: { docx: Buffer; number: string | null; decisionId: string }, userId: string) {
  const sha256 = createHash('sha256').update(doc.docx).digest('hex');
  await db.insertInto('files').values({ sha256, size: String(doc.docx.length), media_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', stored_at: ISSUED_AT }).onConflict((oc) => oc.doNothing()).execute();
  await db
    .insertInto('documents')
    .values({ case_id: caseId, kind, version: 1, number: doc.number, decision_id: doc.decisionId, file_sha256: sha256, pdf_sha256: null, template_sha256: sha256, generated_by: userId, generated_at: ISSUED_AT })
    .execute();
}

describe('documents from a case record', () => {
  const database = useTestDatabase();
  let app: FastifyInstance;
  let world: World;
  let now = new Date('2026-03-02T01:00:00Z');
  const clock = { now: () => new Date(now) };
  beforeAll(async () => {
    app = await buildTestApp(database.current.db, clock);
    world = await buildWorld(database.current.db, app);
  });
  afterAll(() => app.close());

  const ok = async (response: { statusCode: number; body: string; json(): unknown }, status = 200) => {
    expect(response.statusCode, response.body).toBe(status);
    return response.json() as { data: Record<string, unknown>; version: number };
  };

  async function openCase(handler: SignedIn, title: string) {
    const opened = await ok(await handler.inject({ method: 'POST', url: '/api/v1/cases', payload: { officialId: world.officials.official, title, description: FACTS } }), 201);
    const caseId = opened.data.id as string;
    let version = opened.version;
    const post = async (session: SignedIn, path: string, payload: Record<string, unknown>) => {
      const result = await ok(await session.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/${path}`, payload: { version, ...payload } }));
      version = result.version;
      return result;
    };
    return { caseId, post };
  }

  it('takes a reduced decision through approval, service and appeal, with every document at every step', async () => {
    const db = database.current.db;
    const { users, signIn } = world;
    const handler = await signIn(users.handler);
    const official = await signIn(users.official);
    const partyOrg = await signIn(users.partyOrg);
    const { caseId, post } = await openCase(handler, '东城区某改革试点项目资金拨付延误');

    // Opened: no document yet.
    for (const kind of DOCUMENT_KINDS) {
      const refused = await refusal(loadDocumentData(db, caseId, kind, { number: numberFor(kind, 1), issuedAt: ISSUED_AT }));
      expect(refused.code, kind).toBe('DOCUMENT_NOT_READY');
      expect(refused.status).toBe(422);
      expect(refused.message).toMatch(/[\u4e00-\u9fff]/u);
    }

    await post(official, 'statement', { content: '本人在试点中按照集体研究意见推进，因政策界限不明确出现延误，已主动整改。' });
    await post(handler, 'opinions', { kind: 'unit', source: '东城区发展改革委', content: '该同志一贯表现良好，试点中积极作为。' });
    const ownApplication = await post(official, 'applications', { content: '本人申请容错：属于第八条第（二）项情形。' });
    const partyApplication = await post(partyOrg, 'applications', { content: '党支部认为该同志符合容错条件，特提出书面容错申请。' });
    await post(handler, 'assessment', { input: FAVOURABLE_ASSESSMENT });
    const present = users.members.slice(0, 3).map((m) => m.id);
    await post(handler, 'deliberations', {
      heldOn: '2026-03-10',
      membersPresent: present,
      memberOpinions: present.map((memberId) => ({ memberId, opinion: 'reduced', comment: '' })),
      accountabilityOpinion: '应当问责，给予纪律处分。',
      toleranceOpinion: '符合第八条第（二）项情形，予以容错减责。',
      proposedOutcome: 'reduced',
      applicationAnswers: [
        { applicationId: ownApplication.data.id, answer: '经研究，符合容错减责条件。' },
        { applicationId: partyApplication.data.id, answer: '党支部申请已予考虑，予以减责。' },
      ],
      departureReason: '延误造成一定社会影响，不宜完全免责。',
    });
    await post(handler, 'decision', {
      outcome: 'reduced',
      reduction: 'mitigated',
      measures: ['disciplinary-sanction'],
      toleranceOpinion: TOLERANCE_OPINION,
      toleranceReasons: '属于第八条第（二）项情形；动机出于公心；及时挽回损失。',
      departureReason: '延误造成一定社会影响，不宜完全免责。',
    });

    // Decided but awaiting the higher authority (R7): not in force, no document.
    const pending = await refusal(loadDocumentData(db, caseId, 'decision', { number: '东纪容〔2026〕1号', issuedAt: ISSUED_AT }));
    expect(pending.code).toBe('DOCUMENT_NOT_READY');
    expect(pending.message).toContain('审批');

    now = new Date('2026-03-11T06:00:00Z');
    await post(await signIn(users.approver), 'decision/approval', { approve: true });

    // 1. The decision, with the tolerance opinion merged in (Art. 14 ¶1).
    const decision = await generate(db, caseId, 'decision', 1);
    expect(decision.data).toMatchObject({
      organName: '东城区纪委监委',
      organShortName: '东城区纪委监委',
      officialName: '张明',
      officialUnit: '东城区发展改革委',
      officialPosition: '副主任',
      officialRank: '县处级副职',
      facts: FACTS,
      outcome: '容错减责（减轻）',
      outcomeArticle: '第十三条第（二）项',
      measures: '纪律处分',
      toleranceOpinion: TOLERANCE_OPINION,
      deliberationDate: '二〇二六年三月十日',
      memberCount: '5',
      membersPresent: '3',
      applicationsCount: '2',
      issuedDate: '二〇二六年三月十二日',
      issuedDateArabic: '2026年3月12日',
      decisionVersion: '1',
      number: '东纪容〔2026〕1号',
    });
    expect(decision.data.approval).toContain('二〇二六年三月十一日经审批同意');
    expect(decision.data.noticeText).toContain('第十六条');
    expect(decision.data.situations).toEqual([{ article: reformPilot.article, text: reformPilot.text }]);
    for (const part of [
      '东城区纪委监委',
      '东纪容〔2026〕1号',
      '问责追责处理决定书',
      '被问责追责干部：张明，东城区发展改革委副主任，县处级副职。',
      FACTS,
      `${reformPilot.article}规定的“${reformPilot.text}”情形`,
      '决定对张明同志容错减责（减轻），处理方式：纪律处分。',
      TOLERANCE_OPINION,
      `“${bj2020.outcomes.reduced.text}”`,
      '被问责追责干部张明本人于二〇二六年三月二日提出书面容错申请。答复意见：经研究，符合容错减责条件。',
      '所在党组织（东城区发展改革委）于二〇二六年三月二日提出书面容错申请。答复意见：党支部申请已予考虑，予以减责。',
      '二〇二六年三月十二日',
    ]) {
      expect(decision.text, part).toContain(part);
    }
    expect(decision.text).not.toMatch(/[{}]/u);
    // To look at them: DOCUMENTS_PREVIEW_DIR=/tmp/x npx vitest run src/documents/documents.db.test.ts
    if (process.env.DOCUMENTS_PREVIEW_DIR) writeFileSync(path.join(process.env.DOCUMENTS_PREVIEW_DIR, 'decision.docx'), decision.docx);

    // 2. The reasons and basis, a separate written material (Art. 14 ¶2).
    const reasons = await generate(db, caseId, 'tolerance-reasons', 2);
    if (process.env.DOCUMENTS_PREVIEW_DIR) writeFileSync(path.join(process.env.DOCUMENTS_PREVIEW_DIR, 'tolerance-reasons.docx'), reasons.docx);
    expect(reasons.decisionId).toBe(decision.decisionId);
    expect(reasons.text).toContain('容错理由和容错依据');
    expect(reasons.text).toContain('东纪容〔2026〕2号');
    expect(reasons.text).toContain(FACTS);
    expect(reasons.text).toMatch(/本人陈述申辩（[^）]+）：本人在试点中按照集体研究意见推进/u);
    expect(reasons.text).toContain('相关单位意见（东城区发展改革委）：该同志一贯表现良好，试点中积极作为。');
    expect(reasons.text).toContain(`属于${reformPilot.article}规定的情形：“${reformPilot.text}”。`);
    for (const [factorId, valueId] of Object.entries(FAVOURABLE_ASSESSMENT.factors)) {
      const factor = bj2020.factors.find((f) => f.id === factorId)!;
      const value = factor.values.find((v) => v.id === valueId)!;
      const dimension = bj2020.dimensions.find((d) => d.id === factor.dimension)!;
      expect(reasons.text, factorId).toContain(`${dimension.name}\n“${value.words}”\n（${value.article}）\n有利因素`);
    }
    for (const exclusion of bj2020.exclusions) expect(reasons.text, exclusion.id).toContain(`${exclusion.article}\n${exclusion.text}\n否`);
    expect(reasons.text).toContain('经逐项核查，不存在第十条所列不予容错的情形。');
    expect(reasons.text).toContain('研判建议为容错免责（该建议供集体研究参考，不具有约束力）');
    expect(reasons.text).toContain('已认定第八条第（二）项规定的情形，属于可以容错的范围。');
    expect(reasons.text).toContain('处理决定（容错减责（减轻））与研判建议（容错免责）不一致。与研判建议不一致的理由：延误造成一定社会影响，不宜完全免责。');
    // The articles relied on, quoted from the pack.
    const article8 = bj2020.articles.find((a) => a.number === '第八条')!;
    expect(reasons.text).toContain(`${reformPilot.article}\n${article8.items[1]!.text}`);
    expect(reasons.text).toContain('第四条\n为推动发展的无意过失');
    expect(reasons.text).toContain(`第十条第（三）项\n${bj2020.articles.find((a) => a.number === '第十条')!.items[2]!.text}`);
    const basisOrder = (reasons.data.basis as { article: string }[]).map((b) => b.article);
    expect(basisOrder.indexOf('第四条')).toBeLessThan(basisOrder.indexOf('第八条第（二）项'));
    expect(basisOrder.indexOf('第八条第（二）项')).toBeLessThan(basisOrder.indexOf('第九条'));
    expect(basisOrder.indexOf('第十条第（四）项')).toBeLessThan(basisOrder.indexOf('第十三条第（二）项'));

    // Not served yet: no explanation, no receipt.
    for (const kind of ['explanation-official', 'explanation-party-org', 'service-receipt'] as const) {
      expect((await refusal(loadDocumentData(db, caseId, kind, { number: numberFor(kind, 9), issuedAt: ISSUED_AT }))).code).toBe('DOCUMENT_NOT_READY');
    }
    await recordIssued(db, caseId, 'decision', decision, handler.userId);

    // 3. Service and the explanations to the official and to their party organization (Art. 15).
    now = new Date('2026-03-13T02:00:00Z');
    await post(await signIn(users.handler), 'service', { explanationToOfficial: EXPLANATION_TO_OFFICIAL, explanationToPartyOrg: EXPLANATION_TO_PARTY_ORG });
    const toOfficial = await generate(db, caseId, 'explanation-official', 3);
    expect(toOfficial.text).toContain('张明同志：');
    expect(toOfficial.text).toContain(EXPLANATION_TO_OFFICIAL);
    expect(toOfficial.text).not.toContain(EXPLANATION_TO_PARTY_ORG);
    const toPartyOrg = await generate(db, caseId, 'explanation-party-org', 4);
    expect(toPartyOrg.text).toContain('东城区发展改革委：');
    expect(toPartyOrg.text).toContain(EXPLANATION_TO_PARTY_ORG);
    expect(toPartyOrg.text).not.toContain(EXPLANATION_TO_OFFICIAL);
    for (const doc of [toOfficial, toPartyOrg]) {
      expect(doc.text).toContain('容错情况说明');
      expect(doc.text).toContain(doc.number!);
      expect(doc.text).toContain('容错减责（减轻），处理方式：纪律处分');
      expect(doc.text).toContain(TOLERANCE_OPINION);
      expect(doc.text).toContain(`“${reformPilot.text}”`);
      expect(doc.text).toContain('东城区纪委监委');
    }
    await recordIssued(db, caseId, 'explanation-official', toOfficial, handler.userId);

    // 4. The receipt of service: no number of its own; it names the served documents with theirs.
    const receipt = await generate(db, caseId, 'service-receipt', 0);
    expect(receipt.data).not.toHaveProperty('number');
    expect(receipt.text).toContain('送达回证');
    expect(receipt.text).toContain('送达文书\n名称及文号\n《问责追责处理决定书》（东纪容〔2026〕1号）、《容错情况说明》（东纪容〔2026〕3号）');
    expect(receipt.text).toContain('受送达人\n张明（东城区发展改革委副主任）');
    expect(receipt.text).toContain('送达日期\n二〇二六年三月十三日');
    expect(receipt.text).toContain('受送达人\n签收');

    // 5. The appeal, changed to exempt: a new decision version; the documents follow it.
    expect((await refusal(loadDocumentData(db, caseId, 'appeal-decision', { number: '东纪容〔2026〕5号', issuedAt: ISSUED_AT }))).code).toBe('DOCUMENT_NOT_READY');
    now = new Date('2026-03-20T01:00:00Z');
    await post(await signIn(users.official), 'appeal', { grounds: '本人认为应当容错免责。' });
    expect((await refusal(loadDocumentData(db, caseId, 'appeal-decision', { number: '东纪容〔2026〕5号', issuedAt: ISSUED_AT }))).code).toBe('DOCUMENT_NOT_READY');
    now = new Date('2026-03-25T01:00:00Z');
    await post(await signIn(users.handler2), 'appeal/decision', {
      outcome: 'changed',
      reasons: APPEAL_REASONS,
      change: { outcome: 'exempt', measures: ['criticism-education'], toleranceOpinion: '符合容错免责条件。', toleranceReasons: '第八条第（二）项；损失已挽回。' },
    });
    const appeal = await generate(db, caseId, 'appeal-decision', 5);
    expect(appeal.data).toMatchObject({
      appealOutcome: '变更',
      appealLodgedDate: '二〇二六年三月二十日',
      appealDecidedDate: '二〇二六年三月二十五日',
      originalOutcome: '容错减责（减轻）',
      originalMeasures: '纪律处分',
      outcome: '容错免责',
      measures: '批评教育',
      decisionVersion: '2',
    });
    for (const part of [
      '申诉处理决定书',
      '东纪容〔2026〕5号',
      '申诉人：张明，东城区发展改革委副主任，县处级副职。',
      '《问责追责处理决定书》（东纪容〔2026〕1号）（处理结果：容错减责（减轻）；处理方式：纪律处分）',
      '申诉理由：本人认为应当容错免责。',
      APPEAL_REASONS,
      '变更原处理决定为容错免责，处理方式：批评教育。',
      '东城区纪委监委',
    ]) {
      expect(appeal.text, part).toContain(part);
    }

    // The decision document now follows the current version; the appealed version can still be produced.
    const current = await generate(db, caseId, 'decision', 6);
    expect(current.decisionId).toBe(appeal.decisionId);
    expect(current.text).toContain('决定对张明同志容错免责，处理方式：批评教育。');
    expect(current.data.noticeText).toContain('第十七条');
    const first = await generate(db, caseId, 'decision', 7, decision.decisionId);
    expect(first.text).toContain('决定对张明同志容错减责（减轻），处理方式：纪律处分。');
    // The explanations and receipt stay with the decision that was served.
    expect((await generate(db, caseId, 'explanation-official', 8)).decisionId).toBe(decision.decisionId);

    // A decision version of another case, or an unknown case, is not found.
    const other = await openCase(await signIn(users.handler), '另一案件');
    expect((await refusal(loadDocumentData(db, other.caseId, 'decision', { number: 'x', issuedAt: ISSUED_AT, forDecisionId: decision.decisionId }))).code).toBe('NOT_FOUND');
    expect((await refusal(loadDocumentData(db, '00000000-0000-4000-8000-000000000000', 'decision', { number: 'x', issuedAt: ISSUED_AT }))).code).toBe('NOT_FOUND');
  });

  it('writes an exemption with its Art. 17 notice, and a not-tolerated decision with no situation', async () => {
    const db = database.current.db;
    const { users, signIn } = world;
    const handler = await signIn(users.handler);
    const official = await signIn(users.official);
    const present = users.members.slice(0, 3).map((m) => m.id);
    const deliberate = (proposedOutcome: string) => ({
      heldOn: '2026-03-10',
      membersPresent: present,
      memberOpinions: present.map((memberId) => ({ memberId, opinion: proposedOutcome, comment: '' })),
      accountabilityOpinion: '经研究提出问责追责意见。',
      toleranceOpinion: '经研究提出容错意见。',
      proposedOutcome,
      applicationAnswers: [],
    });

    const exempt = await openCase(handler, '免责案件');
    await exempt.post(official, 'statement', { content: '陈述。' });
    await exempt.post(handler, 'assessment', { input: FAVOURABLE_ASSESSMENT });
    await exempt.post(handler, 'deliberations', deliberate('exempt'));
    await exempt.post(handler, 'decision', { outcome: 'exempt', measures: ['criticism-education'], toleranceOpinion: '予以容错免责。', toleranceReasons: '第八条第（二）项。' });
    const decision = await generate(db, exempt.caseId, 'decision', 11);
    expect(decision.data).toMatchObject({ outcome: '容错免责', measures: '批评教育', departureReason: '无', departure: '处理决定与研判建议一致。', applicationsCount: '0' });
    expect(decision.data.approval).toContain('无需报上级审批');
    expect(decision.text).toContain('予以容错免责的，在干部考核、评先评优、干部选拔任用、职务职级晋升、职称岗位评聘以及党代表、人大代表、政协委员、优秀年轻干部资格等方面不受影响。');
    expect((await refusal(loadDocumentData(db, exempt.caseId, 'appeal-decision', { number: 'x', issuedAt: ISSUED_AT }))).code).toBe('DOCUMENT_NOT_READY');
    expect((await refusal(loadDocumentData(db, exempt.caseId, 'service-receipt', { number: null, issuedAt: ISSUED_AT }))).code).toBe('DOCUMENT_NOT_READY');

    const notTolerated = await openCase(handler, '不予容错案件');
    await notTolerated.post(official, 'statement', { content: '陈述。' });
    await notTolerated.post(handler, 'assessment', { input: { ...FAVOURABLE_ASSESSMENT, situations: [] } });
    await notTolerated.post(handler, 'deliberations', deliberate('not_tolerated'));
    await notTolerated.post(handler, 'decision', { outcome: 'not_tolerated', measures: ['circulated-criticism'], toleranceOpinion: '不符合容错条件，不予容错。', toleranceReasons: '' });
    const reasons = await generate(db, notTolerated.caseId, 'tolerance-reasons', 12);
    expect(reasons.data).toMatchObject({ outcome: '不予容错', measures: '通报', toleranceReasons: '无', recommendation: '不予容错', recommendationBinding: '是', situations: [], situationsText: '不属于第八条所列可以容错的情形' });
    expect(reasons.text).toContain('未认定第八条所列可以容错的情形。');
    expect(reasons.text).toContain('未认定第八条所列可以容错的情形，该建议具有约束力');
    const decided = await generate(db, notTolerated.caseId, 'decision', 13);
    expect(decided.text).toContain('张明同志的失误错误不属于第八条所列可以容错的情形。');
    expect(decided.text).toContain('决定对张明同志不予容错，处理方式：通报。');
    expect(decided.text).toContain('如对本决定不服，可以依照');

  });
});
