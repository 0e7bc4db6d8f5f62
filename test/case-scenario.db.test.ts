import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../src/audit/verify.js';
import { verifyCaseFile } from '../src/casefile/verify.js';
import { buildTestApp } from './helpers/app.js';
import { useTestDatabase } from './helpers/db.js';
import { buildWorld, FAVOURABLE_ASSESSMENT, type World } from './helpers/world.js';
import { ACCESS_EVENT_TYPES } from '../src/audit/access-events.js';

/**
 * One case through every step of Art. 11–16 over HTTP, each step taken by the user whose role it is, ending
 * with the audit chain verifying.
 */
describe('a case from opening to appeal and closing', () => {
  const database = useTestDatabase();
  let app: FastifyInstance;
  let world: World;
  // The clock moves forward as the case proceeds (service, then the appeal within its window).
  let now = new Date('2026-03-02T01:00:00Z');
  const clock = { now: () => new Date(now) };
  beforeAll(async () => {
    app = await buildTestApp(database.current.db, clock);
    world = await buildWorld(database.current.db, app);
  });
  afterAll(() => app.close());

  it('runs the whole procedure', async () => {
    const { users, signIn } = world;
    const handler = await signIn(users.handler);
    const official = await signIn(users.official);
    const partyOrg = await signIn(users.partyOrg);
    const expert = await signIn(users.expert);
    const approver = await signIn(users.approver);

    const ok = async (response: { statusCode: number; body: string; json(): unknown }, status = 200) => {
      expect(response.statusCode, response.body).toBe(status);
      return response.json() as { data: Record<string, unknown>; version: number };
    };

    // 1. Opened: the tolerance examination starts with it.
    const opened = await ok(
      await handler.inject({ method: 'POST', url: '/api/v1/cases', payload: { officialId: world.officials.official, title: '东城区某改革试点项目资金拨付延误', description: '在推进审批制度改革试点中，因政策界限不明确导致项目资金拨付延误。' } }),
      201,
    );
    const caseId = opened.data.id as string;
    let version = opened.version;
    const post = async (session: typeof handler, path: string, payload: Record<string, unknown>) => {
      const result = await ok(await session.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/${path}`, payload: { version, ...payload } }));
      version = result.version;
      return result;
    };

    // 2. Investigation: the official's statement, a unit's opinion, applications from the official and the party organization.
    await post(official, 'statement', { content: '本人在试点中按照集体研究意见推进，因政策界限不明确出现延误，已主动整改。' });
    await post(handler, 'opinions', { kind: 'unit', source: '东城区发展改革委', content: '该同志一贯表现良好，试点中积极作为。' });
    const ownApplication = await post(official, 'applications', { content: '本人申请容错：属于第八条第（二）项情形。' });
    const partyApplication = await post(partyOrg, 'applications', { content: '党支部认为该同志符合容错条件，特提出书面容错申请。' });

    // A professional question: an expert is invited and answers, seeing only this case.
    await post(handler, 'professional', { professional: true });
    await post(handler, 'experts', { expertId: users.expert.id, question: '资金拨付流程的技术规范是否明确？', evidenceIds: [] });
    const expertView = await ok(await expert.inject({ method: 'GET', url: `/api/v1/cases/${caseId}` }));
    expect(expertView.data.assessment).toBeNull();
    expect(expertView.data.applications).toEqual([]);
    await post(expert, 'expert-opinion', { content: '相关技术规范当时尚未出台，属于政策界限不明确。' });
    const expertTimeline = (await expert.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/events` })).json() as { data: { type: string }[] };
    expect(expertTimeline.data.map((e) => e.type)).toEqual(['case.expert-invited', 'case.expert-opinion-recorded']);

    // 3. Assessment, with the engine's output snapshotted.
    const assessed = await post(handler, 'assessment', { input: FAVOURABLE_ASSESSMENT });
    expect(assessed.data.recommendation).toBe('exempt');

    // 4. Collective deliberation: 3 of 5 members, answering both applications, departing from "exempt" with a reason.
    const present = users.members.slice(0, 3).map((m) => m.id);
    const viewBefore = await ok(await handler.inject({ method: 'GET', url: `/api/v1/cases/${caseId}` }));
    expect((viewBefore as unknown as { abilities: Record<string, { allowed: boolean }> }).abilities.recordDeliberation!.allowed).toBe(true);
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

    // 5. Decision: reduced (减轻) with a disciplinary sanction, which needs the higher authority's approval.
    const decided = await post(handler, 'decision', {
      outcome: 'reduced',
      reduction: 'mitigated',
      measures: ['disciplinary-sanction'],
      toleranceOpinion: '符合容错减责条件，予以减轻处理。',
      toleranceReasons: '属于第八条第（二）项情形；动机出于公心；及时挽回损失。',
      departureReason: '延误造成一定社会影响，不宜完全免责。',
    });
    expect(decided.data.requiresApproval).toBe(true);
    const officialWhilePending = await ok(await official.inject({ method: 'GET', url: `/api/v1/cases/${caseId}` }));
    expect(officialWhilePending.data.decisions).toEqual([]);
    expect(officialWhilePending.data.deliberations).toEqual([]);

    await post(approver, 'decision/approval', { approve: true });

    // 7. Service: the explanation reaches the official and their party organization; file entries are made.
    await post(handler, 'service', { explanationToOfficial: '经集体研究，对您予以容错减责。', explanationToPartyOrg: '经集体研究，对张明同志予以容错减责。' });
    const entries = await database.current.db.selectFrom('file_entries').select('file_kind').where('case_id', '=', caseId).execute();
    expect(entries.map((e) => e.file_kind).sort()).toEqual(['integrity', 'personnel']);

    const officialView = await ok(await official.inject({ method: 'GET', url: `/api/v1/cases/${caseId}` }));
    expect(officialView.data.decisions).toHaveLength(1);
    expect(officialView.data.assessment).toBeNull();
    expect(officialView.data.deliberations).toEqual([]);
    const partyView = await ok(await partyOrg.inject({ method: 'GET', url: `/api/v1/cases/${caseId}` }));
    expect((partyView.data.services as { explanationToPartyOrg: string }[])[0]!.explanationToPartyOrg).toContain('张明');
    expect((partyView.data.services as { explanationToOfficial: string | null }[])[0]!.explanationToOfficial).toBeNull();

    // 8. Appeal within the window, decided by someone who took no part: changed to exempt.
    now = new Date('2026-03-20T01:00:00Z');
    const officialLater = await signIn(users.official);
    const handler2 = await signIn(users.handler2);
    const handlerLater = await signIn(users.handler);
    await post(officialLater, 'appeal', { grounds: '本人认为应当容错免责。' });
    const appealDecided = await post(handler2, 'appeal/decision', {
      outcome: 'changed',
      reasons: '经复查，损失已全部挽回，变更为容错免责。',
      change: { outcome: 'exempt', measures: ['criticism-education'], toleranceOpinion: '符合容错免责条件。', toleranceReasons: '第八条第（二）项；损失已挽回。' },
    });
    expect(appealDecided.data.decisionVersion).toBe(2);
    // The official's files now show the decision in force after the appeal too (Art. 15).
    const filesAfterAppeal = await database.current.db.selectFrom('file_entries').select(['file_kind', 'summary']).where('case_id', '=', caseId).orderBy('entered_at').execute();
    expect(filesAfterAppeal.map((e) => e.summary)).toEqual(['容错减责（决定第 1 版）', '容错减责（决定第 1 版）', '容错免责（决定第 2 版）', '容错免责（决定第 2 版）']);

    await post(handlerLater, 'close', {});
    const closed = await ok(await handlerLater.inject({ method: 'GET', url: `/api/v1/cases/${caseId}` }));
    expect(closed.data).toMatchObject({ state: 'closed', outcome: 'exempt' });
    const versions = closed.data.decisions as { version: number; current: boolean; outcome: string }[];
    expect(versions.map((d) => [d.version, d.current, d.outcome])).toEqual([
      [1, false, 'reduced'],
      [2, true, 'exempt'],
    ]);

    // What happened to the case: the reads along the way are access records (test/access-audit.db.test.ts).
    const events = await database.current.db.selectFrom('events').select('type').where('case_id', '=', caseId).where('type', 'not in', ACCESS_EVENT_TYPES).orderBy('seq').execute();
    expect(events.map((e) => e.type)).toEqual([
      'case.opened',
      'case.opinion-recorded',
      'case.opinion-recorded',
      'case.application-submitted',
      'case.application-submitted',
      'case.marked-professional',
      'case.expert-invited',
      'case.expert-opinion-recorded',
      'case.assessment-recorded',
      'case.deliberation-recorded',
      'case.decided',
      'case.decision-approved',
      'case.served',
      'case.appeal-lodged',
      'case.appeal-decided',
      // Closing issues the documents the case file lacks, then seals it.
      ...Array<string>(6).fill('case.document-generated'),
      'case.file-sealed',
      'case.closed',
    ]);
    const documents = await database.current.db.selectFrom('documents').select(['kind', 'number']).where('case_id', '=', caseId).orderBy('kind').execute();
    expect(documents.map((d) => d.kind)).toEqual(['appeal-decision', 'decision', 'explanation-official', 'explanation-party-org', 'service-receipt', 'tolerance-reasons']);
    // Numbered per organ and year without gaps; the receipt carries none of its own.
    expect(documents.filter((d) => d.number).map((d) => d.number).sort()).toEqual(['东城区纪委监委容〔2026〕1号', '东城区纪委监委容〔2026〕2号', '东城区纪委监委容〔2026〕3号', '东城区纪委监委容〔2026〕4号', '东城区纪委监委容〔2026〕5号']);
    // The sealed case file: exported by the handler, verified against the database; not for the official.
    const exported = await handlerLater.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/case-file` });
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.headers['content-type']).toBe('application/zip');
    const verifiedFile = await verifyCaseFile(exported.rawPayload, { db: database.current.db });
    expect(verifiedFile).toMatchObject({ ok: true, caseId, problems: [] });
    expect((await officialLater.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/case-file` })).statusCode).toBe(404);

    const chain = await verifyChain(database.current.db);
    expect(chain.ok).toBe(true);
    expect(chain.checked).toBeGreaterThan(events.length);
  });
});

