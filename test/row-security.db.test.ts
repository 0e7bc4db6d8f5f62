import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../src/access/actor.js';
import { rowScopeOf } from '../src/access/row-scope.js';
import { fixedClock } from '../src/clock.js';
import { connectDatabase, type Db } from '../src/db/connect.js';
import { DEMO_ACCOUNTS } from '../src/db/demo/users.js';
import { migrate } from '../src/db/migrate.js';
import { APP_ROLE, runInRowScope } from '../src/db/row-security.js';
import { DEMO_PASSWORD, seedDemo } from '../src/db/seed-demo.js';
import { buildTestApp, signInAs, tempFileStore } from './helpers/app.js';
import { useTestDatabase } from './helpers/db.js';
import { withDatabase } from './setup/test-cluster.js';

/**
 * The second wall (security.md, Access; migration 0014): PostgreSQL's row-level security keeps a query that forgot
 * its jurisdiction clause inside the user's jurisdiction. Proven on the demo data, whose three jurisdictions
 * (市纪委监委, 东城, 西城) fill every case table: raw queries without any WHERE, run in a user's row scope, see only
 * that user's rows; writes outside it change nothing; a connection with no scope sees nothing; no pooled
 * connection keeps a scope after a request; and for every demo user the wall lets through every case the
 * application lists.
 */

/** Each protected table, as the owner reads it: a key per row and the case the row belongs to. */
const CASE_TABLES: Record<string, string> = {
  cases: 'SELECT t.ctid::text AS row, t.id AS case_id, false AS always FROM cases t',
  evidence: 'SELECT t.ctid::text AS row, t.case_id, false AS always FROM evidence t',
  evidence_attachments: 'SELECT t.ctid::text AS row, e.case_id, false AS always FROM evidence_attachments t JOIN evidence e ON e.id = t.evidence_id',
  opinions: 'SELECT t.ctid::text AS row, t.case_id, false AS always FROM opinions t',
  applications: 'SELECT t.ctid::text AS row, t.case_id, false AS always FROM applications t',
  expert_invitations: 'SELECT t.ctid::text AS row, t.case_id, false AS always FROM expert_invitations t',
  assessments: 'SELECT t.ctid::text AS row, t.case_id, false AS always FROM assessments t',
  deliberations: 'SELECT t.ctid::text AS row, t.case_id, false AS always FROM deliberations t',
  decisions: 'SELECT t.ctid::text AS row, t.case_id, false AS always FROM decisions t',
  services: 'SELECT t.ctid::text AS row, t.case_id, false AS always FROM services t',
  file_entries: 'SELECT t.ctid::text AS row, t.case_id, false AS always FROM file_entries t',
  appeals: 'SELECT t.ctid::text AS row, t.case_id, false AS always FROM appeals t',
  documents: 'SELECT t.ctid::text AS row, t.case_id, false AS always FROM documents t',
  case_files: 'SELECT t.ctid::text AS row, t.case_id, false AS always FROM case_files t',
  case_established_exclusions: 'SELECT t.ctid::text AS row, t.case_id, false AS always FROM case_established_exclusions t',
  penalties: 'SELECT t.ctid::text AS row, t.case_id, false AS always FROM penalties t',
  // A unit's plan holds no case content: it is outside the wall.
  rectification_plans: 'SELECT t.ctid::text AS row, t.case_id, t.case_id IS NULL AS always FROM rectification_plans t',
  rectification_items:
    'SELECT t.ctid::text AS row, p.case_id, p.case_id IS NULL AS always FROM rectification_items t JOIN rectification_plans p ON p.id = t.plan_id',
  rectification_poor_records:
    'SELECT t.ctid::text AS row, p.case_id, p.case_id IS NULL AS always FROM rectification_poor_records t JOIN rectification_plans p ON p.id = t.plan_id',
  ...Object.fromEntries(
    ['rectification_reports', 'rectification_checks', 'rectification_reminders'].map((table) => [
      table,
      `SELECT t.ctid::text AS row, p.case_id, p.case_id IS NULL AS always FROM ${table} t
         JOIN rectification_items i ON i.id = t.item_id JOIN rectification_plans p ON p.id = i.plan_id`,
    ]),
  ),
  rectification_report_attachments: `SELECT t.ctid::text AS row, p.case_id, p.case_id IS NULL AS always FROM rectification_report_attachments t
      JOIN rectification_reports r ON r.id = t.report_id JOIN rectification_items i ON i.id = r.item_id JOIN rectification_plans p ON p.id = i.plan_id`,
  // A published typical case is public.
  typical_cases: "SELECT t.ctid::text AS row, t.source_case_id AS case_id, t.status = 'published' AS always FROM typical_cases t",
};

