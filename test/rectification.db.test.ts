import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { enforceEstablishedExclusions, raiseOverdueReminders } from '../src/commands/rectification/index.js';
import type { Db } from '../src/db/connect.js';
import { AppError } from '../src/errors.js';
import { buildTestApp, signInAs, type SignedIn } from './helpers/app.js';
import { driveTo, expectProblem, headSeq, stateHead, useHarness, type Harness, type UserKey } from './rules/steps.js';

/**
 * Rectification (Art. 18, R12) over HTTP: a plan for a served case, items with owners, deadlines and
 * long-term mechanisms, progress with attachments, check-offs by the supervising departments, the overdue sweep
 * with an injected clock, and poor rectification opening a linked case where Art. 10(4) is established.
 * Every refusal is checked to leave the database as it was.
 */

const DAY = 24 * 3_600_000;

const beijingDay = (at: Date, plusDays = 0) => new Date(at.getTime() + 8 * 3_600_000 + plusDays * DAY).toISOString().slice(0, 10);

const RECTIFICATION_TABLES = [
  'cases',
  'assessments',
  'rectification_plans',
  'rectification_items',
  'rectification_reports',
  'rectification_report_attachments',
  'rectification_checks',
  'rectification_reminders',
  'rectification_poor_records',
  'case_established_exclusions',
] as const;