describe('the case pages around the procedure', () => {
  const database = useTestDatabase();
  let app: FastifyInstance;
  let world: World;
  beforeAll(async () => {
    app = await buildTestApp(database.current.db);
    world = await buildWorld(database.current.db, app);
  });
  afterAll(() => app.close());

  it('lists officials a handler may open a case against, the timeline, participants, and verifies the chain', async () => {
    const handler = await world.signIn(world.users.handler);
    const officials = (await handler.inject({ method: 'GET', url: '/api/v1/officials' })).json() as { data: { id: string }[] };
    expect(officials.data.map((o) => o.id).sort()).toEqual([world.officials.official, world.officials.seniorOfficial].sort());

    const opened = (await handler.inject({ method: 'POST', url: '/api/v1/cases', payload: { officialId: world.officials.official, title: '测试案件', description: '描述' } })).json() as { data: { id: string } };
    const timeline = (await handler.inject({ method: 'GET', url: `/api/v1/cases/${opened.data.id}/events` })).json() as { data: { type: string; actor: string }[] };
    expect(timeline.data).toEqual([expect.objectContaining({ type: 'case.opened', actor: '测试用户 dc-handler' })]);

    const participants = (await handler.inject({ method: 'GET', url: `/api/v1/cases/${opened.data.id}/participants` })).json() as { data: { members: unknown[]; experts: unknown[] } };
    expect(participants.data.members).toHaveLength(5);
    expect(participants.data.experts).toHaveLength(1);

    const official = await world.signIn(world.users.official);
    expect((await official.inject({ method: 'GET', url: `/api/v1/cases/${opened.data.id}/participants` })).statusCode).toBe(404);

    expect((await handler.inject({ method: 'GET', url: '/api/v1/audit/verify' })).statusCode).toBe(403);
    const supervisor = await world.signIn(world.users.supervisor);
    const verified = await supervisor.inject({ method: 'GET', url: '/api/v1/audit/verify' });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({ ok: true });
  });

  it('refuses an assessment with a bad factor value or another pack, naming the key, and writes nothing', async () => {
    const handler = await world.signIn(world.users.handler);
    const opened = (await handler.inject({ method: 'POST', url: '/api/v1/cases', payload: { officialId: world.officials.official, title: '研判输入校验', description: '描述' } })).json() as { data: { id: string }; version: number };
    const assess = (input: unknown) => handler.inject({ method: 'POST', url: `/api/v1/cases/${opened.data.id}/assessment`, payload: { version: opened.version, input } });
    const badValue = await assess({ situations: ['reform-pilot'], factors: { 'motive.purpose': 'selfless' } });
    expect(badValue.statusCode).toBe(400);
    expect(badValue.json()).toMatchObject({ code: 'INVALID_FACTOR_VALUE', key: 'input.factors.motive.purpose', allowed: ['public', 'private-or-local', null] });
    const otherPack = await assess({ policy: 'sh-2030', situations: ['reform-pilot'] });
    expect(otherPack.statusCode).toBe(400);
    expect(otherPack.json().key).toBe('input.policy');
    const after = await database.current.db.selectFrom('cases').select('version').where('id', '=', opened.data.id).executeTakeFirstOrThrow();
    expect(after.version).toBe(opened.version);
    expect(await database.current.db.selectFrom('assessments').select('id').where('case_id', '=', opened.data.id).execute()).toEqual([]);
  });

  it('publishes an OpenAPI 3.1 document with every route', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const route of app.registeredRoutes.filter((r) => r.url !== '/api/openapi.json')) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${route.url}`).toBeDefined();
    }
  });
});
