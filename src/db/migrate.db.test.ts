import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../../test/setup/test-cluster.js';
import { appendEvent } from '../audit/chain.js';
import type { Database } from './schema.js';
import { initializeChainAlgorithm, loadMigrations, migrate } from './migrate.js';

async function withEmptyDatabase(run: (pool: pg.Pool) => Promise<void>): Promise<void> {
  const { adminUrl } = inject('database');
  const name = `rongcuo_empty_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const pool = new pg.Pool({ connectionString: withDatabase(adminUrl, name), max: 2 });
  // DROP … WITH (FORCE) below may still find a closing connection; that is expected, not a failure.
  pool.on('error', () => undefined);
  try {
    await run(pool);
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
}

describe('migrations', () => {
  it('apply to an empty database once, in order, and then have nothing left to do', async () => {
    await withEmptyDatabase(async (pool) => {
      const all = await loadMigrations();
      expect(all.map((m) => m.name)).toEqual([...all.map((m) => m.name)].sort());
      expect(await migrate(pool)).toEqual(all.map((m) => m.name));
      expect(await migrate(pool)).toEqual([]);
      const { rows } = await pool.query<{ seq: string }>('SELECT seq FROM chain_head');
      expect(rows).toEqual([{ seq: '0' }]);
    });
  });

  it('give a new chain the configured provider\'s hash, and leave a chain that holds events with its own', async () => {
    await withEmptyDatabase(async (pool) => {
      const algorithm = async () => (await pool.query<{ algorithm: string }>('SELECT algorithm FROM chain_head')).rows[0]!.algorithm;
      await migrate(pool, undefined, { chainAlgorithm: 'sha256' });
      expect(await algorithm()).toBe('sha256');
      // Still empty: nothing was hashed yet, so the chain follows the configuration.
      await migrate(pool);
      expect(await algorithm()).toBe('sm3');
      await expect(pool.query("UPDATE chain_head SET algorithm = 'md5'")).rejects.toThrow(/chain_head_algorithm_check/);
      // The first event fixes it (what the server appends right after creating the database).
      const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
      await db.transaction().execute((tx) => appendEvent(tx, { type: 'system.database-created', actor: 'system' }));
      await migrate(pool, undefined, { chainAlgorithm: 'sha256' });
      expect(await initializeChainAlgorithm(pool, 'sha256')).toBe('sm3');
      await expect(pool.query("UPDATE chain_head SET algorithm = 'sha256'")).rejects.toThrow(/may only advance by one/);
    });
  });

  it('refuse to run when an applied migration was edited afterwards', async () => {
    await withEmptyDatabase(async (pool) => {
      const all = await loadMigrations();
      await migrate(pool, all);
      const edited = all.map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
      await expect(migrate(pool, edited)).rejects.toThrow(/was changed after it was applied/);
    });
  });

  it('roll a failing migration back entirely and leave it unapplied', async () => {
    await withEmptyDatabase(async (pool) => {
      const all = await loadMigrations();
      const broken = { name: '9999_broken.sql', sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();', checksum: 'x' };
      await expect(migrate(pool, [...all, broken])).rejects.toThrow(/migration 9999_broken.sql failed/);
      const { rows } = await pool.query("SELECT to_regclass('half_done') AS t, (SELECT count(*) FROM schema_migrations WHERE name = '9999_broken.sql') AS n");
      expect(rows[0]).toEqual({ t: null, n: '0' });
    });
  });

  it('run concurrently from two servers without applying anything twice', async () => {
    await withEmptyDatabase(async (pool) => {
      const [a, b] = await Promise.all([migrate(pool), migrate(pool)]);
      expect([...a, ...b].sort()).toEqual((await loadMigrations()).map((m) => m.name));
    });
  });
});
