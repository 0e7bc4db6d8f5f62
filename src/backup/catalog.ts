import { sql } from 'kysely';
import type { Db } from '../db/connect.js';

/**
 * What a backup covers, read from PostgreSQL's catalog rather than listed by hand: every ordinary or
 * partitioned table of the `public` schema (a partition is read through its parent), which includes the
 * applied-migrations table. A table added by a later migration is backed up without touching this code.
 */
export const SCHEMA = 'public';

export interface ColumnInfo {
  name: string;
  /** As `format_type` spells it (e.g. `timestamp with time zone`, `uuid[]`): what text is cast back to. */
  type: string;
  /** GENERATED ALWAYS AS IDENTITY: the restore must say OVERRIDING SYSTEM VALUE to keep the stored values. */
  identityAlways: boolean;
  /** Text-like: ordered with COLLATE "C" so the order (and so the content hash) is the same on every server. */
  collatable: boolean;
}

export interface TableInfo {
  name: string;
  /** Stored columns in table order; generated columns are left out (the restore computes them again). */
  columns: ColumnInfo[];
  /** Primary-key columns in key order; empty for a table without one. */
  primaryKey: string[];
  /** Other tables of the schema this one has foreign keys to. */
  references: string[];
}

export interface SequenceInfo {
  name: string;
}

/** The schema's tables, sorted so that every table comes after the tables it references (see insertionOrder). */
export async function readTables(db: Db): Promise<TableInfo[]> {
  const columns = await sql<{ table: string; column: string; type: string; identity: string; generated: string; collatable: boolean }>`
    SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS "type",
           a.attidentity AS "identity", a.attgenerated AS "generated", a.attcollation <> 0 AS "collatable"
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE n.nspname = ${SCHEMA} AND c.relkind IN ('r', 'p') AND NOT c.relispartition
     ORDER BY c.relname, a.attnum`.execute(db);
  const keys = await sql<{ table: string; column: string }>`
    SELECT c.relname AS "table", a.attname AS "column"
      FROM pg_catalog.pg_index i
      JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
      JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
     WHERE i.indisprimary AND n.nspname = ${SCHEMA}
     ORDER BY c.relname, k.position`.execute(db);
  const references = await sql<{ table: string; referenced: string }>`
    SELECT DISTINCT src.relname AS "table", dst.relname AS "referenced"
      FROM pg_catalog.pg_constraint k
      JOIN pg_catalog.pg_class src ON src.oid = k.conrelid
      JOIN pg_catalog.pg_namespace sn ON sn.oid = src.relnamespace
      JOIN pg_catalog.pg_class dst ON dst.oid = k.confrelid
      JOIN pg_catalog.pg_namespace dn ON dn.oid = dst.relnamespace
     WHERE k.contype = 'f' AND sn.nspname = ${SCHEMA} AND dn.nspname = ${SCHEMA}
     ORDER BY 1, 2`.execute(db);

  const tables = new Map<string, TableInfo>();
  for (const row of columns.rows) {
    let table = tables.get(row.table);
    if (!table) tables.set(row.table, (table = { name: row.table, columns: [], primaryKey: [], references: [] }));
    // Stored and virtual generated columns are derived data: PostgreSQL refuses values for them on insert.
    if (row.generated !== '') continue;
    table.columns.push({ name: row.column, type: row.type, identityAlways: row.identity === 'a', collatable: row.collatable });
  }
  for (const row of keys.rows) tables.get(row.table)?.primaryKey.push(row.column);
  for (const row of references.rows) {
    if (row.table !== row.referenced && tables.has(row.referenced)) tables.get(row.table)?.references.push(row.referenced);
  }
  return insertionOrder([...tables.values()]).flat();
}

/**
 * Groups of tables in an order that satisfies every foreign key: each group only references tables in earlier
 * groups or in itself. A group has one table unless foreign keys form a cycle between tables; such a group must
 * be inserted in one statement (foreign keys that are not deferrable are checked at the end of the statement,
 * which is also why a table referencing itself, like organizations.parent_id, needs nothing special).
 * Tarjan's algorithm, visiting names in sorted order so the result does not depend on catalog order: it emits
 * each strongly connected component after every component it reaches, i.e. referenced tables first.
 */
export function insertionOrder(tables: readonly TableInfo[]): TableInfo[][] {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const names = [...byName.keys()].sort();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: TableInfo[][] = [];
  let counter = 0;

  const visit = (name: string) => {
    index.set(name, counter);
    low.set(name, counter);
    counter += 1;
    stack.push(name);
    onStack.add(name);
    for (const next of [...byName.get(name)!.references].sort()) {
      if (!byName.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(name, Math.min(low.get(name)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(name, Math.min(low.get(name)!, index.get(next)!));
      }
    }
    if (low.get(name) === index.get(name)) {
      const group: TableInfo[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(byName.get(member)!);
      } while (member !== name);
      groups.push(group.sort((a, b) => (a.name < b.name ? -1 : 1)));
    }
  };
  for (const name of names) if (!index.has(name)) visit(name);
  return groups;
}

/** Sequences of the schema (identity columns' included); their positions are backed up and set again. */
export async function readSequences(db: Db): Promise<SequenceInfo[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT c.relname AS name
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ${SCHEMA} AND c.relkind = 'S'
     ORDER BY c.relname`.execute(db);
  return rows;
}
