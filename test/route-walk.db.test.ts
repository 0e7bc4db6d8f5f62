import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredRoute } from '../src/http/app.js';
import { SESSION_COOKIE } from '../src/http/plugins/session.js';
import { ASSESSMENTS, driveTo, evidenceForm, expectProblem, snapshot, useHarness, type CaseFlow } from './rules/steps.js';

/**
 * Walks every route the application registered (app.registeredRoutes) and proves, for each one, what the
 * security rules promise: nothing answers without a session except the known public routes, and a case of
 * another jurisdiction does not exist for the user (404, no data), whatever the route. A new route must be added
 * here (a minimal valid body), or this suite fails and says so.
 */

// The published typical cases are public on purpose (Art. 20 ¶4): they show nothing but the de-identified text.
const PUBLIC_ROUTES = ['GET /api/health', 'GET /api/openapi.json', 'POST /api/v1/session', 'GET /api/public/typical-cases', 'GET /api/public/typical-cases/:id'];

const ANY_UUID = '00000000-0000-4000-8000-000000000000';

type Body = Pick<InjectOptions, 'payload' | 'headers'>;
const json = (payload: Record<string, unknown>): Body => ({ payload });

/**
 * A minimal valid request body for each route of a case, so that the request gets past validation to the
 * access check. Routes not registered (yet) do no harm here; a registered one missing here fails the walk.
 */
const CASE_ROUTE_BODIES: Record<string, (version: number) => Body> = {
  'GET /api/v1/cases/:caseId': () => ({}),
  'GET /api/v1/cases/:caseId/events': () => ({}),
  'GET /api/v1/cases/:caseId/participants': () => ({}),
  'GET /api/v1/cases/:caseId/evidence': () => ({}),
  'GET /api/v1/cases/:caseId/case-file': () => ({}),
  'GET /api/v1/cases/:caseId/rectification': () => ({}),
  'GET /api/v1/cases/:caseId/official-history': () => ({}),
  'GET /api/v1/cases/:caseId/access-log': () => ({}),
  'PUT /api/v1/cases/:caseId/sensitivity': (version) => json({ version, level: 1 }),
  'PUT /api/v1/cases/:caseId/evidence/:evidenceId/attachments/:attachmentId/sensitivity': () => json({ level: 1 }),
  'POST /api/v1/cases/:caseId/rectification': () => json({ title: '整改方案' }),
  'GET /api/v1/cases/:caseId/documents': () => ({}),
  'GET /api/v1/cases/:caseId/documents/:documentId/file': () => ({}),
  'POST /api/v1/cases/:caseId/documents': () => json({ kind: 'decision' }),
  'GET /api/v1/cases/:caseId/evidence/:evidenceId/attachments/:attachmentId': () => ({}),
  'POST /api/v1/cases/:caseId/evidence': (version) => evidenceForm(version, '会议纪要'),
  'POST /api/v1/cases/:caseId/opinions': (version) => json({ version, kind: 'unit', source: '某单位', content: '情况属实。' }),
  'POST /api/v1/cases/:caseId/statement': (version) => json({ version, content: '本人陈述如下。' }),
  'POST /api/v1/cases/:caseId/applications': (version) => json({ version, content: '申请容错。' }),
  'POST /api/v1/cases/:caseId/professional': (version) => json({ version, professional: true }),
  'POST /api/v1/cases/:caseId/experts': (version) => json({ version, expertId: ANY_UUID, question: '技术规范是否明确？' }),
  'POST /api/v1/cases/:caseId/expert-opinion': (version) => json({ version, content: '专家意见。' }),
  'POST /api/v1/cases/:caseId/assessment': (version) => json({ version, input: ASSESSMENTS.favourable }),
  'POST /api/v1/cases/:caseId/deliberations': (version) =>
    json({
      version,
      heldOn: '2026-03-10',
      membersPresent: [ANY_UUID],
      memberOpinions: [],
      accountabilityOpinion: '不予问责。',
      toleranceOpinion: '予以容错。',
      proposedOutcome: 'exempt',
    }),
  'POST /api/v1/cases/:caseId/decision': (version) => json({ version, outcome: 'exempt', toleranceOpinion: '予以容错免责。' }),
  'POST /api/v1/cases/:caseId/decision/approval': (version) => json({ version, approve: true }),
  'POST /api/v1/cases/:caseId/service': (version) => json({ version, explanationToOfficial: '说明。', explanationToPartyOrg: '说明。' }),
  'POST /api/v1/cases/:caseId/appeal': (version) => json({ version, grounds: '不服。' }),
  'POST /api/v1/cases/:caseId/appeal/decision': (version) => json({ version, outcome: 'upheld', reasons: '维持。' }),
  'POST /api/v1/cases/:caseId/close': (version) => json({ version }),
};

