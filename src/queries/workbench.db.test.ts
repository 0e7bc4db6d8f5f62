import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type SignedIn } from '../../test/helpers/app.js';
import { useTestDatabase } from '../../test/helpers/db.js';
import { createUser } from '../../test/helpers/factories.js';
import { buildWorld, FAVOURABLE_ASSESSMENT, type World } from '../../test/helpers/world.js';
import { ASSESSMENTS, DECISIONS, EXPLANATIONS } from '../../test/rules/steps.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { LocalFileStore } from '../files/store.js';
import { buildApp } from '../http/app.js';
import type { AppContext } from '../http/context.js';
import { workbenchRoutes } from '../http/routes/workbench/index.js';
import { TASK_KINDS, WORKBENCH_LIMIT, type TaskKind, type Workbench } from './workbench.js';

/**
 * The 工作台 over HTTP: cases driven step by step by the users whose role it is, and after each step every
 * world user's to-do list — who has what, with which dates, and nobody anything outside their jurisdiction.
 */

/** The application as the server builds it, with the workbench route registered if app.ts does not (yet) do so. */
async function buildWorkbenchApp(db: Db, clock: Clock): Promise<FastifyInstance> {
  const files = new LocalFileStore(await mkdtemp(path.join(tmpdir(), 'rongcuo-files-')));
  const context: AppContext = { db, clock, version: 'test', files, secureCookies: false, signInRateLimit: 10_000 };
  const app = await buildApp({ context });
  if (!app.registeredRoutes.some((r) => r.method === 'GET' && r.url === '/api/v1/workbench')) await app.register(workbenchRoutes, { context });
  await app.ready();
  return app;
}

/** The world's users, two of its deliberation members, and two who must never get the 东城 case's work: an approver
 * at the deciding organ itself (not its higher authority) and a member of the 西城 commission. */
const USERS = ['handler', 'handler2', 'xcHandler', 'cityHandler', 'approver', 'supervisor', 'partyOrg', 'expert', 'orgDept', 'admin', 'official', 'member1', 'member5', 'dcApprover', 'xcMember'] as const;
type UserKey = (typeof USERS)[number];

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A database, the app, the world, a clock that only moves forward, sessions signed in again after a long pause. */
function useBench(start: string) {
  const database = useTestDatabase();
  let now = new Date(start);
  const clock: Clock = { now: () => new Date(now) };
  const state = {} as { app: FastifyInstance; world: World; extra: Record<'dcApprover' | 'xcMember', { username: string; password: string }> };
  let sessions = new Map<UserKey, SignedIn>();
  beforeAll(async () => {
    state.app = await buildWorkbenchApp(database.current.db, clock);
    state.world = await buildWorld(database.current.db, state.app);
    const { dongcheng, xicheng } = state.world.orgs;
    state.extra = {
      dcApprover: await createUser(database.current.db, { username: 'dc-approver', roles: [{ role: 'approver', organizationId: dongcheng.id }] }),
      xcMember: await createUser(database.current.db, { username: 'xc-member1', roles: [{ role: 'deliberation-member', organizationId: xicheng.id }] }),
    };
  });
  afterAll(() => state.app?.close());

  const credentials = (user: UserKey) => {
    const { users } = state.world;
    if (user === 'member1') return users.members[0]!;
    if (user === 'member5') return users.members[4]!;
    if (user === 'dcApprover' || user === 'xcMember') return state.extra[user];
    return users[user];
  };
  const as = async (user: UserKey) => {
    let session = sessions.get(user);
    if (!session) {
      session = await signInAs(state.app, credentials(user));
      sessions.set(user, session);
    }
    return session;
  };
  return {
    db: () => database.current.db,
    get app() {
      return state.app;
    },
    get world() {
      return state.world;
    },
    now: () => new Date(now),
    as,
    /** Moves the clock; past the idle timeout, everyone signs in again. */
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
      if (ms > 20 * MINUTE) sessions = new Map();
    },
    async workbench(user: UserKey): Promise<Workbench> {
      const response = await (await as(user)).inject({ method: 'GET', url: '/api/v1/workbench' });
      expect(response.statusCode, `${user}: ${response.body}`).toBe(200);
      const { data } = response.json() as { data: Workbench };
      // The counts always agree with the list (here, well under the limit).
      for (const kind of TASK_KINDS) expect(data.counts[kind], `${user} ${kind}`).toBe(data.items.filter((i) => i.task === kind).length);
      return data;
    },
  };
}
type Bench = ReturnType<typeof useBench>;

