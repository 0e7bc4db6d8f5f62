import { ROLES } from '../access/roles.js';
import { verify } from '@node-rs/argon2';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, useTestDatabase } from '../../test/helpers/db.js';
import { runCli } from '../../test/helpers/cli.js';
import { verifyChain } from '../audit/verify.js';
import { CASE_STATES } from '../cases/procedure.js';
import { fixedClock } from '../clock.js';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from './seed-demo.js';
import { LocalFileStore } from '../files/store.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';



/**
 * The demo seed, replayed through the real commands into an empty database: it must produce a complete and
 * coherent demo (every role, every state, every outcome, an intact chain), and must never touch a database that
 * already has users.
 */
describe('seedDemo', () => {
  const database = useTestDatabase();
  const clock = fixedClock('2025-06-30T02:00:00Z');
  let seeded: boolean;
  let files: LocalFileStore;

  beforeAll(async () => {
    files = new LocalFileStore(await mkdtemp(path.join(tmpdir(), 'rongcuo-files-')));
    seeded = await seedDemo(database.current.db, clock, files);
  });

  const count = async (table: 'organizations' | 'officials' | 'users' | 'cases' | 'events') =>
    Number((await database.current.db.selectFrom(table).select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

  it('seeds organizations, 40+ officials and accounts for every role', async () => {
    expect(seeded).toBe(true);
    expect(await count('organizations')).toBeGreaterThanOrEqual(20);
    expect(await count('officials')).toBeGreaterThanOrEqual(40);
    const roles = await database.current.db.selectFrom('user_roles').select('role').distinct().execute();
    expect(roles.map((r) => r.role).sort()).toEqual([...ROLES].sort());
    // Each official account is linked to an official and holds its role at that official's organization.
    const officials = await database.current.db
      .selectFrom('user_roles')
      .innerJoin('users', 'users.id', 'user_roles.user_id')
      .leftJoin('officials', 'officials.id', 'users.official_id')
      .select(['users.username', 'user_roles.organization_id', 'officials.organization_id as official_org'])
      .where('user_roles.role', '=', 'official')
      .execute();
    expect(officials.length).toBeGreaterThan(0);
    for (const row of officials) expect(row.organization_id, row.username).toBe(row.official_org);
  });

  it('puts cases in every state and every outcome, through the procedure', async () => {
    const db = database.current.db;
    const states = await db.selectFrom('cases').select('state').distinct().execute();
    expect(states.map((r) => r.state).sort()).toEqual(Object.keys(CASE_STATES).sort());
    const outcomes = await db.selectFrom('cases').select('outcome').distinct().where('outcome', 'is not', null).execute();
    expect(outcomes.map((r) => r.outcome)).toEqual(expect.arrayContaining(['exempt', 'reduced', 'not_tolerated']));

    // The features the demo promises to show.
    const expertOpinion = await db.selectFrom('opinions').innerJoin('cases', 'cases.id', 'opinions.case_id').select('cases.id').where('opinions.kind', '=', 'expert').where('cases.professional', '=', true).execute();
    expect(expertOpinion.length).toBeGreaterThan(0);
    const applicants = await db.selectFrom('applications').select('applicant_kind').distinct().execute();
    expect(applicants.map((a) => a.applicant_kind).sort()).toEqual(['official', 'party-organization']);
    const returned = await db.selectFrom('decisions').select('case_id').where('approval_state', '=', 'returned').execute();
    expect(returned).toHaveLength(1);
    const approvedAfterReturn = await db.selectFrom('decisions').select('id').where('case_id', '=', returned[0]!.case_id).where('approval_state', '=', 'approved').execute();
    expect(approvedAfterReturn).toHaveLength(1);
    const changed = await db.selectFrom('appeals').select('id').where('outcome', '=', 'changed').execute();
    expect(changed).toHaveLength(1);

    // Every case was opened in the past and closed cases were closed after their appeal window.
    const closed = await db.selectFrom('cases').select(['closed_at', 'appeal_deadline']).where('state', '=', 'closed').execute();
    for (const c of closed) if (c.appeal_deadline) expect(c.closed_at!.getTime()).toBeGreaterThan(c.appeal_deadline.getTime());
    const latest = await db.selectFrom('events').select(({ fn }) => fn.max('at').as('at')).executeTakeFirstOrThrow();
    expect(new Date(latest.at!).getTime()).toBeLessThan(clock.now().getTime());
  });

  it('keeps jurisdiction: a district handler sees only their district, the municipal commission all', async () => {
    const db = database.current.db;
    const organOf = await db
      .selectFrom('user_roles')
      .innerJoin('users', 'users.id', 'user_roles.user_id')
      .innerJoin('organizations', 'organizations.id', 'user_roles.organization_id')
      .select(['users.username', 'organizations.short_name'])
      .where('users.username', 'in', ['jiwei', 'dc-jiwei', 'xc-jiwei'])
      .execute();
    expect(Object.fromEntries(organOf.map((r) => [r.username, r.short_name]))).toEqual({ jiwei: '市纪委监委', 'dc-jiwei': '东城区纪委监委', 'xc-jiwei': '西城区纪委监委' });
    const byOrgan = await db
      .selectFrom('cases')
      .innerJoin('organizations', 'organizations.id', 'cases.organ_id')
      .select(['organizations.short_name', ({ fn }) => fn.countAll<string>().as('n')])
      .groupBy('organizations.short_name')
      .execute();
    expect(Object.fromEntries(byOrgan.map((r) => [r.short_name, Number(r.n)]))).toEqual({ 市纪委监委: 4, 东城区纪委监委: 4, 西城区纪委监委: 4 });
  });

  it('leaves an intact audit chain', async () => {
    const result = await verifyChain(database.current.db);
    expect(result.firstBreak).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.checked).toBe(await count('events'));
    // Stories are replayed in date order, so the chain also reads in calendar order.
    const rows = await database.current.db.selectFrom('events').select('at').orderBy('seq').execute();
    const backwards = rows.filter((row, i) => i > 0 && row.at.getTime() < rows[i - 1]!.at.getTime());
    expect(backwards).toEqual([]);
  });

  it('does nothing on a database that already has users', async () => {
    const before = await count('events');
    const users = await count('users');
    expect(await seedDemo(database.current.db, clock, files)).toBe(false);
    expect(await count('events')).toBe(before);
    expect(await count('users')).toBe(users);
  });

  it('lets the main logins sign in with the demo password', async () => {
    expect(DEMO_USERS.map((u) => u.username)).toEqual(expect.arrayContaining(['jiwei', 'admin', 'dc-jiwei', 'xc-jiwei']));
    expect(new Set(DEMO_USERS.map((u) => u.role)).size).toBe(ROLES.length);
    const rows = await database.current.db
      .selectFrom('users')
      .select(['username', 'password_hash'])
      .where('username', 'in', DEMO_USERS.map((u) => u.username))
      .execute();
    expect(rows).toHaveLength(DEMO_USERS.length);
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verify(rows[0]!.password_hash, DEMO_PASSWORD)).toBe(true);
  });

  it('`rongcuo seed-demo` seeds an empty database and prints the logins', async () => {
    const empty = await createTestDatabase();
    try {
      const result = await runCli(['seed-demo'], { env: { DATABASE_URL: empty.url } });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('已写入演示数据');
      expect(result.stdout).toContain('jiwei / rongcuo-demo');
      expect((await verifyChain(empty.db)).ok).toBe(true);
    } finally {
      await empty.close();
    }
  });

  it('`rongcuo seed-demo` says so and exits 0 when the database already has data', async () => {
    const result = await runCli(['seed-demo'], { env: { DATABASE_URL: database.current.url } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('未写入演示数据');
  });
});
