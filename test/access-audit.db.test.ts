import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { READ_EVENT_TYPES } from '../src/audit/access-events.js';
import { isEventType } from '../src/audit/event-types.js';
import { verifyChain } from '../src/audit/verify.js';
import { headSeq, openCase, useHarness } from './rules/steps.js';

/**
 * Complete audit (等保 8.1.4.3): every route declares how it is audited; reads of case content, searches and
 * refusals are recorded before the answer leaves, with the route, the objects by id, the client address and the
 * request id — never the content or the values searched for — and supervisors can ask who looked at a case.
 */
describe('complete audit of reads, searches and refusals', () => {
  const h = useHarness();

  const eventsSince = (seq: string) =>
    h.db.selectFrom('events').select(['seq', 'type', 'actor', 'case_id', 'payload']).where('seq', '>', seq).orderBy('seq').execute();

  it('has every API route declare its audit: writes the event their command records, reads an access event', () => {
    const undeclared: string[] = [];
    const wrong: string[] = [];
    for (const route of h.app.registeredRoutes) {
      if (!route.url.startsWith('/api/') || route.url === '/api/openapi.json') continue;
      const key = `${route.method} ${route.url}`;
      const audit = route.audit;
      if (!audit) {
        undeclared.push(key);
        continue;
      }
      if ('records' in audit && !isEventType(audit.records)) wrong.push(`${key}: unknown event ${audit.records}`);
      if ('reads' in audit && (route.method !== 'GET' || !(READ_EVENT_TYPES as readonly string[]).includes(audit.reads))) wrong.push(`${key}: reads ${audit.reads}`);
      if ('none' in audit && (route.method !== 'GET' || audit.none.trim() === '')) wrong.push(`${key}: a write cannot go unaudited`);
      if (route.method !== 'GET' && !('records' in audit)) wrong.push(`${key}: a write must name the event its command records`);
    }
    expect(undeclared, 'routes without config.audit').toEqual([]);
    expect(wrong).toEqual([]);
  });

  it('records a read of a case before answering: who, which route and object, from where — and no content', async () => {
    const flow = await openCase(h, { by: 'handler', title: '某区审批改革试点资金拨付延误' });
    const handler = await h.as('handler');
    const before = await headSeq(h.db);
    const response = await handler.inject({ method: 'GET', url: `/api/v1/cases/${flow.id}`, remoteAddress: '10.1.2.3' });
    expect(response.statusCode).toBe(200);
    const added = await eventsSince(before);
    expect(added).toHaveLength(1);
    const [event] = added;
    expect(event).toMatchObject({ type: 'case.read', actor: `user:${handler.userId}`, case_id: flow.id });
    expect(event!.payload).toMatchObject({
      route: 'GET /api/v1/cases/:caseId',
      outcome: 'success',
      status: 200,
      objects: { caseId: flow.id },
      clientAddress: '10.1.2.3',
      requestId: expect.any(String),
      roles: [`handler@${h.world.orgs.dongcheng.id}`],
    });
    expect(JSON.stringify(event!.payload)).not.toContain('审批改革');
    expect((await verifyChain(h.db)).ok).toBe(true);
  });

  it('records a search with the names of its filters, never the values searched for', async () => {
    const handler = await h.as('handler');
    const before = await headSeq(h.db);
    const response = await handler.inject({ method: 'GET', url: `/api/v1/cases?q=${encodeURIComponent('张明')}&state=investigating` });
    expect(response.statusCode, response.body).toBe(200);
    const [event] = await eventsSince(before);
    expect(event).toMatchObject({ type: 'case.searched', case_id: null });
    expect((event!.payload as { filters: string[] }).filters).toEqual(['q', 'state']);
    expect(JSON.stringify(event!.payload)).not.toContain('张明');
  });

  it('records a refusal in its own transaction, off the case history, and a case id that names no case', async () => {
    const flow = await openCase(h, { by: 'handler' });
    const xc = await h.as('xcHandler');
    for (const id of [flow.id, randomUUID()]) {
      const before = await headSeq(h.db);
      const response = await xc.inject({ method: 'GET', url: `/api/v1/cases/${id}` });
      expect(response.statusCode).toBe(404);
      const added = await eventsSince(before);
      expect(added.map((e) => [e.type, e.case_id])).toEqual([['access.denied', null]]);
      expect(added[0]!.payload).toMatchObject({ outcome: 'denied', status: 404, objects: { caseId: id } });
    }
  });

  it('answers with an error, never unaudited content, when the read cannot be recorded', async () => {
    const flow = await openCase(h, { by: 'handler', title: '不应泄露的案件标题' });
    const handler = await h.as('handler');
    // Plays a failing audit store: the test database's superuser makes inserts of case.read fail.
    await sql`CREATE FUNCTION test_refuse_reads() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.type = 'case.read' THEN RAISE EXCEPTION 'audit store unavailable'; END IF; RETURN NEW; END $$`.execute(h.db);
    await sql`CREATE TRIGGER test_refuse_reads BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION test_refuse_reads()`.execute(h.db);
    try {
      const response = await handler.inject({ method: 'GET', url: `/api/v1/cases/${flow.id}` });
      expect(response.statusCode).toBe(500);
      expect(response.body).not.toContain('不应泄露');
    } finally {
      await sql`DROP TRIGGER test_refuse_reads ON events`.execute(h.db);
      await sql`DROP FUNCTION test_refuse_reads()`.execute(h.db);
    }
  });

  it('shows a supervisor who looked at the case, keeps reads out of the timeline, and refuses others', async () => {
    const flow = await openCase(h, { by: 'handler' });
    const handler = await h.as('handler');
    await handler.inject({ method: 'GET', url: `/api/v1/cases/${flow.id}` });
    await handler.inject({ method: 'GET', url: `/api/v1/cases/${flow.id}/evidence` });
    const supervisor = await h.as('supervisor');
    const response = await supervisor.inject({ method: 'GET', url: `/api/v1/cases/${flow.id}/access-log` });
    expect(response.statusCode, response.body).toBe(200);
    const log = (response.json() as { data: { type: string; userId: string; route: string }[] }).data;
    expect(log.filter((e) => e.userId === handler.userId).map((e) => e.route)).toEqual(
      expect.arrayContaining(['GET /api/v1/cases/:caseId', 'GET /api/v1/cases/:caseId/evidence']),
    );
    // Asking is itself recorded.
    const asked = await h.db.selectFrom('events').select('type').where('case_id', '=', flow.id).where('actor', '=', `user:${supervisor.userId}`).execute();
    expect(asked.map((e) => e.type)).toContain('audit.read');

    const timeline = await handler.inject({ method: 'GET', url: `/api/v1/cases/${flow.id}/events` });
    const types = (timeline.json() as { data: { type: string }[] }).data.map((e) => e.type);
    expect(types).toContain('case.opened');
    expect(types.filter((t) => t.startsWith('case.read') || t === 'audit.read')).toEqual([]);

    const refused = await handler.inject({ method: 'GET', url: `/api/v1/cases/${flow.id}/access-log` });
    expect(refused.statusCode).toBe(403);
  });
});