/** One case and the version its users last saw. */
class Flow {
  version = 0;
  id = '';
  applications: string[] = [];
  constructor(readonly bench: Bench) {}

  async open(user: UserKey, official: keyof World['officials'], title: string) {
    this.bench.advance(MINUTE);
    const response = await (await this.bench.as(user)).inject({
      method: 'POST',
      url: '/api/v1/cases',
      payload: { officialId: this.bench.world.officials[official], title, description: '因政策界限不明确导致项目资金拨付延误。' },
    });
    expect(response.statusCode, response.body).toBe(201);
    const { data, version } = response.json() as { data: { id: string }; version: number };
    this.id = data.id;
    this.version = version;
    return this;
  }

  async command(user: UserKey, path: string, payload: Record<string, unknown> = {}) {
    this.bench.advance(MINUTE);
    const response = await (await this.bench.as(user)).inject({ method: 'POST', url: `/api/v1/cases/${this.id}/${path}`, payload: { version: this.version, ...payload } });
    expect(response.statusCode, `${user} ${path}: ${response.body}`).toBe(200);
    const result = response.json() as { data: Record<string, unknown>; version: number };
    this.version = result.version;
    return result.data;
  }

  deliberation(proposedOutcome: 'exempt' | 'reduced' | 'not_tolerated', recommendation: string) {
    const present = this.bench.world.users.members.slice(0, 3).map((m) => m.id);
    return {
      heldOn: '2026-03-10',
      membersPresent: present,
      memberOpinions: present.map((memberId) => ({ memberId, opinion: proposedOutcome, comment: '同意。' })),
      accountabilityOpinion: proposedOutcome === 'exempt' ? '不予问责。' : '应当问责。',
      toleranceOpinion: proposedOutcome === 'not_tolerated' ? '经研究，不符合容错条件，不予容错。' : '符合第八条第（二）项情形，予以容错。',
      proposedOutcome,
      applicationAnswers: this.applications.map((applicationId) => ({ applicationId, answer: '经集体研究，已在容错意见中予以答复。' })),
      ...(proposedOutcome !== recommendation ? { departureReason: '延误造成一定社会影响，不宜完全免责。' } : {}),
    };
  }

  async row() {
    return this.bench.db().selectFrom('cases').selectAll().where('id', '=', this.id).executeTakeFirstOrThrow();
  }
}

/** Every user's list, as `task` per case name; users not named must have nothing at all. */
async function expectTasks(bench: Bench, cases: Record<string, Flow>, expected: Partial<Record<UserKey, string[]>>) {
  const names = new Map(Object.entries(cases).map(([name, flow]) => [flow.id, name]));
  const actual: Partial<Record<UserKey, string[]>> = {};
  for (const user of USERS) {
    const { items } = await bench.workbench(user);
    actual[user] = items.map((i) => `${i.task} ${names.get(i.caseId) ?? i.caseId}`).sort();
  }
  const want = Object.fromEntries(USERS.map((u) => [u, [...(expected[u] ?? [])].sort()]));
  expect(actual).toEqual(want);
}

