import { createHash, type Hash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { HashAlgorithm } from '../crypto/provider.js';
import type { Db } from '../db/connect.js';
import { SCHEMA, type TableInfo } from './catalog.js';

/**
 * Rows travel as PostgreSQL's own text form of each value (NULL kept apart), the form pg_dump's COPY uses: every
 * type has one, casting it back gives the same value, and it does not pass through JavaScript numbers or Dates
 * on the way. The session settings below fix the forms that depend on the session, so the backup and the
 * restore (possibly on another server version) produce the same text, and so the same content hash.
 */
export const SESSION_SETTINGS = [
  "SET LOCAL TimeZone = 'UTC'",
  "SET LOCAL DateStyle = 'ISO, YMD'",
  "SET LOCAL IntervalStyle = 'postgres'",
  'SET LOCAL extra_float_digits = 3',
  "SET LOCAL bytea_output = 'hex'",
  // Row-level security must never hide rows from a backup (or a restore's check): with it off, a policy that
  // would filter a table makes the query fail instead of silently returning less.
  'SET LOCAL row_security = off',
] as const;

export async function applySessionSettings(db: Db): Promise<void> {
  for (const statement of SESSION_SETTINGS) await sql.raw(statement).execute(db);
}

export type RowValues = Array<string | null>;

/** Rows fetched per round trip: a few hundred kilobytes for our widest tables. */
const FETCH_ROWS = 1000;
const CURSOR = 'rongcuo_backup_rows';

/**
 * Every row of the table as text, in primary-key order (text keys compared byte-wise with COLLATE "C", which is
 * the same on every server and locale). A table without a primary key is ordered by all its columns' text; rows
 * that tie are identical, so their order cannot change the hash.
 */
export function selectRows(table: TableInfo): RawBuilder<Record<string, string | null>> {
  const values = table.columns.map((column, i) => sql`${sql.id(column.name)}::text AS ${sql.id(`c${i}`)}`);
  const collatable = new Map(table.columns.map((column) => [column.name, column.collatable]));
  const order =
    table.primaryKey.length > 0
      ? table.primaryKey.map((name) => (collatable.get(name) ? sql`${sql.id(name)} COLLATE "C"` : sql`${sql.id(name)}`))
      : table.columns.map((column) => sql`${sql.id(column.name)}::text COLLATE "C" NULLS FIRST`);
  return sql<Record<string, string | null>>`SELECT ${sql.join(values)} FROM ${sql.id(SCHEMA, table.name)} ORDER BY ${sql.join(order)}`;
}

/**
 * Streams a table's rows through a cursor inside the caller's transaction (the backup's snapshot, or the
 * restore's own transaction), a batch at a time, so no table is ever held in memory whole.
 */
export async function forEachRowBatch(tx: Db, table: TableInfo, onBatch: (rows: RowValues[]) => Promise<void> | void): Promise<void> {
  await sql`DECLARE ${sql.id(CURSOR)} NO SCROLL CURSOR FOR ${selectRows(table)}`.execute(tx);
  try {
    for (;;) {
      const { rows } = await sql<Record<string, string | null>>`FETCH ${sql.raw(String(FETCH_ROWS))} FROM ${sql.id(CURSOR)}`.execute(tx);
      if (rows.length === 0) break;
      await onBatch(rows.map((row) => table.columns.map((_, i) => row[`c${i}`] ?? null)));
      if (rows.length < FETCH_ROWS) break;
    }
  } finally {
    await sql`CLOSE ${sql.id(CURSOR)}`.execute(tx);
  }
}

/**
 * The content hash of a table: H("rongcuo/backup/table/v1" ‖ table name ‖ column names ‖ every row in order),
 * each string length-prefixed and each value tagged NULL or text, so no two different tables, column lists or
 * row sets encode to the same bytes. H is the provider's hash (SM3 under gm, SHA-256 under intl).
 */
export class TableHasher {
  private readonly hash: Hash;
  rows = 0;

  constructor(algorithm: HashAlgorithm, table: string, columns: readonly string[]) {
    this.hash = createHash(algorithm);
    this.hash.update('rongcuo/backup/table/v1\0');
    this.text(table);
    this.count(columns.length);
    for (const column of columns) this.text(column);
  }

  addRow(values: RowValues): void {
    this.count(values.length);
    for (const value of values) {
      if (value === null) this.hash.update(Buffer.from([0]));
      else {
        this.hash.update(Buffer.from([1]));
        this.text(value);
      }
    }
    this.rows += 1;
  }

  digest(): string {
    return this.hash.digest('hex');
  }

  private text(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.count(bytes.length);
    this.hash.update(bytes);
  }

  private count(n: number): void {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(n);
    this.hash.update(bytes);
  }
}

/** Row count and content hash of a table as it stands in `tx`. */
export async function hashTable(tx: Db, table: TableInfo, algorithm: HashAlgorithm): Promise<{ rows: number; hash: string }> {
  const hasher = new TableHasher(
    algorithm,
    table.name,
    table.columns.map((column) => column.name),
  );
  await forEachRowBatch(tx, table, (rows) => {
    for (const row of rows) hasher.addRow(row);
  });
  return { rows: hasher.rows, hash: hasher.digest() };
}
