import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/access/actor.js';
import { recordDigest } from '../src/audit/digest.js';
import { fixedClock } from '../src/clock.js';
import { ephemeralAppCrypto } from '../src/crypto/app-crypto.js';
import { draftTypicalCase, editTypicalCase } from '../src/commands/typical/index.js';
import { DEMO_OFFICIALS } from '../src/db/demo/officials.js';
import { DEMO_ORGANIZATIONS } from '../src/db/demo/organizations.js';
import { DEMO_PASSWORD, seedDemo } from '../src/db/seed-demo.js';
import { AppError } from '../src/errors.js';
import { openIdentifier } from '../src/privacy/identifiers.js';
import { findIdentifyingTerms, identifyingTerms, splitName } from '../src/typical/deidentify.js';
import { caseIdentifyingTerms, checkTypicalText, loadTypicalSource } from '../src/typical/facts.js';
import { buildTestApp, signInAs, tempFileStore, type SignedIn } from './helpers/app.js';
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

  // The demo officials get their sealed identifiers under these keys, which the application uses too.
  const crypto = ephemeralAppCrypto();

  beforeAll(async () => {
    const files = await tempFileStore();
    expect(await seedDemo(database.current.db, clock, files, crypto)).toBe(true);
    app = await buildTestApp(database.current.db, clock, { files, crypto });
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
      expect(await checkTypicalText(db, kase.id, text)).toEqual([]);
      // Quasi-identifiers generalized: the official as sector, region and level band; dates to the month at most.
      expect(row.body).toMatch(/^【基本情况】当事人为某[区市][\u4e00-\u9fa5]+(省部级|厅局级|县处级|乡科级|一般)干部；处理决定作出于\d{4}年第[一二三四]季度。/);
      expect(text).not.toMatch(/\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}/);
      const official = DEMO_OFFICIALS.find((o) => o.name === kase.name)!;
      if (official.position.length >= 4) expect(text).not.toContain(official.position);
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

  async function officialOf(caseId: string) {
    const row = await database.current.db
      .selectFrom('cases')
      .innerJoin('officials', 'officials.id', 'cases.official_id')
      .select(['officials.id', 'officials.name', 'officials.id_number_sealed', 'officials.phone_sealed'])
      .where('cases.id', '=', caseId)
      .executeTakeFirstOrThrow();
    return {
      ...row,
      idNumber: openIdentifier(crypto.secrets, row.id, 'idNumber', row.id_number_sealed!),
      phone: openIdentifier(crypto.secrets, row.id, 'phone', row.phone_sealed!),
    };
  }

  const typicalEvents = (id: string) =>
    database.current.db.selectFrom('events').select(['seq', 'type', 'payload']).where('type', 'like', 'typical.%').where(sql<boolean>`payload->>'typicalCaseId' = ${id}`).orderBy('seq').execute();

  it('flags the official\'s ID number and phone however written — reported masked, never stored, answered or recorded in plaintext — and other people\'s names', async () => {
    const db = database.current.db;
    const target = drafted[2]!;
    const official = await officialOf(target.caseId);
    const other = DEMO_OFFICIALS.find((o) => o.name !== official.name && !o.name.startsWith(official.name.slice(0, 1)))!;
    const handler = await as(await handlerFor(target.caseId));
    const row = await db.selectFrom('typical_cases').select(['title', 'body', 'version']).where('id', '=', target.id).executeTakeFirstOrThrow();
    const grouped = `${official.idNumber.slice(0, 6)} ${official.idNumber.slice(6, 14)} ${official.idNumber.slice(14)}`;
    const body = `${row.body}\n当事人身份证号${grouped}，联系电话${official.phone}。${other.name}和王局长参加了会议。`;
    let response = await handler.inject({ method: 'PUT', url: `/api/v1/typical-cases/${target.id}`, payload: { version: row.version, title: row.title, body } });
    expect(response.statusCode, response.body).toBe(200);
    let data = (response.json() as { data: { version: number; flaggedTerms: string[] } }).data;
    expect(data.flaggedTerms).toEqual(expect.arrayContaining([`公民身份号码 ${official.idNumber.slice(0, 6)}********${official.idNumber.slice(14)}`, `手机号码 ${official.phone.slice(0, 3)}****${official.phone.slice(7)}`, other.name, '王局长']));
    const plaintexts = [official.idNumber, official.idNumber.slice(6, 14), official.phone];
    const stored = await db.selectFrom('typical_cases').select('flagged_terms').where('id', '=', target.id).executeTakeFirstOrThrow();
    for (const secret of plaintexts) expect(stored.flagged_terms.join()).not.toContain(secret);

    // Submitted and approved (a person may miss it), publishing is still refused — and the refusal repeats nothing.
    response = await handler.inject({ method: 'POST', url: `/api/v1/typical-cases/${target.id}/submit`, payload: { version: data.version } });
    data = (response.json() as { data: { version: number; flaggedTerms: string[] } }).data;
    const publicity = await as('xuanchuan');
    response = await publicity.inject({ method: 'POST', url: `/api/v1/typical-cases/${target.id}/approve`, payload: { version: data.version } });
    expect(response.statusCode, response.body).toBe(200);
    data = (response.json() as { data: { version: number; flaggedTerms: string[] } }).data;
    const refused = await publicity.inject({ method: 'POST', url: `/api/v1/typical-cases/${target.id}/publish`, payload: { version: data.version } });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'TYPICAL_IDENTIFYING_TERMS' });
    for (const secret of plaintexts) expect(refused.body).not.toContain(secret);
    for (const event of await typicalEvents(target.id)) for (const secret of plaintexts) expect(JSON.stringify(event.payload)).not.toContain(secret);
  });

  it('needs a second person: whoever wrote the text may neither approve nor publish it, even holding the publicity role', async () => {
    const db = database.current.db;
    const target = drafted[3]!;
    const username = await handlerFor(target.caseId);
    const user = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
    const publicityOrg = await db.selectFrom('organizations').select('id').where('type', '=', 'publicity-department').executeTakeFirstOrThrow();
    await db.insertInto('user_roles').values({ user_id: user.id, role: 'publicity', organization_id: publicityOrg.id }).execute();
    const both = await signInAs(app, { username, password: DEMO_PASSWORD });
    const row = await db.selectFrom('typical_cases').select(['title', 'body', 'version', 'drafted_by', 'authors']).where('id', '=', target.id).executeTakeFirstOrThrow();
    expect(row.authors).toEqual([row.drafted_by]);
    let response = await both.inject({ method: 'POST', url: `/api/v1/typical-cases/${target.id}/submit`, payload: { version: row.version } });
    let version = (response.json() as { data: { version: number } }).data.version;
    response = await both.inject({ method: 'POST', url: `/api/v1/typical-cases/${target.id}/approve`, payload: { version } });
    expect(response.statusCode, response.body).toBe(403);
    expect((response.json() as { title: string }).title).toContain('另一人');
    response = await (await as('xuanchuan')).inject({ method: 'POST', url: `/api/v1/typical-cases/${target.id}/approve`, payload: { version } });
    expect(response.statusCode, response.body).toBe(200);
    version = (response.json() as { data: { version: number } }).data.version;
    response = await both.inject({ method: 'POST', url: `/api/v1/typical-cases/${target.id}/publish`, payload: { version } });
    expect(response.statusCode, response.body).toBe(403);
    // The database holds the rule too, whatever writes to it.
    await expect(db.updateTable('typical_cases').set({ published_by: user.id, published_at: new Date(), status: 'published' }).where('id', '=', target.id).execute()).rejects.toThrow(/second_person/);
    response = await (await as('xuanchuan')).inject({ method: 'POST', url: `/api/v1/typical-cases/${target.id}/publish`, payload: { version } });
    expect(response.statusCode, response.body).toBe(200);
    await db.deleteFrom('user_roles').where('user_id', '=', user.id).where('role', '=', 'publicity').execute();
  });

  it('keeps the diff in the audit trail: the source\'s and each text\'s digests, what was replaced by kind — and no personal data', async () => {
    const db = database.current.db;
    // A draft never edited: its drafted event carries the digests of its source and of its text.
    const untouched = drafted[1]!;
    const [draftedEvent] = await typicalEvents(untouched.id);
    const row = await db.selectFrom('typical_cases').select(['title', 'body']).where('id', '=', untouched.id).executeTakeFirstOrThrow();
    expect(draftedEvent!.type).toBe('typical.drafted');
    const payload = draftedEvent!.payload as { sourceHash: string; textHash: string; replaced: { terms: Record<string, number>; forms: Record<string, number> } };
    expect(payload.sourceHash).toBe(recordDigest(await loadTypicalSource(db, untouched.caseId)));
    expect(payload.textHash).toBe(recordDigest({ title: row.title, body: row.body }));
    expect(payload.replaced.terms.name).toBeGreaterThan(0);

    // The published one: each edit links to the text before it, and the publication names the text it published.
    const published = drafted[0]!;
    const events = await typicalEvents(published.id);
    let current: string | undefined;
    for (const event of events) {
      const p = event.payload as { textHash?: string; previousTextHash?: string };
      if (event.type === 'typical.edited') expect(p.previousTextHash, 'an edit starts from the text before it').toBe(current);
      else if (current !== undefined) expect(p.textHash, `${event.type} acts on the current text`).toBe(current);
      current = p.textHash ?? current;
    }
    const final = await db.selectFrom('typical_cases').select(['title', 'body', 'status']).where('id', '=', published.id).executeTakeFirstOrThrow();
    expect(final.status).toBe('published');
    expect(events.at(-1)).toMatchObject({ type: 'typical.published', payload: { textHash: recordDigest({ title: final.title, body: final.body }) } });

    // No event of the pipeline holds a word of Chinese: names, units, texts stay out of the chain.
    const all = await db.selectFrom('events').select('payload').where('type', 'like', 'typical.%').execute();
    expect(all.length).toBeGreaterThan(10);
    for (const event of all) expect(JSON.stringify(event.payload)).not.toMatch(/[\u4e00-\u9fff]/);
  });
});