describe('GET /api/v1/workbench', () => {
  const bench = useBench('2026-03-02T01:00:00Z');

  it('needs a session', async () => {
    const response = await bench.app.inject({ method: 'GET', url: '/api/v1/workbench' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'NOT_SIGNED_IN' });
  });

  it('is documented in the OpenAPI document under the workbench tag', async () => {
    const doc = (await bench.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { tags?: string[] }>> };
    expect(doc.paths['/api/v1/workbench']?.get?.tags).toEqual(['workbench']);
  });

  it('follows a case through every step, for every role, within each jurisdiction', async () => {
    const { world } = bench;
    const nobody = Object.fromEntries(TASK_KINDS.map((k) => [k, 0]));
    for (const user of USERS) expect(await bench.workbench(user)).toEqual({ items: [], counts: nobody });

    // Opened: the deciding organ's handlers investigate; the official is to give a statement; the party organization may apply.
    const a = await new Flow(bench).open('handler', 'official', '东城区某改革试点项目资金拨付延误');
    const cases = { A: a };
    await expectTasks(bench, cases, {
      handler: ['investigate A'],
      handler2: ['investigate A'],
      official: ['statement A'],
      partyOrg: ['application A'],
    });
    const opened = await a.row();
    const [item] = (await bench.workbench('handler')).items;
    expect(item).toEqual({
      task: 'investigate',
      caseId: a.id,
      caseTitle: '东城区某改革试点项目资金拨付延误',
      official: { name: '张明', position: '副主任' },
      organ: { name: '东城区纪委监委' },
      state: 'investigating',
      since: opened.opened_at.toISOString(),
      deadline: null,
    });

    // A 西城 case: its handler investigates it; nobody of 东城 sees it, and the 西城 handler sees nothing of 东城.
    const x = await new Flow(bench).open('xcHandler', 'xichengOfficial', '西城区某老旧小区改造工程验收问题');
    const both = { A: a, X: x };
    await expectTasks(bench, both, {
      handler: ['investigate A'],
      handler2: ['investigate A'],
      xcHandler: ['investigate X'],
      official: ['statement A'],
      partyOrg: ['application A'],
    });
    // Newest first.
    expect((await bench.workbench('xcHandler')).items.map((i) => i.caseId)).toEqual([x.id]);

    // A statement the handler heard in a talk does not take the official's own written statement off their list.
    await a.command('handler', 'opinions', { kind: 'statement', source: '张明（本人）', content: '谈话中本人表示已主动整改。' });
    expect((await bench.workbench('official')).items.map((i) => i.task)).toEqual(['statement']);

    // The statement, then the party organization's application: the handler has it to answer.
    await a.command('official', 'statement', { content: '本人在试点中按照集体研究意见推进，因政策界限不明确出现延误。' });
    const partyApplication = await a.command('partyOrg', 'applications', { content: '党支部认为该同志符合容错条件，特提出书面容错申请。' });
    a.applications.push(partyApplication.id as string);
    const submitted = (await bench.db().selectFrom('applications').select('submitted_at').where('id', '=', partyApplication.id as string).executeTakeFirstOrThrow()).submitted_at;
    await expectTasks(bench, both, {
      handler: ['investigate A', 'answer-application A'],
      handler2: ['investigate A', 'answer-application A'],
      xcHandler: ['investigate X'],
    });
    const answer = (await bench.workbench('handler')).items.find((i) => i.task === 'answer-application');
    expect(answer?.since).toBe(submitted.toISOString());

    // A professional question: the invited expert has an opinion to give, and only they.
    await a.command('handler', 'professional', { professional: true });
    await a.command('handler', 'experts', { expertId: world.users.expert.id, question: '资金拨付流程的技术规范当时是否明确？', evidenceIds: [] });
    const expertItems = (await bench.workbench('expert')).items;
    expect(expertItems.map((i) => [i.task, i.caseId])).toEqual([['expert-opinion', a.id]]);
    expect(expertItems[0]!.since).toBe(bench.now().toISOString());
    await a.command('expert', 'expert-opinion', { content: '相关技术规范当时尚未出台，属于政策界限不明确。' });
    expect((await bench.workbench('expert')).items).toEqual([]);

    // Assessed: the organ's deliberation members have it to deliberate (all of them, not only who will attend).
    await a.command('handler', 'assessment', { input: FAVOURABLE_ASSESSMENT });
    const assessedAt = bench.now().toISOString();
    await expectTasks(bench, both, {
      handler: ['investigate A', 'answer-application A'],
      handler2: ['investigate A', 'answer-application A'],
      member1: ['deliberate A'],
      member5: ['deliberate A'],
      xcHandler: ['investigate X'],
    });
    expect((await bench.workbench('member5')).items[0]!.since).toBe(assessedAt);

    // Deliberated, the application answered: the handler decides.
    await a.command('handler', 'deliberations', a.deliberation('reduced', 'exempt'));
    const deliberatedAt = bench.now().toISOString();
    await expectTasks(bench, both, {
      handler: ['decide A'],
      handler2: ['decide A'],
      member1: ['deliberate A'],
      member5: ['deliberate A'],
      xcHandler: ['investigate X'],
    });
    expect((await bench.workbench('handler')).items.find((i) => i.caseId === a.id)).toMatchObject({ task: 'decide', state: 'deliberated', since: deliberatedAt });

    // The official applies after the deliberation: unanswered until the members deliberate again (R2).
    const ownApplication = await a.command('official', 'applications', { content: '本人申请容错：属于第八条第（二）项情形。' });
    a.applications.push(ownApplication.id as string);
    expect((await bench.workbench('handler')).items.filter((i) => i.caseId === a.id).map((i) => i.task).sort()).toEqual(['answer-application', 'decide']);
    await a.command('handler', 'deliberations', a.deliberation('reduced', 'exempt'));
    expect((await bench.workbench('handler')).items.filter((i) => i.caseId === a.id).map((i) => i.task)).toEqual(['decide']);

    // Decided with a disciplinary sanction: it waits for the higher authority (R7), a strict superior of the organ.
    await a.command('handler', 'decision', DECISIONS.sanctioned);
    const decidedAt = bench.now().toISOString();
    await expectTasks(bench, both, { approver: ['approve A'], xcHandler: ['investigate X'] });
    expect((await bench.workbench('approver')).items[0]).toMatchObject({ task: 'approve', state: 'awaiting-approval', since: decidedAt, deadline: null });

    // Approved: the handler serves it.
    await a.command('approver', 'decision/approval', { approve: true });
    const approvedAt = bench.now().toISOString();
    await expectTasks(bench, both, { handler: ['serve A'], handler2: ['serve A'], xcHandler: ['investigate X'] });
    expect((await bench.workbench('handler2')).items.find((i) => i.caseId === a.id)?.since).toBe(approvedAt);

    // Served: the official may appeal until the deadline; the case cannot be closed while the window is open.
    await a.command('handler', 'service', EXPLANATIONS);
    const served = await a.row();
    expect(served.appeal_deadline).not.toBeNull();
    await expectTasks(bench, both, { official: ['appeal A'], xcHandler: ['investigate X'] });
    expect((await bench.workbench('official')).items[0]).toMatchObject({
      task: 'appeal',
      state: 'served',
      since: served.served_at!.toISOString(),
      deadline: served.appeal_deadline!.toISOString(),
    });

    // Appealed ten days later: decided by a handler who took no part, at the organ or above it (R10).
    bench.advance(10 * DAY);
    await a.command('official', 'appeal', { grounds: '本人认为处理过重，申请复查。' });
    const appeal = await bench.db().selectFrom('appeals').selectAll().where('case_id', '=', a.id).executeTakeFirstOrThrow();
    await expectTasks(bench, both, {
      // dc-handler decided the original decision: not theirs to review.
      handler2: ['handle-appeal A'],
      cityHandler: ['handle-appeal A'],
      xcHandler: ['investigate X'],
    });
    expect((await bench.workbench('cityHandler')).items[0]).toMatchObject({
      task: 'handle-appeal',
      state: 'under-appeal',
      since: appeal.lodged_at.toISOString(),
      deadline: appeal.due_at.toISOString(),
    });

    // Appeal decided: the organ's handlers close the case; then nobody has anything left on it.
    await a.command('handler2', 'appeal/decision', { outcome: 'upheld', reasons: '经复查，原决定认定事实清楚，维持。' });
    const appealDecidedAt = bench.now().toISOString();
    await expectTasks(bench, both, { handler: ['close A'], handler2: ['close A'], xcHandler: ['investigate X'] });
    expect((await bench.workbench('handler')).items[0]).toMatchObject({ task: 'close', state: 'appeal-decided', since: appealDecidedAt, deadline: null });
    await a.command('handler', 'close');
    await expectTasks(bench, both, { xcHandler: ['investigate X'] });
  });
});

