import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_PASSWORD, generateDataset, type GenerateReport } from '../bench/generate.js';
import { tableDigests } from '../bench/generate/digest.js';
import { verifyChain } from '../src/audit/verify.js';
import { CASE_STATES } from '../src/cases/procedure.js';
import { parseManifest } from '../src/casefile/manifest.js';
import { buildTestApp, signInAs } from './helpers/app.js';
import { replayCase } from './helpers/case-history.js';
import { createTestDatabase, useTestDatabase, type TestDatabase } from './helpers/db.js';

/**
 * The data generator (bench/generate.ts) on a small world: what it writes must be what the product would have
 * written — the requested rows, every state of the procedure, a chain that verifies, histories that are legal
 * paths, case files whose event lists hash as the product's own sealing would — the same seed must give the same
 * rows, and the server must read a generated case like any other.
 */
const SIZE = { officials: 300, cases: 200, seed: 'generate-test' };

describe('the data generator', () => {
  const database = useTestDatabase();
  let report: GenerateReport;

  beforeAll(async () => {
    report = await generateDataset({ url: database.current.url, ...SIZE });
  }, 120_000);

  it('writes the officials and cases asked for, with their content and events', async () => {
    const { db } = database.current;
    const count = async (table: 'officials' | 'cases' | 'evidence' | 'opinions' | 'deliberations' | 'decisions' | 'rectification_items' | 'followup_visits' | 'events') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count('officials')).toBe(SIZE.officials);
    expect(await count('cases')).toBe(SIZE.cases);
    expect(await count('events')).toBe(report.events);
    for (const table of ['evidence', 'opinions', 'deliberations', 'decisions', 'rectification_items', 'followup_visits'] as const) {
      expect(await count(table), table).toBeGreaterThan(0);
    }
  });

  it('leaves cases in every state of the procedure, most of them closed', async () => {
    const rows = await database.current.db.selectFrom('cases').select('state').select((eb) => eb.fn.countAll<string>().as('n')).groupBy('state').execute();
    const byState = Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
    expect(Object.keys(byState).sort()).toEqual(Object.keys(CASE_STATES).sort());
    expect(byState.closed).toBeGreaterThan(SIZE.cases / 2);
    expect(byState).toEqual(report.states);
  });

  it('builds an audit chain that verifies, with the head on its last event', async () => {
    const result = await verifyChain(database.current.db);
    expect(result.firstBreak).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.checked).toBe(report.events);
    expect(result.head.seq).toBe(String(report.events));
  });

  it('gives every case a history that is a legal path ending where its row stands', async () => {
    const cases = await database.current.db.selectFrom('cases').select('id').execute();
    const problems: string[] = [];
    for (const { id } of cases) {
      const history = await replayCase(database.current.db, id);
      problems.push(...history.problems.map((p) => `${id}: ${p}`));
    }
    expect(problems).toEqual([]);
  });

  it('seals case files whose list of events hashes as the product builds it (collect.ts)', async () => {
    const { db } = database.current;
    const sealed = await db.selectFrom('case_files').select(['case_id', 'manifest', 'manifest_sha256']).limit(10).execute();
    expect(sealed.length).toBeGreaterThan(0);
    for (const file of sealed) {
      expect(createHash('sha256').update(file.manifest).digest('hex')).toBe(file.manifest_sha256);
      const parsed = parseManifest(file.manifest);
      if (!parsed.ok) throw new Error(parsed.reason);
      const item = parsed.manifest.items.find((i) => i.kind === 'events')!;
      const events = await db
        .selectFrom('events')
        .select(['seq', 'at', 'actor', 'case_id', 'type', 'payload', 'prev_hash', 'hash'])
        .where('case_id', '=', file.case_id)
        .where('seq', '<=', parsed.manifest.eventsThroughSeq)
        .orderBy('seq')
        .execute();
      const text = events
        .map((e) => `${canonicalize({ seq: e.seq, at: e.at.toISOString(), actor: e.actor, case_id: e.case_id, type: e.type, payload: e.payload, prev_hash: e.prev_hash.toString('hex'), hash: e.hash.toString('hex') })}\n`)
        .join('');
      expect(createHash('sha256').update(text, 'utf8').digest('hex')).toBe(item.sha256);
      const sealEvent = await db.selectFrom('events').select('payload').where('case_id', '=', file.case_id).where('type', '=', 'case.file-sealed').executeTakeFirstOrThrow();
      expect(sealEvent.payload).toMatchObject({ manifestSha256: file.manifest_sha256, eventsThroughSeq: parsed.manifest.eventsThroughSeq });
    }
  });

  describe('with the same seed a second time', () => {
    let second: TestDatabase;
    beforeAll(async () => {
      second = await createTestDatabase();
      await generateDataset({ url: second.url, ...SIZE });
    }, 120_000);
    afterAll(async () => {
      await second?.close();
    });

    it('writes the same rows, table by table', async () => {
      const digests = async (url: string) => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          return await tableDigests(client);
        } finally {
          await client.end();
        }
      };
      const first = await digests(database.current.url);
      expect(first.events!.rows).toBe(report.events);
      expect(await digests(second.url)).toEqual(first);
    });
  });

  it('leaves every index and constraint as the migrations made them (it drops some for the load and makes them again)', async () => {
    const shape = async (url: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const indexes = await client.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`);
        const constraints = await client.query(
          `SELECT conrelid::regclass::text AS t, conname, pg_get_constraintdef(oid) AS def, convalidated FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`,
        );
        return { indexes: indexes.rows, constraints: constraints.rows };
      } finally {
        await client.end();
      }
    };
    const fresh = await createTestDatabase();
    try {
      const migrated = await shape(fresh.url);
      expect(migrated.indexes.length).toBeGreaterThan(20);
      expect(await shape(database.current.url)).toEqual(migrated);
    } finally {
      await fresh.close();
    }
  });

  it('refuses to fill a database that already holds data', async () => {
    await expect(generateDataset({ url: database.current.url, officials: 1, cases: 0 })).rejects.toThrow(/empty database/);
  });

  it('writes cases the server reads through its own API, as a generated handler who signs in', async () => {
    const { db } = database.current;
    const kase = await db
      .selectFrom('cases')
      .innerJoin('users', 'users.id', 'cases.opened_by')
      .select(['cases.id', 'cases.title', 'cases.state', 'cases.version', 'users.username'])
      .where('cases.state', '=', 'closed')
      .orderBy('cases.id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const app = await buildTestApp(db);
    try {
      const handler = await signInAs(app, { username: kase.username, password: BENCH_PASSWORD });
      const response = await handler.inject({ method: 'GET', url: `/api/v1/cases/${kase.id}` });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ data: { id: kase.id, title: kase.title, state: kase.state, version: kase.version } });
      for (const part of ['events', 'evidence', 'documents', 'participants']) {
        expect((await handler.inject({ method: 'GET', url: `/api/v1/cases/${kase.id}/${part}` })).statusCode, part).toBe(200);
      }
      const list = await handler.inject({ method: 'GET', url: '/api/v1/cases' });
      expect(list.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