async function snapshot(db: Db) {
  const head = await stateHead(db);
  const counts: Record<string, number> = {};
  for (const table of RECTIFICATION_TABLES) {
    const row = await db.selectFrom(table).select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  const plans = await db.selectFrom('rectification_plans').select(['id', 'version', 'updated_at']).orderBy('id').execute();
  const items = await db.selectFrom('rectification_items').select(['id', 'status', 'done_at']).orderBy('id').execute();
  const cases = await db.selectFrom('cases').select(['id', 'version', 'state']).orderBy('id').execute();
  return { head, counts, plans, items, cases };
}

describe('R12: rectification (Art. 18)', () => {
  const h: Harness = useHarness();
  let app: FastifyInstance;
  const sessions = new Map<UserKey, { session: SignedIn; at: number }>();

  beforeAll(async () => {
    // An application of its own beside the harness's, on the same keyring (TEST_CRYPTO): TOTP secrets sealed by either open in both.
    app = await buildTestApp(h.db, h.clock);
  });
  afterAll(() => app?.close());

  /** A session on the rectification app (sessions live in the database), signed in again after a long pause. */
  async function as(user: UserKey): Promise<SignedIn> {
    const cached = sessions.get(user);
    if (cached && h.now().getTime() - cached.at < 20 * 60_000) return cached.session;
    const session = await signInAs(app, h.world.users[user]);
    sessions.set(user, { session, at: h.now().getTime() });
    return session;
  }

  async function send(user: UserKey, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>): Promise<LightMyRequestResponse> {
    const session = await as(user);
    h.advance(1000);
    const options: InjectOptions = { method, url, ...(payload !== undefined ? { payload } : {}) };
    return session.inject(options);
  }

  /** A command that must succeed with exactly the given events appended. */
  async function ok(user: UserKey, url: string, payload: Record<string, unknown>, events: string[], status = 200) {
    await as(user);
    const seq = await headSeq(h.db);
    const response = await send(user, 'POST', url, payload);
    expect(response.statusCode, `${user} POST ${url}: ${response.body}`).toBe(status);
    const appended = await h.db.selectFrom('events').select('type').where('seq', '>', seq).orderBy('seq').execute();
    expect(appended.map((e) => e.type)).toEqual(events);
    return response.json() as { data: Record<string, unknown>; version: number; plan: Plan };
  }

  /** A request that must be refused, leaving every row, version and the audit chain as they were. */
  async function refused(user: UserKey, method: 'GET' | 'POST', url: string, payload: Record<string, unknown> | undefined, expected: { status: number; code: string; key?: string; rule?: 'R12' | 'R14' }) {
    await as(user);
    const before = await snapshot(h.db);
    const response = await send(user, method, url, payload);
    if (expected.rule === 'R12') {
      expect(response.statusCode, response.body).toBe(expected.status);
      const problem = response.json() as { code: string; rule: string; article: string; title: string };
      expect(problem).toMatchObject({ code: expected.code, rule: 'R12', article: '第十八条' });
      expect(problem.title.startsWith('第十八条：')).toBe(true);
    } else {
      expectProblem(response, { status: expected.status, code: expected.code, ...(expected.key !== undefined ? { key: expected.key } : {}), ...(expected.rule ? { rule: expected.rule } : {}) });
    }
    expect(await snapshot(h.db), 'a refusal leaves the database unchanged').toEqual(before);
    return response;
  }

  interface Plan {
    id: string;
    version: number;
    items: { id: string; status: string; overdue: boolean; reports: { attachments: string[] }[]; checks: { accepted: boolean; note: string }[]; reminders: unknown[] }[];
    abilities: Record<string, boolean>;
  }

  const state = {} as { caseId: string; plan: Plan; itemA: string; itemB: string; fileSha: string };

  it('requires a session on every rectification route', async () => {
    const routes = app.registeredRoutes.filter((r) => r.url.includes('rectification'));
    expect(routes.length).toBeGreaterThanOrEqual(10);
    for (const route of routes) {
      expect(route.public).toBe(false);
      const url = route.url.replace(':caseId', '00000000-0000-4000-8000-000000000000').replace(':planId', '00000000-0000-4000-8000-000000000000').replace(':itemId', '00000000-0000-4000-8000-000000000000');
      const response = await app.inject({ method: route.method as 'GET', url, ...(route.method === 'POST' ? { payload: {} } : {}) });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
    const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { tags: string[] }>> };
    expect(spec.paths['/api/v1/rectification/plans/{planId}/items']?.post?.tags).toEqual(['rectification']);
  });

  it('refuses a plan for a case that is not decided yet', async () => {
    const flow = await driveTo(h, 'deliberated');
    await refused('handler', 'POST', `/api/v1/cases/${flow.id}/rectification`, { title: '整改方案' }, { status: 409, code: 'RULE_R12_CASE_NOT_DECIDED', rule: 'R12' });
  });

  it('plan → items → progress → check-off, each by its role; outsiders get 404', async () => {
    const flow = await driveTo(h, 'served');
    state.caseId = flow.id;
    const caseUrl = `/api/v1/cases/${flow.id}/rectification`;

    // 西城 knows nothing of the 东城 case, its plan or its items.
    await refused('xcHandler', 'GET', caseUrl, undefined, { status: 404, code: 'NOT_FOUND' });
    await refused('xcHandler', 'POST', caseUrl, { title: '整改方案' }, { status: 404, code: 'NOT_FOUND' });
    await refused('supervisor', 'POST', caseUrl, { title: '整改方案' }, { status: 403, code: 'FORBIDDEN' });
    await refused('handler', 'POST', caseUrl, { title: '' }, { status: 400, code: 'INVALID_INPUT', key: 'title' });

    const empty = (await send('handler', 'GET', caseUrl)).json() as { data: { plan: null; mayCreatePlan: boolean } };
    expect(empty.data).toMatchObject({ plan: null, mayCreatePlan: true });

    const created = await ok('handler', caseUrl, { title: '资金拨付延误整改方案', description: '针对审批流程的整改。' }, ['rectification.plan-created'], 201);
    state.plan = created.plan;
    expect(created.plan.version).toBe(1);
    await refused('handler', 'POST', caseUrl, { title: '第二个方案' }, { status: 409, code: 'RULE_R12_PLAN_EXISTS', rule: 'R12' });
    await refused('xcHandler', 'GET', `/api/v1/rectification/plans/${state.plan.id}`, undefined, { status: 404, code: 'NOT_FOUND' });

    const itemsUrl = `/api/v1/rectification/plans/${state.plan.id}/items`;
    const itemA = { title: '补办资金拨付手续', ownerOfficialId: h.world.officials.official, deadline: beijingDay(h.now(), 10), mechanism: '建立资金拨付限时办结制度' };
    const itemB = { title: '修订审批流程', ownerUnitId: h.world.orgs.bureau.id, deadline: beijingDay(h.now(), 20), mechanism: '建立审批事项清单动态调整机制' };
    await refused('handler', 'POST', itemsUrl, { version: 1, items: [{ ...itemA, deadline: beijingDay(h.now(), -1) }] }, { status: 400, code: 'INVALID_INPUT', key: 'items.0.deadline' });
    await refused('handler', 'POST', itemsUrl, { version: 1, items: [itemA, { ...itemB, ownerOfficialId: h.world.officials.official }] }, { status: 400, code: 'INVALID_INPUT', key: 'items.1.ownerOfficialId' });
    await refused('handler', 'POST', itemsUrl, { version: 1, items: [{ ...itemA, ownerOfficialId: h.world.officials.xichengOfficial }] }, { status: 400, code: 'INVALID_INPUT', key: 'items.0.ownerOfficialId' });
    await refused('handler', 'POST', itemsUrl, { version: 1, items: [{ ...itemA, mechanism: '' }] }, { status: 400, code: 'INVALID_INPUT', key: 'items.0.mechanism' });
    await refused('supervisor', 'POST', itemsUrl, { version: 1, items: [itemA] }, { status: 403, code: 'FORBIDDEN' });
    await refused('xcHandler', 'POST', itemsUrl, { version: 1, items: [itemA] }, { status: 404, code: 'NOT_FOUND' });
    await refused('handler', 'POST', itemsUrl, { version: 7, items: [itemA] }, { status: 409, code: 'VERSION_CONFLICT', key: 'version' });

    const added = await ok('handler', itemsUrl, { version: 1, items: [itemA, itemB] }, ['rectification.item-added', 'rectification.item-added']);
    expect(added.version).toBe(2);
    expect(added.plan.items.map((i) => i.status)).toEqual(['open', 'open']);
    [state.itemA, state.itemB] = added.plan.items.map((i) => i.id) as [string, string];

    // An attachment already in the store (e.g. uploaded with evidence) is referenced by its SHA-256.
    state.fileSha = 'a'.repeat(64);
    await h.db.insertInto('files').values({ sha256: state.fileSha, size: '9', media_type: 'application/pdf', stored_at: h.now() }).execute();

    const progressA = `/api/v1/rectification/items/${state.itemA}/progress`;
    await refused('official', 'POST', progressA, { version: 2, content: '已补办手续', attachments: ['b'.repeat(64)] }, { status: 400, code: 'INVALID_INPUT', key: 'attachments.0' });
    await refused('official', 'POST', `/api/v1/rectification/items/${state.itemB}/progress`, { version: 2, content: '审批流程已修订' }, { status: 403, code: 'FORBIDDEN' });
    await refused('xcHandler', 'POST', progressA, { version: 2, content: '已补办手续' }, { status: 404, code: 'NOT_FOUND' });
    await refused('supervisor', 'POST', `/api/v1/rectification/items/${state.itemA}/check`, { version: 2, accepted: true }, { status: 409, code: 'RULE_R12_NOTHING_TO_CHECK', rule: 'R12' });

    const reported = await ok('official', progressA, { version: 2, content: '已补办资金拨付手续，并建立限时办结制度。', attachments: [state.fileSha] }, ['rectification.progress-reported']);
    expect(reported.plan.items[0]).toMatchObject({ status: 'reported', reports: [{ attachments: [state.fileSha] }] });
    // The handler records what the owning unit reported.
    await ok('handler', `/api/v1/rectification/items/${state.itemB}/progress`, { version: 3, content: '审批流程修订稿已报送。' }, ['rectification.progress-reported']);

    const checkA = `/api/v1/rectification/items/${state.itemA}/check`;
    const checkB = `/api/v1/rectification/items/${state.itemB}/check`;
    await refused('handler', 'POST', checkA, { version: 4, accepted: true }, { status: 403, code: 'FORBIDDEN' });
    await refused('xcHandler', 'POST', checkA, { version: 4, accepted: true }, { status: 404, code: 'NOT_FOUND' });
    await refused('orgDept', 'POST', checkB, { version: 4, accepted: false, note: ' ' }, { status: 400, code: 'INVALID_INPUT', key: 'note' });

    const accepted = await ok('supervisor', checkA, { version: 4, accepted: true, note: '经核查，整改到位。' }, ['rectification.item-checked']);
    expect(accepted.plan.items[0]).toMatchObject({ status: 'done', checks: [{ accepted: true }] });
    // The organization department above the organ supervises too: it sends item B back.
    const returned = await ok('orgDept', checkB, { version: 5, accepted: false, note: '修订稿未覆盖资金拨付环节，请补充。' }, ['rectification.item-checked']);
    expect(returned.plan.items[1]).toMatchObject({ status: 'returned', checks: [{ accepted: false, note: '修订稿未覆盖资金拨付环节，请补充。' }] });
    await refused('official', 'POST', progressA, { version: 6, content: '再次报告' }, { status: 409, code: 'RULE_R12_ITEM_DONE', rule: 'R12' });

    // The official sees the plan of their own case; the party organization's official case view is unaffected.
    const seen = (await send('official', 'GET', caseUrl)).json() as { data: { plan: Plan } };
    expect(seen.data.plan.items).toHaveLength(2);
    const list = (await send('supervisor', 'GET', '/api/v1/rectification/plans')).json() as { data: { id: string; items: number; done: number }[] };
    expect(list.data).toContainEqual(expect.objectContaining({ id: state.plan.id, items: 2, done: 1 }));
    expect(((await send('xcHandler', 'GET', '/api/v1/rectification/plans')).json() as { data: unknown[] }).data).toEqual([]);
  });

  it('the overdue sweep reminds the supervisors once per overdue item', async () => {
    const before = await headSeq(h.db);
    expect((await raiseOverdueReminders(h.db, h.clock)).raised).toEqual([]);
    expect(await headSeq(h.db)).toBe(before);

    // Past item B's deadline (20 days out); item A is done and never overdue.
    h.advance(21 * DAY);
    const swept = await raiseOverdueReminders(h.db, h.clock);
    expect(swept.raised.map((r) => r.itemId)).toEqual([state.itemB]);
    const recipients = swept.raised[0]!.recipients;
    expect(recipients).toEqual(expect.arrayContaining([h.world.users.supervisor.id, h.world.users.orgDept.id]));
    expect(recipients).not.toContain(h.world.users.handler.id);
    const events = await h.db.selectFrom('events').select(['type', 'case_id', 'actor']).where('seq', '>', before).execute();
    expect(events).toEqual([{ type: 'rectification.overdue', case_id: state.caseId, actor: 'system' }]);

    // Sweeping again (as a scheduler, or a supervisor over HTTP) raises nothing new.
    expect((await raiseOverdueReminders(h.db, h.clock)).raised).toEqual([]);
    const again = await ok('supervisor', '/api/v1/rectification/overdue-sweep', {}, []);
    expect(again.data).toEqual({ raised: 0 });
    await refused('handler', 'POST', '/api/v1/rectification/overdue-sweep', {}, { status: 403, code: 'FORBIDDEN' });

    const reminders = (await send('supervisor', 'GET', '/api/v1/rectification/reminders')).json() as { data: { itemId: string; toMe: boolean }[] };
    expect(reminders.data).toEqual([expect.objectContaining({ itemId: state.itemB, toMe: true })]);
    expect(((await send('orgDept', 'GET', '/api/v1/rectification/reminders')).json() as { data: unknown[] }).data).toHaveLength(1);
    expect(((await send('xcHandler', 'GET', '/api/v1/rectification/reminders')).json() as { data: unknown[] }).data).toEqual([]);
    const plan = (await send('supervisor', 'GET', `/api/v1/rectification/plans/${state.plan.id}`)).json() as { data: Plan };
    expect(plan.data.items[1]).toMatchObject({ status: 'returned', overdue: true, reminders: [expect.anything()] });
  });

  it('poor rectification opens a linked case where Art. 10(4) is established', async () => {
    const planUrl = `/api/v1/rectification/plans/${state.plan.id}`;
    const { data: current } = (await send('handler', 'GET', planUrl)).json() as { data: Plan };
    const poorUrl = `${planUrl}/poor-rectification`;
    const body = { version: current.version, finding: '修订审批流程逾期未完成，退回后仍未整改。' };
    await refused('xcHandler', 'POST', poorUrl, body, { status: 404, code: 'NOT_FOUND' });
    await refused('supervisor', 'POST', poorUrl, body, { status: 403, code: 'FORBIDDEN' });
    await refused('handler', 'POST', poorUrl, { ...body, finding: '' }, { status: 400, code: 'INVALID_INPUT', key: 'finding' });
    await refused('handler', 'POST', poorUrl, { ...body, officialId: h.world.officials.seniorOfficial }, { status: 400, code: 'INVALID_INPUT', key: 'officialId' });

    const recorded = await ok('handler', poorUrl, body, ['case.opened', 'case.assessment-recorded', 'rectification.poor-recorded']);
    const newCaseId = recorded.data.newCaseId as string;
    expect(recorded.data).toMatchObject({ grounds: [state.itemB], recommendation: 'not_tolerated', binding: true });

    const row = await h.db.selectFrom('cases').selectAll().where('id', '=', newCaseId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ official_id: h.world.officials.official, organ_id: h.world.orgs.dongcheng.id, state: 'investigating', version: 2 });
    expect((row as unknown as { linked_from_case_id: string }).linked_from_case_id).toBe(state.caseId);
    const linked = (await send('handler', 'GET', `/api/v1/cases/${state.caseId}/rectification`)).json() as { data: { linkedCases: { id: string }[]; plan: { poorRecords: { newCaseId: string }[] } } };
    expect(linked.data.linkedCases.map((c) => c.id)).toEqual([newCaseId]);
    expect(linked.data.plan.poorRecords.map((p) => p.newCaseId)).toEqual([newCaseId]);

    // The new case, as its handler sees it: the first assessment shows Art. 10(4) established, binding not_tolerated.
    const session = await h.as('handler');
    const view = (await session.inject({ method: 'GET', url: `/api/v1/cases/${newCaseId}` })).json() as {
      data: { assessment: { input: { exclusions: Record<string, unknown> }; output: { recommendation: string; binding: boolean; excludedBy: string[] } } };
    };
    expect(view.data.assessment.input.exclusions['no-rectification']).toBe(true);
    expect(view.data.assessment.output).toMatchObject({ recommendation: 'not_tolerated', binding: true, excludedBy: ['no-rectification'] });
    const xc = await h.as('xcHandler');
    expect((await xc.inject({ method: 'GET', url: `/api/v1/cases/${newCaseId}` })).statusCode).toBe(404);

    // What record-assessment must respect: an unsettled value is filled in, a contrary one refused.
    const filled = await enforceEstablishedExclusions(h.db, newCaseId, { situations: ['reform-pilot'], exclusions: { 'no-rectification': null } });
    expect(filled.exclusions?.['no-rectification']).toBe(true);
    const contrary = await enforceEstablishedExclusions(h.db, newCaseId, { situations: [], exclusions: { 'no-rectification': false } }).catch((e: unknown) => e);
    expect(contrary).toBeInstanceOf(AppError);
    expect(contrary).toMatchObject({ code: 'RULE_R12_EXCLUSION_ESTABLISHED', key: 'input.exclusions.no-rectification', rule: 'R12' });
  });

  it('refuses poor rectification without an overdue or sent-back item', async () => {
    const created = await ok('handler', '/api/v1/rectification/plans', { unitId: h.world.orgs.bureau.id, title: '东城区发展改革委审批流程整改' }, ['rectification.plan-created'], 201);
    const planId = created.plan.id;
    await ok('handler', `/api/v1/rectification/plans/${planId}/items`, { version: 1, items: [{ title: '清理审批事项', ownerUnitId: h.world.orgs.bureau.id, deadline: beijingDay(h.now(), 30), mechanism: '建立审批事项清单' }] }, ['rectification.item-added']);
    await refused('handler', 'POST', `/api/v1/rectification/plans/${planId}/poor-rectification`, { version: 2, finding: '整改不力', officialId: h.world.officials.seniorOfficial }, { status: 422, code: 'RULE_R12_NO_GROUNDS', rule: 'R12' });
    await refused('xcHandler', 'POST', '/api/v1/rectification/plans', { unitId: h.world.orgs.dongcheng.id, title: '越权方案' }, { status: 400, code: 'INVALID_INPUT', key: 'unitId' });
  });
});

