import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/access/actor.js';
import { fixedClock } from '../src/clock.js';
import { draftTypicalCase, editTypicalCase } from '../src/commands/typical/index.js';
import { DEMO_OFFICIALS } from '../src/db/demo/officials.js';
import { DEMO_ORGANIZATIONS } from '../src/db/demo/organizations.js';
import { DEMO_PASSWORD, seedDemo } from '../src/db/seed-demo.js';
import { AppError } from '../src/errors.js';
import { LocalFileStore } from '../src/files/store.js';
import { buildApp } from '../src/http/app.js';
import { typicalRoutes } from '../src/http/routes/typical/index.js';
import { findIdentifyingTerms, identifyingTerms, splitName } from '../src/typical/deidentify.js';
import { caseIdentifyingTerms } from '../src/typical/facts.js';
import { signInAs, type SignedIn } from './helpers/app.js';
import { useTestDatabase } from './helpers/db.js';

/**
 * Typical cases (典型案例, Art. 20 ¶4) on the demo data: a draft from every closed demo case keeps no official's
 * name, organization or id; the identifying-terms check flags what a person puts back; the flow draft → submit →
 * approve → publish, with publishing refused while anything is flagged; the public routes need no session and show
 * only title, text and day.
 */
describe('typical cases', () => {
  const database = useTestDatabase();
  const clock = fixedClock('2026-06-30T02:00:00Z');
  let app: FastifyInstance;
  const sessions = new Map<string, SignedIn>();
  const as = async (username: string) => {
    if (!sessions.has(username)) sessions.set(username, await signInAs(app, { username, password: DEMO_PASSWORD }));
    return sessions.get(username)!;
  };

  async function actorOf(username: string): Promise<Actor> {
    const db = database.current.db;
    const user = await db.selectFrom('users').select(['id', 'username', 'display_name', 'official_id']).where('username', '=', username).executeTakeFirstOrThrow();
    const roles = await db.selectFrom('user_roles').select(['role', 'organization_id']).where('user_id', '=', user.id).execute();
    return { userId: user.id, username: user.username, displayName: user.display_name, officialId: user.official_id, roles: roles.map((r) => ({ role: r.role, organizationId: r.organization_id })) };
  }

  async function handlerFor(caseId: string): Promise<string> {
    const row = await database.current.db
      .selectFrom('cases')
      .innerJoin('user_roles', 'user_roles.organization_id', 'cases.organ_id')
      .innerJoin('users', 'users.id', 'user_roles.user_id')
      .select('users.username')
      .where('cases.id', '=', caseId)
      .where('user_roles.role', '=', 'handler')
      .orderBy('users.username')
      .executeTakeFirstOrThrow();
    return row.username;
  }

  beforeAll(async () => {
    const files = new LocalFileStore(await mkdtemp(path.join(tmpdir(), 'rongcuo-files-')));
    expect(await seedDemo(database.current.db, clock, files)).toBe(true);
    const context = { db: database.current.db, clock, version: 'test', files, secureCookies: false, signInRateLimit: 10_000 };
    app = await buildApp({ context });
    // Until app.ts registers the typical-case routes: the same application with them added.
    if (!app.registeredRoutes.some((r) => r.url === '/api/public/typical-cases')) await app.register(typicalRoutes, { context });
    await app.ready();
  }, 180_000);

  it('findIdentifyingTerms flags names, given names, surname+title, organizations, places and ids', () => {
    const terms = identifyingTerms({
      official: { name: '张建国', position: '科长' },
      organizations: [{ name: '北京市东城区人民政府东四街道办事处', shortName: '东四街道办事处', type: 'government' }],
      caseId: '00000000-0000-4000-8000-000000000001',
    });
    expect(findIdentifyingTerms('张某在某街道办事处工作。', terms)).toEqual([]);
    expect(findIdentifyingTerms('张建国同志', terms)).toContain('张建国');
    expect(findIdentifyingTerms('建国同志', terms)).toContain('建国');
    expect(findIdentifyingTerms('张科长说', terms)).toContain('张科长');
    expect(findIdentifyingTerms('东城区某街道', terms)).toContain('东城区');
    expect(findIdentifyingTerms('东四街道', terms)).toContain('东四街道');
    expect(findIdentifyingTerms('案件 00000000-0000-4000-8000-000000000001', terms)).toContain('00000000-0000-4000-8000-000000000001');
    expect(splitName('欧阳明')).toEqual({ surname: '欧阳', given: '明' });
  });

  const drafted: { id: string; caseId: string; version: number }[] = [];

  it('drafts from every closed demo case without any official name, organization name or short name, or case id', async () => {
    const db = database.current.db;
    const closed = await db
      .selectFrom('cases')
      .innerJoin('officials', 'officials.id', 'cases.official_id')
      .select(['cases.id', 'officials.name'])
      .where('cases.state', '=', 'closed')
      .execute();
    expect(closed.length).toBeGreaterThanOrEqual(4);
    const allCaseIds = (await db.selectFrom('cases').select('id').execute()).map((c) => c.id);
    for (const kase of closed) {
      const actor = await actorOf(await handlerFor(kase.id));
      const result = await draftTypicalCase({ db, clock, actor, caseId: kase.id });
      expect(result.flaggedTerms, kase.id).toEqual([]);
      drafted.push({ id: result.id, caseId: kase.id, version: result.version });
      const row = await db.selectFrom('typical_cases').select(['title', 'body', 'status']).where('id', '=', result.id).executeTakeFirstOrThrow();
      const text = `${row.title}\n${row.body}`;
      expect(row.status).toBe('draft');
      expect(text).toMatch(/【基本案情】[\s\S]*【处理结果】[\s\S]*【警示启示】/);
      for (const official of DEMO_OFFICIALS) {
        expect(text, `${kase.id}: ${official.name}`).not.toContain(official.name);
      }
      const { given } = splitName(kase.name);
      expect(text, `${kase.id}: given name`).not.toContain(given);
      for (const org of DEMO_ORGANIZATIONS) {
        expect(text, `${kase.id}: ${org.name}`).not.toContain(org.name);
        expect(text, `${kase.id}: ${org.shortName}`).not.toContain(org.shortName);
      }
      for (const place of ['东城', '西城', '东四', '德胜', '青禾']) expect(text, `${kase.id}: ${place}`).not.toContain(place);
      for (const id of allCaseIds) expect(text).not.toContain(id);
      // Whatever the check knows for this case is absent too.
      expect(findIdentifyingTerms(text, await caseIdentifyingTerms(db, kase.id))).toEqual([]);
    }
  });

  it('flags an injected name on edit, and keeps the snapshot', async () => {
    const db = database.current.db;
    const target = drafted[0]!;
    const official = await db
      .selectFrom('cases')
      .innerJoin('officials', 'officials.id', 'cases.official_id')
      .select('officials.name')
      .where('cases.id', '=', target.caseId)
      .executeTakeFirstOrThrow();
    const actor = await actorOf(await handlerFor(target.caseId));
    const row = await db.selectFrom('typical_cases').select(['title', 'body']).where('id', '=', target.id).executeTakeFirstOrThrow();
    const edited = await editTypicalCase({ db, clock, actor, id: target.id, expectedVersion: target.version, title: row.title, body: `${row.body}\n当事人${official.name}表示接受。` });
    expect(edited.flaggedTerms).toContain(official.name);
    target.version = edited.version;
    const stored = await db.selectFrom('typical_cases').select('flagged_terms').where('id', '=', target.id).executeTakeFirstOrThrow();
    expect(stored.flagged_terms).toContain(official.name);
  });

  it('refuses publishing while a term is flagged (422, terms listed), then publishes once fixed', async () => {
    const target = drafted[0]!;
    const handler = await as(await handlerFor(target.caseId));
    const publicity = await as('xuanchuan');
    let response = await handler.inject({ method: 'POST', url: `/api/v1/typical-cases/${target.id}/submit`, payload: { version: target.version } });
    expect(response.statusCode, response.body).toBe(200);
    let body = response.json() as { data: { version: number; status: string; flaggedTerms: string[] } };
    expect(body.data.status).toBe('submitted');
    response = await publicity.inject({ method: 'POST', url: `/api/v1/typical-cases/${target.id}/approve`, payload: { version: body.data.version } });
    expect(response.statusCode, response.body).toBe(200);
    body = response.json();
    expect(body.data.flaggedTerms.length).toBeGreaterThan(0);
    const refused = await publicity.inject({ method: 'POST', url: `/api/v1/typical-cases/${target.id}/publish`, payload: { version: body.data.version } });
    expect(refused.statusCode, refused.body).toBe(422);
    const problem = refused.json() as { code: string; title?: string; message?: string };
    expect(problem.code).toBe('TYPICAL_IDENTIFYING_TERMS');
    expect(refused.body).toContain(body.data.flaggedTerms[0]!);
    // Returned, fixed by the handler, submitted, approved, published.
    response = await publicity.inject({ method: 'POST', url: `/api/v1/typical-cases/${target.id}/return`, payload: { version: body.data.version, note: '请删去当事人姓名。' } });
    expect(response.statusCode, response.body).toBe(200);
    const returned = response.json() as { data: { version: number; status: string; body: string; title: string; returnNote: string } };
    expect(returned.data).toMatchObject({ status: 'returned', returnNote: '请删去当事人姓名。' });
    const cleanBody = returned.data.body.replace(/\n当事人.*表示接受。$/, '');
    response = await handler.inject({ method: 'PUT', url: `/api/v1/typical-cases/${target.id}`, payload: { version: returned.data.version, title: returned.data.title, body: cleanBody } });
    expect(response.statusCode, response.body).toBe(200);
    body = response.json();
    expect(body.data.flaggedTerms).toEqual([]);
    response = await handler.inject({ method: 'POST', url: `/api/v1/typical-cases/${target.id}/submit`, payload: { version: body.data.version } });
    body = response.json();
    response = await publicity.inject({ method: 'POST', url: `/api/v1/typical-cases/${target.id}/approve`, payload: { version: body.data.version } });
    body = response.json();
    response = await publicity.inject({ method: 'POST', url: `/api/v1/typical-cases/${target.id}/publish`, payload: { version: body.data.version } });
    expect(response.statusCode, response.body).toBe(200);
    expect((response.json() as { data: { status: string } }).data.status).toBe('published');
    const events = await database.current.db.selectFrom('events').select('type').where('type', 'like', 'typical.%').execute();
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['typical.drafted', 'typical.edited', 'typical.submitted', 'typical.approved', 'typical.returned', 'typical.published']));
  });

  it('serves published typical cases without a session: title, text and day only', async () => {
    const target = drafted[0]!;
    const list = await app.inject({ method: 'GET', url: '/api/public/typical-cases' });
    expect(list.statusCode, list.body).toBe(200);
    const items = (list.json() as { data: Record<string, unknown>[] }).data;
    expect(items).toHaveLength(1);
    expect(Object.keys(items[0]!).sort()).toEqual(['body', 'id', 'publishedOn', 'title']);
    expect(items[0]!.publishedOn).toBe('2026-06-30');
    expect(list.body).not.toContain(target.caseId);
    const one = await app.inject({ method: 'GET', url: `/api/public/typical-cases/${target.id}` });
    expect(one.statusCode, one.body).toBe(200);
    expect(Object.keys((one.json() as { data: Record<string, unknown> }).data).sort()).toEqual(['body', 'id', 'publishedOn', 'title']);
    // A typical case not published is not there for the public.
    const unpublished = await app.inject({ method: 'GET', url: `/api/public/typical-cases/${drafted[1]!.id}` });
    expect(unpublished.statusCode).toBe(404);
    // The staff routes still need a session.
    expect((await app.inject({ method: 'GET', url: '/api/v1/typical-cases' })).statusCode).toBe(401);
  });

  it('refuses a draft from a case that is not closed', async () => {
    const db = database.current.db;
    const open = await db.selectFrom('cases').select('id').where('state', '=', 'served').executeTakeFirstOrThrow();
    const handler = await as(await handlerFor(open.id));
    const before = await db.selectFrom('typical_cases').select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const response = await handler.inject({ method: 'POST', url: '/api/v1/typical-cases', payload: { caseId: open.id } });
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json()).toMatchObject({ code: 'INVALID_STATE' });
    const after = await db.selectFrom('typical_cases').select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    await expect(draftTypicalCase({ db, clock, actor: await actorOf('xuanchuan'), caseId: open.id })).rejects.toBeInstanceOf(AppError);
  });

  it('lets only the publicity department approve; a handler cannot, and publicity cannot draft', async () => {
    const target = drafted[1]!;
    const handlerName = await handlerFor(target.caseId);
    const handler = await as(handlerName);
    let response = await handler.inject({ method: 'POST', url: `/api/v1/typical-cases/${target.id}/submit`, payload: { version: target.version } });
    expect(response.statusCode, response.body).toBe(200);
    const version = (response.json() as { data: { version: number } }).data.version;
    response = await handler.inject({ method: 'POST', url: `/api/v1/typical-cases/${target.id}/approve`, payload: { version } });
    expect(response.statusCode, response.body).toBe(403);
    // Someone with no part in it does not even see it.
    const supervisor = await as('jiandu');
    response = await supervisor.inject({ method: 'POST', url: `/api/v1/typical-cases/${target.id}/approve`, payload: { version } });
    expect(response.statusCode, response.body).toBe(404);
    const publicity = await as('xuanchuan');
    response = await publicity.inject({ method: 'POST', url: '/api/v1/typical-cases', payload: { caseId: target.caseId } });
    expect(response.statusCode).toBe(404);
    // The publicity list shows submitted ones but never others' drafts.
    response = await publicity.inject({ method: 'GET', url: '/api/v1/typical-cases' });
    const statuses = (response.json() as { data: { status: string }[] }).data.map((d) => d.status);
    expect(statuses).not.toContain('draft');
    expect(statuses).toContain('submitted');
  });
});
