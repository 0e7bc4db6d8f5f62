import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { HashAlgorithm } from '../crypto/provider.js';

/** Committed SQL migrations, applied in file-name order, forward-only, each in its own transaction. */
const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
// Any fixed number: lets several server instances start at once without applying a migration twice.
const MIGRATION_LOCK = 7_420_118;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await fs.readdir(dir)).filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name)).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await fs.readFile(path.join(dir, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

export interface MigrateOptions {
  /**
   * The audit chain's hash function, from the configured crypto provider (`gm` → sm3, `intl` → sha256). Set
   * while the chain is empty, i.e. when the database is created; a chain that holds events keeps its own.
   * Default: sm3, the hash of the default provider.
   */
  chainAlgorithm?: HashAlgorithm;
}

/** Applies pending migrations; refuses to run if an applied migration was edited afterwards. Returns the names applied. */
export async function migrate(pool: pg.Pool, migrations?: Migration[], options: MigrateOptions = {}): Promise<string[]> {
  const all = migrations ?? (await loadMigrations());
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations');
    const applied = new Map(rows.map((row) => [row.name, row.checksum]));
    for (const [name, checksum] of applied) {
      const current = all.find((migration) => migration.name === name);
      if (current && current.checksum !== checksum) {
        throw new Error(`migration ${name} was changed after it was applied; migrations are forward-only: add a new one`);
      }
    }
    const done: string[] = [];
    for (const migration of all) {
      if (applied.has(migration.name)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [migration.name, migration.checksum]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`);
      }
      done.push(migration.name);
    }
    // Under the migration lock, so two servers starting at once cannot choose differently.
    await initializeChainAlgorithm(client, options.chainAlgorithm ?? 'sm3');
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

/**
 * Sets the audit chain's hash function while the chain is still empty; does nothing once it holds an event (an
 * existing chain keeps its algorithm: changing it would leave every stored hash unverifiable). The head-row
 * trigger (0011) refuses the change too once an event exists. Returns the algorithm in force.
 */
export async function initializeChainAlgorithm(client: pg.Pool | pg.PoolClient, algorithm: HashAlgorithm): Promise<HashAlgorithm> {
  // An append holding the head row makes this wait; the re-checked `seq = 0` then no longer matches.
  await client.query('UPDATE chain_head SET algorithm = $1 WHERE singleton AND seq = 0 AND algorithm <> $1', [algorithm]);
  const { rows } = await client.query<{ algorithm: HashAlgorithm }>('SELECT algorithm FROM chain_head WHERE singleton');
  return rows[0]!.algorithm;
}