/** A one-file upload as the web page sends it (multipart, field `file`). */
function fileUpload(filename: string, content: string, field = 'file'): Pick<InjectOptions, 'payload' | 'headers'> {
  const boundary = 'rongcuo-rectification-boundary';
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  return { payload: Buffer.from(body, 'utf8'), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('R12: a unit’s rectification plan over HTTP (the 单位整改 page)', () => {
  const h: Harness = useHarness();

  const request = async (user: UserKey, options: InjectOptions) => {
    h.advance(1000);
    return (await h.as(user)).inject(options);
  };
  const get = async <T>(user: UserKey, url: string): Promise<T> => {
    const response = await request(user, { method: 'GET', url });
    expect(response.statusCode, `${user} GET ${url}: ${response.body}`).toBe(200);
    return (response.json() as { data: T }).data;
  };

  interface Summary { id: string; caseId: string | null; unitId: string | null; unitName: string | null; organName: string; items: number; done: number; reported: number; overdue: number; nextDeadline: string | null }
  interface UnitPlan { id: string; version: number; unitId: string; items: { id: string; status: string; reports: { attachments: string[] }[] }[]; abilities: Record<string, boolean> }

  it('offers as units those the handler’s organ may make a plan for, and nobody else any', async () => {
    const ids = async (user: UserKey) => (await get<{ id: string; name: string }[]>(user, '/api/v1/rectification/units')).map((u) => u.id);
    const { orgs } = h.world;
    // 东城's commission manages the officials of the bureau (which hangs elsewhere in the tree).
    expect(await ids('handler')).toEqual(expect.arrayContaining([orgs.dongcheng.id, orgs.bureau.id]));
    expect(await ids('handler')).not.toContain(orgs.xichengBureau.id);
    expect(await ids('xcHandler')).toEqual(expect.arrayContaining([orgs.xicheng.id, orgs.xichengBureau.id]));
    expect(await ids('xcHandler')).not.toContain(orgs.bureau.id);
    expect(await ids('supervisor')).toEqual([]);
    expect(await ids('official')).toEqual([]);
  });

  it('lists unit plans apart from case plans; upload, report with the file, download, check off', async () => {
    const { orgs } = h.world;
    const created = await request('handler', { method: 'POST', url: '/api/v1/rectification/plans', payload: { unitId: orgs.bureau.id, title: '东城区发展改革委项目审批整改', description: '审批环节逐项整改。' } });
    expect(created.statusCode, created.body).toBe(201);
    const planId = (created.json() as { plan: UnitPlan }).plan.id;
    // A bad unit is refused naming the field.
    expectProblem(await request('handler', { method: 'POST', url: '/api/v1/rectification/plans', payload: { unitId: 'x', title: '方案' } }), { status: 400, code: 'INVALID_INPUT', key: 'unitId' });

    // A case plan in the same jurisdiction, to tell the two kinds apart.
    const flow = await driveTo(h, 'served');
    expect((await request('handler', { method: 'POST', url: `/api/v1/cases/${flow.id}/rectification`, payload: { title: '案件整改方案' } })).statusCode).toBe(201);

    const units = await get<Summary[]>('handler', '/api/v1/rectification/plans?subject=unit');
    expect(units).toEqual([expect.objectContaining({ id: planId, caseId: null, unitId: orgs.bureau.id, unitName: '东城区发展改革委', organName: '东城区纪委监委', items: 0, done: 0, reported: 0, overdue: 0, nextDeadline: null })]);
    const cases = await get<Summary[]>('handler', '/api/v1/rectification/plans?subject=case');
    expect(cases.map((p) => p.caseId)).toEqual([flow.id]);
    expect(await get<Summary[]>('supervisor', '/api/v1/rectification/plans?subject=unit')).toEqual([expect.objectContaining({ id: planId })]);
    expect(await get<Summary[]>('xcHandler', '/api/v1/rectification/plans?subject=unit')).toEqual([]);
    expectProblem(await request('handler', { method: 'GET', url: '/api/v1/rectification/plans?subject=all' }), { status: 400, code: 'INVALID_INPUT', key: 'subject' });

    const deadline = beijingDay(h.now(), 15);
    const added = await request('handler', {
      method: 'POST',
      url: `/api/v1/rectification/plans/${planId}/items`,
      payload: { version: 1, items: [{ title: '清理审批事项', ownerUnitId: orgs.bureau.id, deadline, mechanism: '建立审批事项清单动态调整机制' }] },
    });
    expect(added.statusCode, added.body).toBe(200);
    const itemId = (added.json() as { plan: UnitPlan }).plan.items[0]!.id;
    expect(await get<Summary[]>('handler', '/api/v1/rectification/plans?subject=unit')).toEqual([expect.objectContaining({ items: 1, nextDeadline: deadline })]);

    // The attachment: uploaded first (judged by its content), then named by its SHA-256 in the report.
    const uploadUrl = `/api/v1/rectification/items/${itemId}/attachments`;
    const pdf = '%PDF-1.4\n整改台账\n%%EOF\n';
    const filesCount = async () => Number((await h.db.selectFrom('files').select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const before = { db: await snapshot(h.db), files: await filesCount() };
    expectProblem(await request('xcHandler', { method: 'POST', url: uploadUrl, ...fileUpload('taizhang.pdf', pdf) }), { status: 404, code: 'NOT_FOUND' });
    expectProblem(await request('supervisor', { method: 'POST', url: uploadUrl, ...fileUpload('taizhang.pdf', pdf) }), { status: 403, code: 'FORBIDDEN' });
    expectProblem(await request('handler', { method: 'POST', url: uploadUrl, payload: { file: 'x' } }), { status: 400, code: 'INVALID_INPUT', key: 'body' });
    expectProblem(await request('handler', { method: 'POST', url: uploadUrl, ...fileUpload('taizhang.exe', 'MZ') }), { status: 400, code: 'INVALID_INPUT', key: 'file' });
    expectProblem(await request('handler', { method: 'POST', url: uploadUrl, ...fileUpload('taizhang.png', pdf) }), { status: 400, code: 'INVALID_INPUT', key: 'file' });
    expectProblem(await request('handler', { method: 'POST', url: uploadUrl, ...fileUpload('taizhang.pdf', pdf, 'attachments') }), { status: 400, code: 'INVALID_INPUT', key: 'file' });
    expect({ db: await snapshot(h.db), files: await filesCount() }, 'a refused upload stores nothing').toEqual(before);
    const uploaded = await request('handler', { method: 'POST', url: uploadUrl, ...fileUpload('taizhang.pdf', pdf) });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const file = (uploaded.json() as { data: { sha256: string; mediaType: string; filename: string; size: number } }).data;
    expect(file).toMatchObject({ mediaType: 'application/pdf', filename: 'taizhang.pdf', size: Buffer.byteLength(pdf) });
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);

    const downloadUrl = `/api/v1/rectification/items/${itemId}/attachments/${file.sha256}`;
    // Uploaded but not yet part of a report: nobody can fetch it through the plan.
    expectProblem(await request('handler', { method: 'GET', url: downloadUrl }), { status: 404, code: 'NOT_FOUND' });

    const reported = await request('handler', { method: 'POST', url: `/api/v1/rectification/items/${itemId}/progress`, payload: { version: 2, content: '已清理审批事项 12 项。', attachments: [file.sha256] } });
    expect(reported.statusCode, reported.body).toBe(200);
    expect((reported.json() as { plan: UnitPlan }).plan.items[0]).toMatchObject({ status: 'reported', reports: [{ attachments: [file.sha256] }] });
    expect(await get<Summary[]>('supervisor', '/api/v1/rectification/plans?subject=unit')).toEqual([expect.objectContaining({ reported: 1, done: 0 })]);

    const download = await request('supervisor', { method: 'GET', url: downloadUrl });
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe(pdf);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expectProblem(await request('xcHandler', { method: 'GET', url: downloadUrl }), { status: 404, code: 'NOT_FOUND' });
    expectProblem(await request('supervisor', { method: 'GET', url: `/api/v1/rectification/items/${itemId}/attachments/${'c'.repeat(64)}` }), { status: 404, code: 'NOT_FOUND' });
    expectProblem(await request('supervisor', { method: 'GET', url: `/api/v1/rectification/items/${itemId}/attachments/not-a-hash` }), { status: 400, code: 'INVALID_INPUT', key: 'sha256' });

    const checked = await request('supervisor', { method: 'POST', url: `/api/v1/rectification/items/${itemId}/check`, payload: { version: 3, accepted: true, note: '核查属实。' } });
    expect(checked.statusCode, checked.body).toBe(200);
    expect(await get<Summary[]>('handler', '/api/v1/rectification/plans?subject=unit')).toEqual([expect.objectContaining({ items: 1, done: 1, reported: 0, nextDeadline: null })]);
    // A done item takes no more attachments.
    const late = await request('handler', { method: 'POST', url: uploadUrl, ...fileUpload('taizhang.pdf', pdf) });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'RULE_R12_ITEM_DONE', rule: 'R12', article: '第十八条' });
  });
});
