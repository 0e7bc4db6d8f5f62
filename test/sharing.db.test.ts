import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { buildTestApp, signInAs } from './helpers/app.js';
import { useTestDatabase } from './helpers/db.js';
import { createOrganization, createUser } from './helpers/factories.js';
import { buildWorld, type World } from './helpers/world.js';

/** Information sharing (协作配合, Art. 19(2)) between the 东城 commission and the municipal organization department. */
describe('information sharing', () => {
  const database = useTestDatabase();
  const clock: Clock = { now: () => new Date('2026-06-01T02:00:00Z') };
  let app: FastifyInstance;
  let world: World;
  let orgDept: { id: string; name: string };
  let orgDeptUser: { id: string; username: string; password: string };
  let assessmentId: string;

  beforeAll(async () => {
    const db = database.current.db;
    app = await buildTestApp(db, clock);
    world = await buildWorld(db, app);
    orgDept = await createOrganization(db, { name: '中共北京市委组织部', type: 'organization-department', parentId: world.orgs.committee.id });
    orgDeptUser = await createUser(db, { username: 'city-org-dept', roles: [{ role: 'organization-department', organizationId: orgDept.id }] });
    const assessment = await db
      .insertInto('comprehensive_assessments')
      .values({
        official_id: world.officials.official,
        basis: 'other',
        nature: '失误', motive: '为公', degree: '轻微', tolerance: '已容错', usual_performance: '良好', performance_since: '积极',
        conclusion: 'continue-in-post',
        sent_to_org_id: orgDept.id,
        recorded_by: world.users.handler.id,
        recorded_at: clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    assessmentId = assessment.id;
  });
  afterAll(() => app?.close());

  const share = async (user: { username: string; password: string }, payload: Record<string, unknown>) =>
    (await signInAs(app, user)).inject({ method: 'POST', url: '/api/v1/sharing', payload });

  it('lets the commission share with the organization department that manages the same official, logged in the audit chain', async () => {
    const response = await share(world.users.handler, { officialId: world.officials.official, kind: 'comprehensive-assessment', recordId: assessmentId, toOrgId: orgDept.id, note: '供干部选拔任用参考。' });
    expect(response.statusCode, response.body).toBe(201);
    const { data } = response.json() as { data: { id: string; fromOrgId: string; toOrgId: string } };
    expect(data).toMatchObject({ fromOrgId: world.orgs.dongcheng.id, toOrgId: orgDept.id });
    const event = await database.current.db.selectFrom('events').selectAll().where('type', '=', 'sharing.shared').executeTakeFirstOrThrow();
    expect(event.actor).toBe(`user:${world.users.handler.id}`);
    expect(event.payload).toEqual({ shareId: data.id, kind: 'comprehensive-assessment', recordId: assessmentId, officialId: world.officials.official, fromOrgId: world.orgs.dongcheng.id, toOrgId: orgDept.id });

    // The recipient organ's users see it in their inbox; the sender's organ does not.
    const inbox = await (await signInAs(app, orgDeptUser)).inject({ method: 'GET', url: '/api/v1/sharing/inbox' });
    expect(inbox.statusCode).toBe(200);
    const items = (inbox.json() as { data: { items: { id: string; note: string; official: { name: string }; from: { name: string } }[] } }).data.items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: data.id, note: '供干部选拔任用参考。', official: { name: '张明' }, from: { name: '东城区纪委监委' } });
    const handlerInbox = await (await signInAs(app, world.users.handler)).inject({ method: 'GET', url: '/api/v1/sharing/inbox' });
    expect((handlerInbox.json() as { data: { items: unknown[] } }).data.items).toEqual([]);
  });

  it('lets the organization department share back with the commission', async () => {
    const response = await share(orgDeptUser, { officialId: world.officials.official, kind: 'comprehensive-assessment', recordId: assessmentId, toOrgId: world.orgs.dongcheng.id });
    expect(response.statusCode, response.body).toBe(201);
    const inbox = await (await signInAs(app, world.users.handler2)).inject({ method: 'GET', url: '/api/v1/sharing/inbox' });
    expect((inbox.json() as { data: { items: { from: { name: string } }[] } }).data.items.map((i) => i.from.name)).toEqual(['中共北京市委组织部']);
  });

  it('refuses a recipient of the same type, one without jurisdiction, a record about someone else, and other roles', async () => {
    const base = { officialId: world.officials.official, kind: 'comprehensive-assessment', recordId: assessmentId };
    const sameType = await share(world.users.handler, { ...base, toOrgId: world.orgs.xicheng.id });
    expect(sameType.statusCode).toBe(422);
    expect(sameType.json()).toMatchObject({ code: 'SHARING_RECIPIENT_TYPE' });
    const noJurisdiction = await share(orgDeptUser, { ...base, toOrgId: world.orgs.xicheng.id });
    expect(noJurisdiction.json()).toMatchObject({ code: 'SHARING_RECIPIENT_NO_JURISDICTION' });
    const otherOfficial = await share(world.users.handler, { ...base, officialId: world.officials.seniorOfficial, toOrgId: orgDept.id });
    expect(otherOfficial.json()).toMatchObject({ code: 'SHARING_RECORD' });
    // The 西城 handler does not manage 张明: the official does not exist for them.
    expect((await share(world.users.xcHandler, { ...base, toOrgId: orgDept.id })).statusCode).toBe(404);
    expect((await share(world.users.supervisor, { ...base, toOrgId: orgDept.id })).statusCode).toBe(403);
    expect(await database.current.db.selectFrom('shared_conclusions').select('id').execute()).toHaveLength(2);
  });

  it('shows the supervisor what was shared with whom, and nobody else the log', async () => {
    const log = await (await signInAs(app, world.users.supervisor)).inject({ method: 'GET', url: '/api/v1/sharing/log' });
    expect(log.statusCode).toBe(200);
    const items = (log.json() as { data: { items: { from: { name: string }; to: { name: string }; sharedBy: { id: string } }[] } }).data.items;
    expect(items.map((i) => `${i.from.name} → ${i.to.name}`).sort()).toEqual(['东城区纪委监委 → 中共北京市委组织部', '中共北京市委组织部 → 东城区纪委监委']);
    expect((await (await signInAs(app, world.users.handler)).inject({ method: 'GET', url: '/api/v1/sharing/log' })).statusCode).toBe(403);
  });

  describe('the possible recipients (GET /api/v1/sharing/recipients)', () => {
    type Recipients = { from: { id: string; name: string }; items: { id: string; name: string; type: string }[] };
    const recipients = async (user: { username: string; password: string }, officialId: string) =>
      (await signInAs(app, user)).inject({ method: 'GET', url: `/api/v1/sharing/recipients?officialId=${officialId}` });
    const sharesNow = async () => (await database.current.db.selectFrom('shared_conclusions').select('id').execute()).length;

    it('lists exactly the counterpart organs managing the official, and shareConclusion accepts every one', async () => {
      // A counterpart organ without jurisdiction over 张明: the organization department of another committee.
      const xcCommittee = await createOrganization(database.current.db, { name: '中共西城区委', type: 'party-committee', parentId: world.orgs.committee.id });
      const xcOrgDept = await createOrganization(database.current.db, { name: '中共西城区委组织部', type: 'organization-department', parentId: xcCommittee.id });

      const fromCommission = await recipients(world.users.handler, world.officials.official);
      expect(fromCommission.statusCode, fromCommission.body).toBe(200);
      const commissionData = (fromCommission.json() as { data: Recipients }).data;
      expect(commissionData.from).toEqual({ id: world.orgs.dongcheng.id, name: '东城区纪委监委' });
      expect(commissionData.items.map((o) => [o.name, o.type])).toEqual([['中共北京市委组织部', 'organization-department']]);

      const fromOrgDept = await recipients(orgDeptUser, world.officials.official);
      expect(fromOrgDept.statusCode, fromOrgDept.body).toBe(200);
      const orgDeptData = (fromOrgDept.json() as { data: Recipients }).data;
      expect(orgDeptData.items.map((o) => o.name).sort()).toEqual(['东城区纪委监委', '市纪委监委']);

      const base = { officialId: world.officials.official, kind: 'comprehensive-assessment', recordId: assessmentId };
      for (const [user, data] of [[world.users.handler, commissionData], [orgDeptUser, orgDeptData]] as const) {
        for (const organ of data.items) {
          const response = await share(user, { ...base, toOrgId: organ.id });
          expect(response.statusCode, `${organ.name}: ${response.body}`).toBe(201);
        }
      }

      // Organs not listed are refused: of the counterpart type but without jurisdiction, or of the same type.
      const before = await sharesNow();
      expect(commissionData.items.map((o) => o.id)).not.toContain(xcOrgDept.id);
      expect((await share(world.users.handler, { ...base, toOrgId: xcOrgDept.id })).json()).toMatchObject({ code: 'SHARING_RECIPIENT_NO_JURISDICTION', key: 'toOrgId' });
      expect(orgDeptData.items.map((o) => o.id)).not.toContain(world.orgs.xicheng.id);
      expect((await share(orgDeptUser, { ...base, toOrgId: world.orgs.xicheng.id })).json()).toMatchObject({ code: 'SHARING_RECIPIENT_NO_JURISDICTION', key: 'toOrgId' });
      expect((await share(world.users.handler, { ...base, toOrgId: world.orgs.commission.id })).json()).toMatchObject({ code: 'SHARING_RECIPIENT_TYPE', key: 'toOrgId' });
      expect(await sharesNow()).toBe(before);
    });

    it('is 404 — as for an official who does not exist — for an official outside the actor’s jurisdiction; refused like the command otherwise', async () => {
      const missing = await recipients(world.users.xcHandler, '00000000-0000-4000-8000-000000000000');
      expect(missing.statusCode).toBe(404);
      const outside = await recipients(world.users.xcHandler, world.officials.official);
      expect(outside.statusCode).toBe(404);
      expect(outside.json()).toEqual(missing.json());
      expect(outside.body).not.toContain('组织部');
      // The 东城 handler does not manage 西城's official either.
      expect((await recipients(world.users.handler, world.officials.xichengOfficial)).statusCode).toBe(404);
      expect((await recipients(world.users.supervisor, world.officials.official)).json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      const bad = await recipients(world.users.handler, 'not-an-id');
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'INVALID_INPUT', key: 'officialId' });
      const notMine = await (await signInAs(app, world.users.handler)).inject({ method: 'GET', url: `/api/v1/sharing/recipients?officialId=${world.officials.official}&fromOrgId=${orgDept.id}` });
      expect(notMine.json()).toMatchObject({ code: 'SHARING_NOT_YOUR_ORGAN', key: 'fromOrgId' });
    });
  });
});