describe('the workbench after service', () => {
  const bench = useBench('2026-04-01T01:00:00Z');

  /** Opened, heard, assessed and deliberated by the 东城 users; decided as given (no approval needed). */
  async function decided(title: string, assessment: Record<string, unknown>, outcome: 'exempt' | 'not_tolerated', decision: Record<string, unknown>) {
    const flow = await new Flow(bench).open('handler', 'official', title);
    await flow.command('official', 'statement', { content: '本人陈述如下。' });
    await flow.command('handler', 'assessment', { input: assessment });
    await flow.command('handler', 'deliberations', flow.deliberation(outcome, outcome));
    const result = await flow.command('handler', 'decision', decision);
    expect(result.requiresApproval).toBe(false);
    return flow;
  }

  it('lets the official appeal only an appealable decision within its window, and closes when the window has passed', async () => {
    const exempt = await decided('某项目审批延误（免责）', ASSESSMENTS.favourable, 'exempt', DECISIONS.exempt);
    const notTolerated = await decided('某项目审批延误（不予容错）', ASSESSMENTS.noSituation, 'not_tolerated', DECISIONS.notTolerated);
    const cases = { E: exempt, N: notTolerated };
    await expectTasks(bench, cases, { handler: ['serve E', 'serve N'], handler2: ['serve E', 'serve N'] });
    // Newest first: the second decision came later.
    expect((await bench.workbench('handler')).items.map((i) => i.caseId)).toEqual([notTolerated.id, exempt.id]);

    // An exemption without accountability measures cannot be appealed: closed at once.
    await exempt.command('handler', 'service', EXPLANATIONS);
    await notTolerated.command('handler', 'service', EXPLANATIONS);
    const deadline = (await notTolerated.row()).appeal_deadline!;
    // Served exempt: its comprehensive assessment falls due for the organization department (R13, Art. 19(4)).
    await expectTasks(bench, cases, { handler: ['close E'], handler2: ['close E'], official: ['appeal N'], orgDept: ['assessment-due E'] });
    expect((await bench.workbench('official')).items[0]!.deadline).toBe(deadline.toISOString());

    // The last moment of the window: still the official's, not yet closable.
    bench.advance(deadline.getTime() - bench.now().getTime());
    await expectTasks(bench, cases, { handler: ['close E'], handler2: ['close E'], official: ['appeal N'], orgDept: ['assessment-due E'] });

    // The window has passed: the appeal is gone and the case can be closed, due since the deadline.
    bench.advance(DAY);
    await expectTasks(bench, cases, { handler: ['close E', 'close N'], handler2: ['close E', 'close N'], orgDept: ['assessment-due E'] });
    const close = (await bench.workbench('handler')).items.find((i) => i.caseId === notTolerated.id);
    expect(close).toMatchObject({ task: 'close', state: 'served', since: deadline.toISOString(), deadline: null });
  });

  it('lists at most the newest 100 items and counts them all', async () => {
    const { world } = bench;
    const db = bench.db();
    const openedBy = world.users.handler.id;
    const base = bench.now().getTime();
    await db
      .insertInto('cases')
      .values(
        Array.from({ length: WORKBENCH_LIMIT + 5 }, (_, i) => ({
          official_id: world.officials.seniorOfficial,
          organ_id: world.orgs.dongcheng.id,
          title: `批量案件 ${i}`,
          description: '用于测试工作台的条数上限。',
          state: 'investigating',
          policy_id: 'bj-2020',
          policy_version: '1',
          opened_by: openedBy,
          opened_at: new Date(base - i * MINUTE),
          updated_at: new Date(base - i * MINUTE),
        })),
      )
      .execute();
    const response = await (await bench.as('handler2')).inject({ method: 'GET', url: '/api/v1/workbench' });
    const { data } = response.json() as { data: Workbench };
    expect(data.items).toHaveLength(WORKBENCH_LIMIT);
    expect(data.counts.investigate).toBe(WORKBENCH_LIMIT + 5);
    expect(data.counts.close).toBe(2);
    const since = data.items.map((i) => i.since);
    expect(since).toEqual([...since].sort().reverse());
    expect(data.items[0]!.caseTitle).toBe('批量案件 0');
    // The 西城 handler still sees nothing of 东城.
    const xc = await bench.workbench('xcHandler');
    expect(xc.items).toEqual([]);
    expect(Object.values(xc.counts as Record<TaskKind, number>).every((n) => n === 0)).toBe(true);
  });
});