/** Tables that carry a case id but stay outside the wall, and why. */
const OUTSIDE_THE_WALL: Record<string, string> = {
  events: 'the audit trail: the audit administrator reads it whole and verification walks every event; it carries ids and digests',
  event_queue: "events on their way into the audit trail (a request's commands add theirs; the server moves them into the chain)",
  followup_visits: "an official's follow-up (Art. 19), under the follow-up jurisdiction of the official, not of a case",
  shared_conclusions: 'what one organ shared with another about an official (Art. 19(2)); read by the receiving organ',
};

type Row = { row: string; case_id: string | null; always: boolean };

async function actorOf(db: Db, username: string): Promise<Actor> {
  const user = await db.selectFrom('users').select(['id', 'username', 'display_name', 'official_id']).where('username', '=', username).executeTakeFirstOrThrow();
  const roles = await db.selectFrom('user_roles').select(['role', 'organization_id']).where('user_id', '=', user.id).execute();
  return {
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    officialId: user.official_id,
    roles: roles.map((r) => ({ role: r.role, organizationId: r.organization_id })),
  };
}

const orgId = async (db: Db, shortName: string) =>
  (await db.selectFrom('organizations').select('id').where('short_name', '=', shortName).executeTakeFirstOrThrow()).id;

/** Every client the pool holds, taken at once, with what it acts as. */
async function pooledClients(pool: pg.Pool): Promise<{ user: string; settings: (string | null)[] }[]> {
  // A released client is back in the pool once its reset has run.
  for (let i = 0; i < 100 && pool.idleCount < pool.totalCount; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  const clients = await Promise.all(Array.from({ length: pool.totalCount }, () => pool.connect()));
  try {
    return await Promise.all(
      clients.map(async (client) => {
        const { rows } = await client.query<{ user: string; settings: (string | null)[] }>(
          `SELECT current_user AS user, ARRAY[${['case_organs', 'managing_orgs', 'officials', 'party_orgs', 'case_ids', 'plan_ids']
            .map((name) => `nullif(current_setting('rongcuo.${name}', true), '')`)
            .join(', ')}] AS settings`,
        );
        return rows[0]!;
      }),
    );
  } finally {
    for (const client of clients) client.release();
  }
}

/**
 * The demo records no evidence, rectification, penalty or typical case: write some, as the owner, for a decided
 * case of each district (and a unit's plan and a published typical case, which are outside the wall).
 */
async function fillCaseTables(db: Db): Promise<void> {
  const now = new Date('2025-06-30T02:00:00Z');
  const sha256 = 'a'.repeat(64);
  await db.insertInto('files').values({ sha256, size: '1', media_type: 'text/plain', stored_at: now }).execute();
  for (const [organ, username] of [['东城区纪委监委', 'dc-jiwei'], ['西城区纪委监委', 'xc-jiwei']] as const) {
    const kase = await db
      .selectFrom('cases')
      .innerJoin('decisions', (join) => join.onRef('decisions.case_id', '=', 'cases.id').on('decisions.current', '=', true))
      .select(['cases.id', 'cases.organ_id', 'cases.official_id', 'decisions.id as decision_id'])
      .where('cases.organ_id', '=', await orgId(db, organ))
      .orderBy('cases.opened_at')
      .executeTakeFirstOrThrow();
    const by = (await actorOf(db, username)).userId;
    const evidence = await db.insertInto('evidence').values({ case_id: kase.id, title: '证据', description: '', kind: 'document', recorded_by: by, recorded_at: now }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('evidence_attachments').values({ evidence_id: evidence.id, file_sha256: sha256, filename: 'a.txt', media_type: 'text/plain', size: '1' }).execute();
    await db
      .insertInto('penalties')
      .values({ case_id: kase.id, decision_id: kase.decision_id, official_id: kase.official_id, system: 'government', kind: 'warning', label: '警告', effective_from: '2025-06-01', period_months: 6, effect_until: '2025-12-01', period_source: '测试', recorded_by: by, recorded_at: now })
      .execute();
    const plan = await db
      .insertInto('rectification_plans')
      .values({ case_id: kase.id, organ_id: kase.organ_id, title: '整改方案', description: '整改', created_by: by, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const item = await db
      .insertInto('rectification_items')
      .values({ plan_id: plan.id, title: '整改事项', owner_official_id: kase.official_id, deadline: '2025-07-01', mechanism: '制度', position: 1, added_by: by, added_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const report = await db.insertInto('rectification_reports').values({ item_id: item.id, content: '进展', reported_by: by, reported_at: now }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('rectification_report_attachments').values({ report_id: report.id, file_sha256: sha256 }).execute();
    await db.insertInto('rectification_checks').values({ item_id: item.id, report_id: report.id, accepted: true, note: '', checked_by: by, checked_at: now }).execute();
    await db.insertInto('rectification_reminders').values({ item_id: item.id, deadline: '2025-07-01', raised_at: now, recipients: [] }).execute();
    const poor = await db
      .insertInto('rectification_poor_records')
      .values({ plan_id: plan.id, source_case_id: kase.id, new_case_id: kase.id, official_id: kase.official_id, finding: '整改不力', item_ids: [item.id], recorded_by: by, recorded_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('case_established_exclusions')
      .values({ case_id: kase.id, exclusion: 'no-rectification', value: true, basis: '整改不力', poor_record_id: poor.id, established_at: now })
      .execute();
    await db
      .insertInto('typical_cases')
      .values({ source_case_id: kase.id, organ_id: kase.organ_id, title: '典型案例', body: '正文', status: 'submitted', drafted_by: by, drafted_at: now, updated_at: now, submitted_at: now })
      .execute();
    if (organ === '东城区纪委监委') {
      await db
        .insertInto('typical_cases')
        .values({ source_case_id: kase.id, organ_id: kase.organ_id, title: '已发布的典型案例', body: '正文', status: 'published', drafted_by: by, drafted_at: now, updated_at: now, approved_by: by, approved_at: now, published_by: by, published_at: now })
        .execute();
      const unitPlan = await db
        .insertInto('rectification_plans')
        .values({ unit_id: await orgId(db, '东城区发展改革委'), organ_id: kase.organ_id, title: '单位整改方案', description: '整改', created_by: by, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('rectification_items')
        .values({ plan_id: unitPlan.id, title: '单位整改事项', owner_unit_id: await orgId(db, '东城区发展改革委'), deadline: '2025-07-01', mechanism: '制度', position: 1, added_by: by, added_at: now })
        .execute();
    }
  }
}

describe('row-level security: the second wall', () => {
  const database = useTestDatabase();
  let db: Db;
  let app: FastifyInstance;
  let loginRole: string;
  /** The cases of the 西城 handler's jurisdiction, as the owner finds them: 西城's organ or officials it manages. */
  let xichengCases: Set<string>;
  let dongchengCaseId: string;
  let xichengCaseId: string;
  /** Evidence of a case outside 西城. */
  let dongchengEvidenceId: string;

  beforeAll(async () => {
    db = database.current.db;
    const files = await tempFileStore();
    expect(await seedDemo(db, fixedClock('2025-06-30T02:00:00Z'), files)).toBe(true);
    // Routes that show what a handler's own queries run as, registered like any other route.
    const audit = { none: 'test route' };
    const probe = async () => {
      const plain = await sql<{ user: string; n: string }>`SELECT current_user AS user, (SELECT count(*) FROM cases) AS n`.execute(db);
      const inTransaction = await db.transaction().execute((tx) => sql<{ user: string; n: string }>`SELECT current_user AS user, (SELECT count(*) FROM cases) AS n`.execute(tx));
      return { plain: plain.rows[0], inTransaction: inTransaction.rows[0] };
    };
    app = await buildTestApp(db, fixedClock('2025-06-30T02:00:00Z'), {
      files,
      beforeReady(app) {
        app.get('/api/v1/test/wall', { config: { audit } }, probe);
        app.get('/api/v1/test/wall-public', { config: { audit, public: true } }, probe);
        app.get('/api/v1/test/wall-fails', { config: { audit } }, async () => {
          await db.transaction().execute(async (tx) => {
            await sql`SELECT 1 / 0`.execute(tx);
          });
        });
      },
    });

    await fillCaseTables(db);
    loginRole = (await sql<{ user: string }>`SELECT current_user AS user`.execute(db)).rows[0]!.user;
    const xc = await orgId(db, '西城区纪委监委');
    const dc = await orgId(db, '东城区纪委监委');
    const { rows } = await sql<{ id: string }>`
      SELECT c.id FROM cases c JOIN officials o ON o.id = c.official_id WHERE c.organ_id = ${xc} OR o.managing_org_id = ${xc}`.execute(db);
    xichengCases = new Set(rows.map((r) => r.id));
    dongchengCaseId = (await db.selectFrom('cases').select('id').where('organ_id', '=', dc).orderBy('opened_at').executeTakeFirstOrThrow()).id;
    xichengCaseId = [...xichengCases][0]!;
    dongchengEvidenceId = (await db.selectFrom('evidence').select('id').where('case_id', 'not in', [...xichengCases]).executeTakeFirstOrThrow()).id;
  });
  afterAll(() => app?.close());

  const inScopeOf = async <T>(username: string, fn: () => Promise<T>): Promise<T> => runInRowScope(await rowScopeOf(db, await actorOf(db, username)), fn);

  it('inside the 西城 handler\'s scope, raw queries without a jurisdiction clause see only 西城\'s rows, in every case table', async () => {
    expect(xichengCases.size).toBeGreaterThan(0);
    const total = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM cases`.execute(db)).rows[0]!.n);
    expect(total).toBeGreaterThan(xichengCases.size);
    let tablesWithHiddenRows = 0;
    for (const [table, ownerSql] of Object.entries(CASE_TABLES)) {
      const all = (await sql<Row>`${sql.raw(ownerSql)}`.execute(db)).rows;
      const expected = all.filter((r) => r.always || (r.case_id !== null && xichengCases.has(r.case_id))).map((r) => r.row);
      const seen = await inScopeOf('xc-jiwei', async () => (await sql<{ row: string }>`SELECT ctid::text AS row FROM ${sql.table(table)}`.execute(db)).rows.map((r) => r.row));
      expect(seen.sort(), table).toEqual(expected.sort());
      if (all.length > expected.length) tablesWithHiddenRows++;
    }
    // Every case table holds rows of other jurisdictions, so the comparison above hid rows in each of them.
    expect(tablesWithHiddenRows).toBe(Object.keys(CASE_TABLES).length);
  });

  it('writes outside the scope change nothing or are refused; inside it they go through', async () => {
    const dongchengOfficial = await db.selectFrom('cases').select('official_id').where('id', '=', dongchengCaseId).executeTakeFirstOrThrow();
    await inScopeOf('xc-jiwei', async () => {
      const other = await db.updateTable('cases').set({ title: sql`title` }).where('id', '=', dongchengCaseId).executeTakeFirst();
      expect(Number(other.numUpdatedRows)).toBe(0);
      const otherEvidence = await db.updateTable('evidence').set({ title: sql`title` }).where('id', '=', dongchengEvidenceId).executeTakeFirst();
      expect(Number(otherEvidence.numUpdatedRows)).toBe(0);
      const own = await db.updateTable('cases').set({ title: sql`title` }).where('id', '=', xichengCaseId).executeTakeFirst();
      expect(Number(own.numUpdatedRows)).toBe(1);
      // A row written into another jurisdiction's case, or a case moved out of the scope, is refused.
      const xcHandler = await actorOf(db, 'xc-jiwei');
      await expect(
        db
          .insertInto('opinions')
          .values({ case_id: dongchengCaseId, kind: 'unit', source: '测试', content: '越权写入', recorded_by: xcHandler.userId, recorded_at: new Date() })
          .execute(),
      ).rejects.toThrow(/row-level security/);
      await expect(
        db.updateTable('cases').set({ organ_id: await orgId(db, '东城区纪委监委'), official_id: dongchengOfficial.official_id }).where('id', '=', xichengCaseId).execute(),
      ).rejects.toThrow(/row-level security/);
    });
    const untouched = await db.selectFrom('opinions').select('id').where('content', '=', '越权写入').execute();
    expect(untouched).toEqual([]);
  });

  it('a connection acting as rongcuo_app with no scope sees no case row at all (fail closed)', async () => {
    // Only what is outside the wall by design: a unit's rectification plan, a published typical case.
    const outside: Record<string, number> = {};
    for (const [table, ownerSql] of Object.entries(CASE_TABLES)) outside[table] = (await sql<Row>`${sql.raw(ownerSql)}`.execute(db)).rows.filter((r) => r.always).length;
    const client = await database.current.pool.connect();
    try {
      await client.query(`SET ROLE ${APP_ROLE}`);
      for (const table of Object.keys(CASE_TABLES)) {
        const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
        expect(Number(rows[0]!.n), table).toBe(outside[table]);
      }
      // Reset settings read as empty too.
      await client.query(`SELECT set_config('rongcuo.case_organs', '', false)`);
      expect(Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM cases')).rows[0]!.n)).toBe(0);
      // rongcuo_app may not remove or rewrite the record.
      await expect(client.query('DELETE FROM events')).rejects.toThrow(/permission denied/);
      await expect(client.query('UPDATE events SET actor = actor')).rejects.toThrow(/permission denied/);
      await expect(client.query('TRUNCATE cases')).rejects.toThrow(/permission denied/);
    } finally {
      await client.query('RESET ROLE; RESET rongcuo.case_organs');
      client.release();
    }
  });

  it('route handlers — their queries and their transactions — run in the user\'s scope; public routes in the empty one', async () => {
    const xcHandler = await signInAs(app, { username: 'xc-jiwei', password: DEMO_PASSWORD });
    const probe = (await xcHandler.inject({ method: 'GET', url: '/api/v1/test/wall' })).json() as Record<string, { user: string; n: string }>;
    for (const result of [probe.plain!, probe.inTransaction!]) expect(result).toEqual({ user: APP_ROLE, n: String(xichengCases.size) });
    const admin = await signInAs(app, { username: 'admin', password: DEMO_PASSWORD });
    const adminProbe = (await admin.inject({ method: 'GET', url: '/api/v1/test/wall' })).json() as Record<string, { user: string; n: string }>;
    expect(adminProbe.plain).toEqual({ user: APP_ROLE, n: '0' });
    const anonymous = (await app.inject({ method: 'GET', url: '/api/v1/test/wall-public' })).json() as Record<string, { user: string; n: string }>;
    expect(anonymous.inTransaction).toEqual({ user: APP_ROLE, n: '0' });
  });

  it('no pooled connection keeps a scope after a request, even one that failed; the owner path is unaffected', async () => {
    const xcHandler = await signInAs(app, { username: 'xc-jiwei', password: DEMO_PASSWORD });
    await Promise.all([
      xcHandler.inject({ method: 'GET', url: '/api/v1/test/wall' }),
      xcHandler.inject({ method: 'GET', url: '/api/v1/cases?limit=100' }),
      xcHandler.inject({ method: 'GET', url: `/api/v1/cases/${xichengCaseId}` }),
      xcHandler.inject({ method: 'GET', url: '/api/v1/test/wall-fails' }),
    ]);
    const clients = await pooledClients(database.current.pool);
    expect(clients.length).toBeGreaterThan(1);
    for (const client of clients) expect(client).toEqual({ user: loginRole, settings: [null, null, null, null, null, null] });
    // The next request without a session sees nothing; work outside any request sees everything.
    const anonymous = (await app.inject({ method: 'GET', url: '/api/v1/test/wall-public' })).json() as Record<string, { user: string; n: string }>;
    expect(anonymous.plain).toEqual({ user: APP_ROLE, n: '0' });
    const owner = (await sql<{ user: string; n: string }>`SELECT current_user AS user, (SELECT count(*) FROM cases) AS n`.execute(db)).rows[0]!;
    expect(owner.user).toBe(loginRole);
    expect(Number(owner.n)).toBeGreaterThan(xichengCases.size);
  });

  it('shares one connection among a request\'s concurrent queries, gives a transaction its own (shared on once it committed), and never deadlocks a dry pool', async () => {
    const small = connectDatabase(database.current.url, { max: 2 });
    try {
      const scope = await rowScopeOf(db, await actorOf(db, 'xc-jiwei'));
      const backend = () => sql<{ pid: number; user: string }>`SELECT pg_backend_pid() AS pid, current_user AS user`.execute(small.db).then((r) => r.rows[0]!);
      const [reads, inTransaction] = await runInRowScope(scope, () =>
        Promise.all([Promise.all(Array.from({ length: 6 }, backend)), small.db.transaction().execute((tx) => sql<{ pid: number; user: string }>`SELECT pg_backend_pid() AS pid, current_user AS user`.execute(tx).then((r) => r.rows[0]!))]),
      );
      expect(new Set(reads.map((r) => r.pid)).size).toBe(1);
      expect(reads[0]!.user).toBe(APP_ROLE);
      expect(inTransaction.user).toBe(APP_ROLE);
      expect(inTransaction.pid).not.toBe(reads[0]!.pid);
      // After its transaction, a request's reads go on the transaction's connection (already switched); one rolled
      // back is as clean (its switch is the session's, not the transaction's), and still in the scope.
      const [written, readAfter] = await runInRowScope(scope, async () => {
        const inside = await small.db.transaction().execute((tx) => sql<{ pid: number; user: string }>`SELECT pg_backend_pid() AS pid, current_user AS user`.execute(tx).then((r) => r.rows[0]!));
        return [inside, await backend()];
      });
      expect(readAfter).toEqual(written);
      const [failedIn, readAfterFailure] = await runInRowScope(scope, async () => {
        let pid = 0;
        await small.db
          .transaction()
          .execute(async (tx) => {
            pid = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(tx)).rows[0]!.pid;
            await sql`SELECT 1 / 0`.execute(tx);
          })
          .catch(() => undefined);
        return [pid, await backend()];
      });
      expect(readAfterFailure).toEqual({ pid: failedIn, user: APP_ROLE });
      // Eight requests on a pool of two, each reading, then writing in a transaction, then reading again.
      const counted = await Promise.all(
        Array.from({ length: 8 }, () =>
          runInRowScope(scope, async () => {
            await sql`SELECT count(*) FROM cases`.execute(small.db);
            const n = await small.db.transaction().execute((tx) => sql<{ n: string }>`SELECT count(*) AS n FROM cases`.execute(tx));
            await Promise.all([backend(), backend()]);
            return Number(n.rows[0]!.n);
          }),
        ),
      );
      expect(counted).toEqual(Array.from({ length: 8 }, () => xichengCases.size));
      // Both connections went back switched to the login role.
      for (const client of await pooledClients(small.pool)) expect(client).toEqual({ user: loginRole, settings: [null, null, null, null, null, null] });
    } finally {
      await small.close();
    }
  });

  it('for every demo user, the wall lets through every case the application lists (differences explained)', async () => {
    const allCases = (await db.selectFrom('cases').select('id').execute()).map((r) => r.id).sort();
    const typicalSources = (await db.selectFrom('typical_cases').select('source_case_id').distinct().where('status', '<>', 'draft').execute()).map((r) => r.source_case_id).sort();
    for (const account of DEMO_ACCOUNTS) {
      const session = await signInAs(app, { username: account.username, password: DEMO_PASSWORD });
      const listed: string[] = [];
      let cursor: string | null = null;
      do {
        const response = await session.inject({ method: 'GET', url: `/api/v1/cases?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}` });
        expect(response.statusCode, `${account.username}: ${response.body}`).toBe(200);
        const page = response.json() as { data: { id: string }[]; nextCursor: string | null };
        listed.push(...page.data.map((c) => c.id));
        cursor = page.nextCursor;
      } while (cursor);
      const walled = (await inScopeOf(account.username, async () => (await db.selectFrom('cases').select('id').execute()).map((r) => r.id))).sort();
      expect(walled, account.username).toEqual(expect.arrayContaining(listed));
      // The wall is the union of every reach the application's rules give, so it is wider than the case list only
      // where a rule outside the list reads cases: the organization department counts (statistics), follows up
      // and shares on the cases of every official its committee manages — in the demo, every case; the publicity
      // department checks a submitted typical case against its source case. (A handler also follows up the
      // officials its organ manages when another organ decided their case; the demo has no such case.)
      if (account.username === 'zuzhibu') expect(walled, account.username).toEqual(allCases);
      else if (account.username === 'xuanchuan') expect(walled, account.username).toEqual(typicalSources);
      else expect(walled, account.username).toEqual([...listed].sort());
    }
    expect(typicalSources.length).toBeGreaterThan(0);
  });

  it('every table that carries a case id is behind the wall, or is listed here with the reason it is not', async () => {
    const { rows } = await sql<{ table: string; rls: boolean }>`
      SELECT c.relname AS table, c.relrowsecurity AS rls
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r'
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname IN ('case_id', 'source_case_id', 'evidence_id', 'plan_id', 'item_id', 'report_id') AND NOT a.attisdropped)`.execute(db);
    for (const { table, rls } of rows) {
      if (table in OUTSIDE_THE_WALL) expect(rls, table).toBe(false);
      else expect({ table, rls, tested: table in CASE_TABLES }).toEqual({ table, rls: true, tested: true });
    }
    for (const table of Object.keys(CASE_TABLES)) if (table !== 'cases') expect(rows.map((r) => r.table), table).toContain(table);
  });

  it('requests may not rewrite the append-only records, nor delete beyond sessions, role grants and second factors', async () => {
    const { rows } = await sql<{ table: string; update: boolean; delete: boolean; truncate: boolean }>`
      SELECT c.relname AS table,
             has_table_privilege(${APP_ROLE}, c.oid, 'UPDATE') AS update,
             has_table_privilege(${APP_ROLE}, c.oid, 'DELETE') AS delete,
             has_table_privilege(${APP_ROLE}, c.oid, 'TRUNCATE') AS truncate
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r'`.execute(db);
    const privileges = Object.fromEntries(rows.map((r) => [r.table, r]));
    for (const table of ['events', 'event_queue', 'case_files', 'rectification_reports', 'rectification_checks', 'rectification_reminders', 'rectification_poor_records', 'penalties', 'comprehensive_assessments', 'shared_conclusions', 'reminder_follow_ups']) {
      expect(privileges[table], table).toMatchObject({ update: false, delete: false });
    }
    const deletable = rows.filter((r) => r.delete).map((r) => r.table);
    expect(['sessions', 'user_roles', 'recovery_codes', 'user_totp', 'user_sm2_keys']).toEqual(expect.arrayContaining(deletable));
    expect(rows.filter((r) => r.truncate)).toEqual([]);
  });
});

/**
 * A server at DATABASE_URL whose login role owns the database without being a superuser: the owner is not subject
 * to the policies either, so the wall again comes from SET ROLE rongcuo_app — which needs the login role to be a
 * member. The migration grants it when it may, and otherwise stops with the statement a superuser must run.
 */
describe('row-level security under a login role that owns the database but is not a superuser', () => {
  const { adminUrl } = inject('database');
  const suffix = randomBytes(4).toString('hex');
  const role = `rongcuo_owner_${suffix}`;
  const password = randomBytes(12).toString('hex');
  const database = `rongcuo_owned_${suffix}`;
  let admin: pg.Client;
  let allowed = false;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const { rows } = await admin.query<{ ok: boolean }>('SELECT rolsuper AS ok FROM pg_roles WHERE rolname = current_user');
    allowed = rows[0]!.ok;
    if (!allowed) return;
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}' NOSUPERUSER NOCREATEROLE`);
    await admin.query(`CREATE DATABASE ${database} OWNER ${role}`);
  });
  afterAll(async () => {
    if (allowed) {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
    }
    await admin.end();
  });

  it('refuses to migrate until the role may act as rongcuo_app, then the wall holds for it', async (context) => {
    if (!allowed) context.skip();
    const url = new URL(withDatabase(adminUrl, database));
    url.username = role;
    url.password = password;
    const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
    // The afterAll drop (WITH FORCE) may still find the ending client: its FATAL must not surface as unhandled.
    pool.on('error', () => undefined);
    try {
      // rongcuo_app already exists (the template's migration made it); this role may not grant it to itself.
      await expect(migrate(pool)).rejects.toThrow(`GRANT rongcuo_app TO ${role}`);
      await admin.query(`GRANT rongcuo_app TO ${role}`);
      await migrate(pool);
      const client = await pool.connect();
      try {
        const { rows: organs } = await client.query<{ id: string }>(
          "INSERT INTO organizations (name, type) VALUES ('甲', 'discipline-commission'), ('乙', 'discipline-commission') RETURNING id",
        );
        const [a, b] = organs.map((o) => o.id);
        const { rows: officials } = await client.query<{ id: string }>(
          `INSERT INTO officials (name, organization_id, position, rank, category, managing_org_id)
           VALUES ('张三', $1, '科长', 'section-principal', 'government', $1), ('李四', $2, '科长', 'section-principal', 'government', $2) RETURNING id`,
          [a, b],
        );
        const { rows: users } = await client.query<{ id: string }>("INSERT INTO users (username, password_hash, display_name) VALUES ('u1', 'x', 'u') RETURNING id");
        for (const [i, organ] of [a, b].entries()) {
          await client.query(
            `INSERT INTO cases (official_id, organ_id, title, description, state, policy_id, policy_version, opened_by, opened_at, updated_at)
             VALUES ($1, $2, '案件', '描述', 'investigating', 'bj-2020', '1', $3, now(), now())`,
            [officials[i]!.id, organ, users[0]!.id],
          );
        }
        // The owner sees both; as rongcuo_app with organ 甲 in scope, one; with no scope, none.
        expect(Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM cases')).rows[0]!.n)).toBe(2);
        await client.query(`SET ROLE ${APP_ROLE}; SET rongcuo.case_organs = '${a}'`);
        const seen = await client.query<{ organ_id: string }>('SELECT organ_id FROM cases');
        expect(seen.rows).toEqual([{ organ_id: a }]);
        await client.query('RESET rongcuo.case_organs');
        expect(Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM cases')).rows[0]!.n)).toBe(0);
        await client.query('RESET ROLE');
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  });
});