/** Bodies for the other routes, for the no-session walk (the session check comes before validation anyway). */
const OTHER_BODIES: Record<string, Body> = {
  'POST /api/v1/cases': json({ officialId: ANY_UUID, title: '某案件', description: '某问题。' }),
  'POST /api/v1/assess': json(ASSESSMENTS.favourable),
  'POST /api/v1/followup/reminders/:reminderId/follow-ups': json({ followedUpOn: '2026-03-10', record: '跟踪了解情况。', resolved: false }),
  'POST /api/v1/officials/:officialId/identifiers/reveal': json({ identifier: 'idNumber', reason: '送达前核对身份' }),
  'PUT /api/v1/officials/:officialId/identifiers': json({ phone: '13812345678' }),
};

/** Parameters other than the case, filled with ids that exist nowhere. */
const OTHER_PARAMS = [':evidenceId', ':attachmentId', ':documentId', ':planId', ':itemId', ':visitId', ':reminderId', ':officialId', ':organId', ':id', ':sha256', ':userId'];

const key = (route: RegisteredRoute) => `${route.method} ${route.url}`;

describe('every registered route', () => {
  const h = useHarness();
  let flow: CaseFlow;
  // A real 东城 case with content worth protecting: an application, an assessment, the deliberation.
  beforeAll(async () => {
    flow = await driveTo(h, 'deliberated', { application: true });
  });

  const routes = () => h.app.registeredRoutes;
  const request = (route: RegisteredRoute, caseId: string, version: number): InjectOptions => {
    let url = route.url.replace(':caseId', caseId).replace(':policyId', 'bj-2020').replace(':kind', 'decision');
    for (const param of OTHER_PARAMS) url = url.replace(param, randomUUID());
    expect(url, `${key(route)} has a parameter this walk does not know: add it`).not.toContain(':');
    const body = route.url.includes(':caseId') ? CASE_ROUTE_BODIES[key(route)]?.(version) : OTHER_BODIES[key(route)];
    return { method: route.method as InjectOptions['method'], url, ...(body ?? {}) };
  };

  it('has exactly the known public routes', () => {
    const registered = routes();
    expect(registered.length).toBeGreaterThan(15);
    expect(registered.filter((r) => r.public).map(key).sort()).toEqual([...PUBLIC_ROUTES].sort());
  });

  it('answers every other route without a session with 401, for an existing case too', async () => {
    const before = await snapshot(h.db, flow.id);
    const walked: string[] = [];
    for (const route of routes().filter((r) => !r.public)) {
      const noSession: Record<string, string>[] = [{}, { [SESSION_COOKIE]: 'forged-or-expired-token' }];
      for (const cookies of noSession) {
        const response = await h.inject({ ...request(route, flow.id, flow.version), cookies });
        expectProblem(response, { status: 401, code: 'NOT_SIGNED_IN' });
        expect(response.body).not.toContain(flow.id);
      }
      walked.push(key(route));
    }
    expect(walked.length).toBe(routes().length - PUBLIC_ROUTES.length);
    expect(await snapshot(h.db, flow.id)).toEqual(before);
  });

  it('answers the public routes without a session', async () => {
    expect((await h.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    expect((await h.inject({ method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(200);
  });

  it('knows a minimal valid request for every case route', () => {
    const unknown = routes().filter((r) => r.url.includes(':caseId') && !(key(r) in CASE_ROUTE_BODIES)).map(key);
    expect(unknown, 'add a minimal valid body for these routes to CASE_ROUTE_BODIES').toEqual([]);
  });

  it('answers the 西城 handler with 404 and no case data on every route of a 东城 case, exactly as for a missing case', async () => {
    const xc = await h.as('xcHandler');
    const before = await snapshot(h.db, flow.id);
    const missing = randomUUID();
    const caseRoutes = routes().filter((r) => r.url.includes(':caseId'));
    expect(caseRoutes.length).toBeGreaterThan(10);
    for (const route of caseRoutes) {
      const response = await xc.inject(request(route, flow.id, flow.version));
      expectProblem(response, { status: 404, code: 'NOT_FOUND' });
      for (const secret of [flow.id, '张明', '东城', '改革试点', '资金拨付', '容错申请']) {
        expect(response.body, `${key(route)} reveals "${secret}"`).not.toContain(secret);
      }
      const forMissing = await xc.inject(request(route, missing, flow.version));
      expect(response.json(), key(route)).toEqual(forMissing.json());
    }
    expect(await snapshot(h.db, flow.id)).toEqual(before);
  });

  it('still serves the 东城 handler on the same case (the walk proved jurisdiction, not a broken route)', async () => {
    const view = await flow.view('handler');
    expect(view.data).toMatchObject({ id: flow.id, state: 'deliberated' });
  });
});