describe('the workbench after the decision: rectification, visits and assessments (Art. 18, 19)', () => {
  const bench = useBench('2026-05-10T01:00:00Z');

  it('lists open and overdue rectification items and visits due within 7 days to whom they belong, within each jurisdiction', async () => {
    const { world } = bench;
    const db = bench.db();
    const now = bench.now();
    const plan = await db
      .insertInto('rectification_plans')
      .values({ unit_id: world.orgs.bureau.id, organ_id: world.orgs.dongcheng.id, title: '整改方案', description: '整改。', created_by: world.users.handler.id, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('rectification_items')
      .values([
        { plan_id: plan.id, title: '逾期事项', owner_official_id: world.officials.official, deadline: '2026-05-01', mechanism: '台账', position: 1, added_by: world.users.handler.id, added_at: new Date('2026-04-01T01:00:00Z') },
        { plan_id: plan.id, title: '未到期事项', owner_unit_id: world.orgs.bureau.id, deadline: '2026-06-30', mechanism: '制度', position: 2, added_by: world.users.handler.id, added_at: new Date('2026-04-02T01:00:00Z') },
        { plan_id: plan.id, title: '已完成事项', owner_official_id: world.officials.official, deadline: '2026-04-30', mechanism: '制度', position: 3, status: 'done', added_by: world.users.handler.id, added_at: new Date('2026-04-02T01:00:00Z') },
      ])
      .execute();
    await db
      .insertInto('followup_visits')
      .values([
        { official_id: world.officials.official, case_id: null, kind: 'visit', offset_months: 3, due_on: '2026-05-17', scheduled_at: now },
        // Not yet within 7 days.
        { official_id: world.officials.seniorOfficial, case_id: null, kind: 'visit', offset_months: 3, due_on: '2026-05-18', scheduled_at: now },
        { official_id: world.officials.xichengOfficial, case_id: null, kind: 'talk', offset_months: 6, due_on: '2026-05-01', scheduled_at: now },
      ])
      .execute();

    const kinds = async (user: UserKey) => (await bench.workbench(user)).items.map((i) => `${i.task} ${i.caseTitle}`).sort();
    expect(await kinds('handler')).toEqual(['rectification-item 未到期事项', 'rectification-item 逾期事项', 'visit-due 回访教育']);
    expect(await kinds('handler2')).toEqual(await kinds('handler'));
    expect(await kinds('official')).toEqual(['rectification-item 逾期事项']);
    expect(await kinds('supervisor')).toEqual(['rectification-overdue 逾期事项']);
    expect(await kinds('orgDept')).toEqual(['rectification-overdue 逾期事项', 'visit-due 回访教育', 'visit-due 谈心谈话']);
    expect(await kinds('xcHandler')).toEqual(['visit-due 谈心谈话']);
    expect(await kinds('cityHandler')).toEqual(['visit-due 回访教育', 'visit-due 谈心谈话']);
    for (const user of ['partyOrg', 'expert', 'admin', 'member1', 'approver'] as const) expect(await kinds(user)).toEqual([]);

    const overdue = (await bench.workbench('supervisor')).items[0]!;
    expect(overdue).toEqual({
      task: 'rectification-overdue',
      caseId: '',
      caseTitle: '逾期事项',
      official: { name: '张明', position: '副主任' },
      organ: { name: '东城区纪委监委' },
      state: 'open',
      since: '2026-05-01T16:00:00.000Z',
      deadline: '2026-05-01T15:59:59.999Z',
    });
    const visit = (await bench.workbench('handler')).items.find((i) => i.task === 'visit-due')!;
    expect(visit).toMatchObject({ caseId: '', state: 'due', deadline: '2026-05-17T15:59:59.999Z' });

    // Done visits and checked-off items leave the lists.
    await db.updateTable('followup_visits').set({ done_at: now, record: '已回访。', done_by: world.users.handler.id }).where('due_on', '=', '2026-05-17').execute();
    await db.updateTable('rectification_items').set({ status: 'done', done_at: now }).where('title', '=', '逾期事项').execute();
    expect(await kinds('supervisor')).toEqual([]);
    expect(await kinds('handler')).toEqual(['rectification-item 未到期事项']);
  });

  it('lists the newest 100 of many due visits and counts every one', async () => {
    const { world } = bench;
    const db = bench.db();
    const now = bench.now();
    const many = WORKBENCH_LIMIT + 30;
    const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
    // A deadline is the end of its day in Beijing (15:59:59.999Z): its date there.
    const beijingDate = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
    await db
      .insertInto('followup_visits')
      .values(Array.from({ length: many }, (_, i) => ({ official_id: world.officials.official, case_id: null, kind: 'visit', offset_months: 3, due_on: day(i), scheduled_at: now })))
      .execute();
    const response = await (await bench.as('handler')).inject({ method: 'GET', url: '/api/v1/workbench' });
    const { items, counts } = (response.json() as { data: Workbench }).data;
    expect(counts['visit-due']).toBe(many);
    expect(items).toHaveLength(WORKBENCH_LIMIT);
    // The newest by due date (beside the handler's few other items), never one of the oldest thirty.
    const visits = items.filter((i) => i.task === 'visit-due');
    expect(visits.length).toBeGreaterThan(WORKBENCH_LIMIT - 10);
    const dueDays = visits.map((v) => beijingDate(v.deadline!)).sort();
    expect(dueDays[0]! >= day(many - WORKBENCH_LIMIT)).toBe(true);
    expect(dueDays.at(-1)).toBe(day(many - 1));
  });
});
