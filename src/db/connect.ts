import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { rowScopedPool } from './row-security.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

export interface DatabaseHandle {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

// A DATE is a calendar day, not an instant: keep it as 'YYYY-MM-DD' rather than a Date at local midnight,
// which shifts the day under a time zone east of UTC.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export function connectDatabase(url: string, options: { max?: number } = {}): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client losing its server (restart, failover) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // Nor a client checked out of the pool: one that a transaction holds between two queries (while files are written,
  // say) emits 'error' with nobody listening when PostgreSQL goes away, and that would end the process. Its next
  // query fails instead (the request answers 500 and the transaction is gone), and the pool drops it on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  // Connections taken inside a request's row scope act as rongcuo_app with its jurisdiction (row-security.ts).
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: rowScopedPool(pool) }) });
  return { db, pool, close: () => db.destroy() };
}
