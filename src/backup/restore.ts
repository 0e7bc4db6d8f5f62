import { createHash, type Hash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type pg from 'pg';
import { verifyChain, type VerifyResult } from '../audit/verify.js';
import type { AppCrypto } from '../crypto/app-crypto.js';
import type { SecretBox } from '../crypto/envelope.js';
import { providerFor } from '../crypto/index.js';
import type { Db, Tx } from '../db/connect.js';
import { loadMigrations, migrate, type Migration } from '../db/migrate.js';
import { FileIntegrityError, FileMissingError, sha256Hex, type FileStore } from '../files/store.js';
import { ArchiveReader, type ArchiveHeader, type RecordKind } from './archive.js';
import { insertionOrder, readSequences, readTables, SCHEMA, type TableInfo } from './catalog.js';
import { BackupCheckError, BackupInputError } from './errors.js';
import { manifestSchema, type BackupManifest } from './manifest.js';
import { applySessionSettings, hashTable, TableHasher, type RowValues } from './rows.js';

/** Tables the restore does not fill row by row: the migrations fill the first, the chain replay the other two. */
const MIGRATIONS_TABLE = 'schema_migrations';
const CHAIN_HEAD_TABLE = 'chain_head';
const EVENTS_TABLE = 'events';

export interface InspectedArchive {
  header: ArchiveHeader;
  manifest: BackupManifest;
  /** The manifest record as stored, to recognise the same archive on the second read. */
  manifestText: string;
}

/**
 * Reads a whole archive once without touching any database or store: every chunk authenticated, the records in
 * the order a backup writes them, every table's rows hashed again and compared with the manifest, every file's
 * bytes hashed and compared with its name. Returns the manifest. A flipped byte, a cut, reordered chunks, or a
 * manifest that disagrees with the contents ends here, before the restore changes anything.
 */
export async function inspectArchive(file: string, secrets: SecretBox, keyFile?: string): Promise<InspectedArchive> {
  const reader = await ArchiveReader.open(file, secrets, keyFile);
  try {
    const algorithm = providerFor(reader.header.provider).hashAlgorithm;
    const tables: Array<{ name: string; columns: string[]; rows: number; hash: string }> = [];
    const files: Array<{ sha256: string; size: number }> = [];
    let table: { name: string; columns: string[]; hasher: TableHasher } | undefined;
    let current: { sha256: string; size: number; hash: Hash; seen: number } | undefined;
    let manifestText: string | undefined;

    for await (const { kind, body } of reader.records()) {
      if (manifestText !== undefined) throw unreadable('清单之后还有记录', 'records follow the manifest');
      if (table && kind !== 'R' && kind !== 'E') throw unreadable(`表 ${table.name} 没有正常结束`, `table ${table.name} is not closed`);
      if (current && kind !== 'D' && kind !== 'G') throw unreadable(`文件 ${current.sha256} 没有正常结束`, `file ${current.sha256} is not closed`);
      switch (kind) {
        case 'T': {
          if (files.length > 0) throw unreadable('表出现在文件之后', 'a table follows the files');
          const start = parseJson(kind, body) as { name?: unknown; columns?: unknown };
          if (typeof start.name !== 'string' || !isStringArray(start.columns) || tables.some((t) => t.name === start.name)) {
            throw unreadable('表的开头记录无效', 'invalid table record');
          }
          table = { name: start.name, columns: start.columns, hasher: new TableHasher(algorithm, start.name, start.columns) };
          break;
        }
        case 'R': {
          if (!table) throw unreadable('行数据不属于任何表', 'rows outside a table');
          for (const row of parseRows(body, table.columns.length)) table.hasher.addRow(row);
          break;
        }
        case 'E': {
          if (!table) throw unreadable('表的结束记录不属于任何表', 'table end outside a table');
          const end = parseJson(kind, body) as { name?: unknown; rows?: unknown; hash?: unknown };
          const summary = { name: table.name, columns: table.columns, rows: table.hasher.rows, hash: table.hasher.digest() };
          if (end.name !== summary.name || end.rows !== summary.rows || end.hash !== summary.hash) {
            throw unreadable(`表 ${table.name} 的行数或内容哈希与其结束记录不符`, `table ${table.name} does not match its end record`);
          }
          tables.push(summary);
          table = undefined;
          break;
        }
        case 'F': {
          const start = parseJson(kind, body) as { sha256?: unknown; size?: unknown };
          if (typeof start.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(start.sha256) || typeof start.size !== 'number') {
            throw unreadable('文件的开头记录无效', 'invalid file record');
          }
          current = { sha256: start.sha256, size: start.size, hash: createHash('sha256'), seen: 0 };
          break;
        }
        case 'D': {
          if (!current) throw unreadable('文件数据不属于任何文件', 'file data outside a file');
          current.hash.update(body);
          current.seen += body.length;
          break;
        }
        case 'G': {
          if (!current) throw unreadable('文件的结束记录不属于任何文件', 'file end outside a file');
          if (current.hash.digest('hex') !== current.sha256 || current.seen !== current.size) {
            throw unreadable(`备份中的文件 ${current.sha256} 与其哈希或大小不符`, `file ${current.sha256} does not match its hash or size`);
          }
          files.push({ sha256: current.sha256, size: current.size });
          current = undefined;
          break;
        }
        case 'M':
          manifestText = body.toString('utf8');
          break;
      }
    }
    if (manifestText === undefined) throw unreadable('备份中没有清单', 'the archive has no manifest');

    let manifest: BackupManifest;
    try {
      manifest = manifestSchema.parse(JSON.parse(manifestText));
    } catch {
      throw unreadable('清单无法解析', 'the manifest does not parse');
    }
    const sameTables =
      manifest.tables.length === tables.length &&
      manifest.tables.every((entry, i) => {
        const seen = tables[i]!;
        return entry.name === seen.name && entry.rows === seen.rows && entry.hash === seen.hash && sameList(entry.columns.map((c) => c.name), seen.columns);
      });
    const sameFiles = manifest.files.length === files.length && manifest.files.every((entry, i) => entry.sha256 === files[i]!.sha256 && entry.size === files[i]!.size);
    if (!sameTables || !sameFiles || manifest.hashAlgorithm !== algorithm) {
      throw unreadable('清单与备份的内容不符', 'the manifest does not match the archive contents');
    }
    return { header: reader.header, manifest, manifestText };
  } finally {
    await reader.close();
  }
}

export interface RestoreOptions {
  db: Db;
  /** The same database's pool, for the migrations (they run through `migrate`, as at a server start). */
  pool: pg.Pool;
  /** The target store (`openFileStore(config, crypto)`): files are put there, sealed under its key. */
  files: FileStore;
  crypto: AppCrypto;
  file: string;
  /** Named in messages when the archive's key is not in the keyring. */
  keyFile?: string;
  /** The migrations this program ships (default: src/db/migrations). */
  migrations?: Migration[];
}

export interface RestoreResult {
  header: ArchiveHeader;
  manifest: BackupManifest;
  /** Migrations applied by this restore (none when the target already had the schema, empty). */
  migrated: string[];
  rows: number;
  fileBytes: number;
  chain: VerifyResult;
}

/**
 * `rongcuo restore FILE`, into an empty database only:
 *
 * 1. The archive is read and checked whole (inspectArchive) before anything is touched.
 * 2. The target must hold no data: no row in any table (the chain head at 0, migrations a subset of the backup's
 *    are allowed: that is a database created empty, or one a failed restore left). There is no --force: a restore
 *    never overwrites or merges, it only fills an empty database.
 * 3. The schema is recreated by running exactly the migrations the backup recorded, through `migrate`, with the
 *    chain's hash algorithm set to the backup's. Newer migrations are not applied: the data fits the recorded
 *    schema; `rongcuo migrate` (or starting the server) upgrades afterwards.
 * 4. In ONE transaction, holding EXCLUSIVE locks on every table (readers go on, no writer can slip in): the
 *    archive is read a second time (every chunk authenticated again; the manifest must be the one read first);
 *    rows go into temporary staging tables, files into the target store (before the rows that name them commit,
 *    as the server does); then each table is filled from its stage in foreign-key order, sequences are set,
 *    and everything is checked against the manifest: row counts and content hashes of every table, the audit
 *    chain (verifyChain) with the same head, every file read back through the store with its hash. Only then
 *    does the transaction commit; any failure rolls it back.
 *
 * Why stage: a table's rows are inserted with one INSERT … SELECT, so foreign keys within a table (organizations
 * under their parent, a case linked from another) are checked at the end of the statement, whatever the order of
 * the rows; and the values are cast from text by PostgreSQL itself, never parsed in JavaScript.
 *
 * The triggers: refuse-UPDATE/DELETE triggers (events, case_files, penalties …) do not fire on INSERT. Two do:
 * `events_extend_head` accepts an event only if it extends the chain head by one, and `chain_head_advance` lets
 * the head move only by one onto an existing event. They are not disabled (that would need a superuser and would
 * take down the wall the chain relies on); the restore goes through them like the server does, replaying the
 * events in order and advancing the head after each (one PL/pgSQL loop, server-side), so the restored chain has
 * passed the same checks as the original. chain_head is therefore not inserted: its singleton row comes from the
 * migrations and ends at the backup's head by the replay. schema_migrations rows come from the migrations too;
 * the restore only copies over when each was applied, so the table matches the backup exactly.
 *
 * Files: a failure after some files were put leaves them in the target store without rows (the same kind of
 * orphan a rolled-back upload leaves); the store is content-addressed, so a retry just finds them there.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const { crypto } = options;
  const inspected = await inspectArchive(options.file, crypto.secrets, options.keyFile);
  const { manifest } = inspected;
  if (!manifest.chain.verified) {
    const at = manifest.chain.firstBreak ? `第 ${manifest.chain.firstBreak.seq} 号（${manifest.chain.firstBreak.reason}）` : '';
    throw new BackupCheckError(
      `备份时审计链已在${at}处断裂：这份备份恢复后的审计链无法通过校验，未恢复。请保留该备份作为证据，并使用断裂之前的备份`,
      'the audit chain was already broken when this backup was taken; not restored',
    );
  }

  const migrations = recordedMigrations(manifest, options.migrations ?? (await loadMigrations()));
  await refuseUnlessEmpty(options.db, manifest);
  const migrated = await migrate(options.pool, migrations, { chainAlgorithm: manifest.chain.algorithm });

  const outcome = await options.db.transaction().execute(async (tx) => {
    await applySessionSettings(tx);
    const tables = await readTables(tx);
    compareSchema(tables, manifest);
    await sql`LOCK TABLE ${sql.join(tables.map((table) => sql.id(SCHEMA, table.name)))} IN EXCLUSIVE MODE`.execute(tx);
    // Again under the lock: a server may have started on this database since the first look.
    await refuseUnlessEmpty(tx, manifest);
    const head = await sql<{ algorithm: string }>`SELECT algorithm FROM ${sql.id(SCHEMA, CHAIN_HEAD_TABLE)}`.execute(tx);
    if (head.rows[0]?.algorithm !== manifest.chain.algorithm) {
      throw new BackupCheckError(`目标数据库的审计链算法（${head.rows[0]?.algorithm}）与备份（${manifest.chain.algorithm}）不同`, 'the target chain algorithm differs from the backup');
    }

    const stages = await stageArchive(tx, options, inspected, tables);
    for (const group of insertionOrder(tables)) await fillGroup(tx, group, stages);
    await setSequences(tx, manifest);
    const chain = await checkRestored(tx, manifest, tables, options.files);
    return { chain };
  });

  return {
    header: inspected.header,
    manifest,
    migrated,
    rows: manifest.tables.reduce((sum, table) => sum + table.rows, 0),
    fileBytes: manifest.files.reduce((sum, file) => sum + file.size, 0),
    chain: outcome.chain,
  };
}

/** The migrations the backup recorded, as this program has them; a backup from a newer version is refused. */
function recordedMigrations(manifest: BackupManifest, available: Migration[]): Migration[] {
  return manifest.migrations.map((recorded) => {
    const own = available.find((migration) => migration.name === recorded.name);
    if (!own) {
      throw new BackupInputError(
        `备份的数据库结构包含迁移 ${recorded.name}，本程序没有：备份来自更新的版本，请用不早于备份时的版本恢复`,
        `the backup's schema includes migration ${recorded.name}, which this program does not have`,
      );
    }
    if (own.checksum !== recorded.checksum) {
      throw new BackupCheckError(`迁移 ${recorded.name} 的内容与备份时不同：无法重建同一结构`, `migration ${recorded.name} differs from the one the backup recorded`);
    }
    return own;
  });
}

/**
 * Refuses a target that holds any data: a row in any table, a chain head past 0, or migrations the backup does
 * not have (its schema is newer than the data). Names the first table found; counts only, never content.
 */
async function refuseUnlessEmpty(db: Db, manifest: BackupManifest): Promise<void> {
  const tables = await readTables(db);
  const names = new Set(tables.map((table) => table.name));
  if (tables.length > 0 && !names.has(MIGRATIONS_TABLE)) {
    throw new BackupCheckError(
      `目标数据库不是空的：其中已有不属于本系统的表（如 ${tables[0]!.name}）。恢复只写入空数据库，请新建一个空数据库再恢复`,
      'the target database has tables that are not Rongcuo\'s; restore only into an empty database',
    );
  }
  for (const table of tables) {
    if (table.name === MIGRATIONS_TABLE) {
      const { rows } = await sql<{ name: string; checksum: string }>`SELECT name, checksum FROM ${sql.id(SCHEMA, MIGRATIONS_TABLE)} ORDER BY name`.execute(db);
      for (const row of rows) {
        const recorded = manifest.migrations.find((migration) => migration.name === row.name);
        if (!recorded) {
          throw new BackupCheckError(
            `目标数据库已执行了备份中没有的迁移 ${row.name}（其结构比备份新）。请恢复到新建的空数据库，恢复之后再运行 rongcuo migrate`,
            `the target database has migration ${row.name}, which the backup does not; restore into a new empty database`,
          );
        }
        if (recorded.checksum !== row.checksum) {
          throw new BackupCheckError(`目标数据库的迁移 ${row.name} 与备份时的内容不同`, `the target's migration ${row.name} differs from the backup's`);
        }
      }
      continue;
    }
    if (table.name === CHAIN_HEAD_TABLE) {
      const { rows } = await sql<{ seq: string }>`SELECT seq::text AS seq FROM ${sql.id(SCHEMA, CHAIN_HEAD_TABLE)}`.execute(db);
      if (rows.length === 1 && rows[0]!.seq === '0') continue;
      throw new BackupCheckError(
        `目标数据库不是空的：审计链已有 ${rows[0]?.seq ?? '?'} 条事件。恢复只写入空数据库，不覆盖也不合并已有数据；请新建一个空数据库（或使用新的 RONGCUO_DATA 目录），在启动服务之前恢复`,
        `the target database is not empty: its audit chain holds ${rows[0]?.seq ?? '?'} events`,
      );
    }
    const { rows } = await sql<{ any: boolean }>`SELECT EXISTS (SELECT 1 FROM ${sql.id(SCHEMA, table.name)}) AS "any"`.execute(db);
    if (rows[0]!.any) {
      const count = await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.id(SCHEMA, table.name)}`.execute(db);
      throw new BackupCheckError(
        `目标数据库不是空的：表 ${table.name} 中已有 ${count.rows[0]!.n} 行数据。恢复只写入空数据库，不覆盖也不合并已有数据；请新建一个空数据库（或使用新的 RONGCUO_DATA 目录），在启动服务之前恢复`,
        `the target database is not empty: table ${table.name} holds ${count.rows[0]!.n} rows`,
      );
    }
  }
}

/** After the recorded migrations, the target must have exactly the backup's tables and columns. */
function compareSchema(tables: TableInfo[], manifest: BackupManifest): void {
  const differences: string[] = [];
  const target = new Map(tables.map((table) => [table.name, table]));
  for (const entry of manifest.tables) {
    const table = target.get(entry.name);
    if (!table) differences.push(`缺少表 ${entry.name}`);
    else if (!sameList(table.columns.map((c) => `${c.name} ${c.type}`), entry.columns.map((c) => `${c.name} ${c.type}`)) || !sameList(table.primaryKey, entry.primaryKey)) {
      differences.push(`表 ${entry.name} 的列或主键不同`);
    }
  }
  for (const name of target.keys()) if (!manifest.tables.some((entry) => entry.name === name)) differences.push(`多出表 ${name}`);
  if (differences.length > 0) {
    throw new BackupCheckError(
      `按备份记录的迁移建立的结构与备份中的表不同（${differences.join('；')}）：源数据库的结构曾在迁移之外被改动，未恢复`,
      `the schema built from the recorded migrations differs from the backup's tables (${differences.length} differences)`,
    );
  }
}

interface Stage {
  name: string;
  rows: number;
}

/**
 * The second read: every table's rows into a temporary stage table (all text, in archive order), every file into
 * the target store. Returns the stage of each table.
 */
async function stageArchive(tx: Tx, options: RestoreOptions, inspected: InspectedArchive, tables: TableInfo[]): Promise<Map<string, Stage>> {
  const reader = await ArchiveReader.open(options.file, options.crypto.secrets, options.keyFile);
  const stages = new Map<string, Stage>();
  try {
    if (reader.header.archiveId !== inspected.header.archiveId) throw changedBetweenReads();
    const byName = new Map(tables.map((table) => [table.name, table]));
    let table: { info: TableInfo; stage: Stage } | undefined;
    let file: { sha256: string; size: number; parts: Buffer[] } | undefined;
    let sawManifest = false;
    for await (const { kind, body } of reader.records()) {
      switch (kind as RecordKind) {
        case 'T': {
          const start = parseJson('T', body) as { name: string; columns: string[] };
          const info = byName.get(start.name);
          if (!info || !sameList(info.columns.map((c) => c.name), start.columns) || stages.has(start.name)) throw changedBetweenReads();
          const stage: Stage = { name: `rongcuo_restore_${stages.size}`, rows: 0 };
          stages.set(info.name, stage);
          const columns = info.columns.map((_, i) => sql`${sql.id(`c${i}`)} text`);
          await sql`CREATE TEMPORARY TABLE ${sql.id(stage.name)} (ord bigint NOT NULL, ${sql.join(columns)}) ON COMMIT DROP`.execute(tx);
          table = { info, stage };
          break;
        }
        case 'R': {
          if (!table) throw changedBetweenReads();
          await stageRows(tx, table.stage, parseRows(body, table.info.columns.length));
          break;
        }
        case 'E':
          table = undefined;
          break;
        case 'F': {
          const start = parseJson('F', body) as { sha256: string; size: number };
          file = { sha256: start.sha256, size: start.size, parts: [] };
          break;
        }
        case 'D':
          if (!file) throw changedBetweenReads();
          // Copied: the body is a view into the chunk buffer.
          file.parts.push(Buffer.from(body));
          break;
        case 'G': {
          if (!file) throw changedBetweenReads();
          const bytes = Buffer.concat(file.parts);
          if (bytes.length !== file.size || sha256Hex(bytes) !== file.sha256) throw changedBetweenReads();
          const stored = await options.files.put(bytes);
          if (stored.sha256 !== file.sha256) throw changedBetweenReads();
          file = undefined;
          break;
        }
        case 'M':
          if (body.toString('utf8') !== inspected.manifestText) throw changedBetweenReads();
          sawManifest = true;
          break;
      }
    }
    if (!sawManifest || stages.size !== inspected.manifest.tables.length) throw changedBetweenReads();
    return stages;
  } finally {
    await reader.close();
  }
}

/** Parameters per statement stay well under PostgreSQL's limit of 65 535. */
const MAX_PARAMETERS = 30_000;

async function stageRows(tx: Tx, stage: Stage, rows: RowValues[]): Promise<void> {
  if (rows.length === 0) return;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / (rows[0]!.length + 1)));
  for (let at = 0; at < rows.length; at += perStatement) {
    const values = rows.slice(at, at + perStatement).map((row) => {
      stage.rows += 1;
      return sql`(${stage.rows}, ${sql.join(row.map((value) => sql`${value}`))})`;
    });
    await sql`INSERT INTO ${sql.id('pg_temp', stage.name)} VALUES ${sql.join(values)}`.execute(tx);
  }
}

/** INSERT … SELECT from the stage, each text value cast back by PostgreSQL to the column's type. */
function insertFromStage(table: TableInfo, stage: Stage): RawBuilder<unknown> {
  const columns = sql.join(table.columns.map((column) => sql.id(column.name)));
  // Types come from the target's own catalog (format_type), never from the archive.
  const values = sql.join(table.columns.map((column, i) => sql`${sql.id(`c${i}`)}::${sql.raw(column.type)}`));
  // Identity columns keep the backed-up values (e.g. the order of assessments); the sequence is set afterwards.
  const overriding = table.columns.some((column) => column.identityAlways) ? sql`OVERRIDING SYSTEM VALUE` : sql``;
  return sql`INSERT INTO ${sql.id(SCHEMA, table.name)} (${columns}) ${overriding} SELECT ${values} FROM ${sql.id('pg_temp', stage.name)} ORDER BY ord`;
}

async function fillGroup(tx: Tx, group: TableInfo[], stages: Map<string, Stage>): Promise<void> {
  const stageOf = (table: TableInfo) => stages.get(table.name)!;
  if (group.length > 1) {
    if (group.some((table) => [MIGRATIONS_TABLE, CHAIN_HEAD_TABLE, EVENTS_TABLE].includes(table.name))) {
      throw new Error(`foreign keys form a cycle through ${group.map((t) => t.name).join(', ')}, which includes an audit table`);
    }
    // Tables whose foreign keys form a cycle: one statement, so every key is checked only once all are in.
    const parts = group.map((table, i) => sql`${sql.id(`restored_${i}`)} AS (${insertFromStage(table, stageOf(table))})`);
    await sql`WITH ${sql.join(parts)} SELECT 1`.execute(tx);
    return;
  }
  const table = group[0]!;
  const stage = stageOf(table);
  if (table.name === CHAIN_HEAD_TABLE) return;
  if (table.name === MIGRATIONS_TABLE) return restoreMigrationTimes(tx, table, stage);
  if (table.name === EVENTS_TABLE) return replayEvents(tx, table, stage);
  if (stage.rows > 0) await insertFromStage(table, stage).execute(tx);
}

/** The migrations wrote their own rows (name, checksum, now); the backup's other columns are copied onto them. */
async function restoreMigrationTimes(tx: Tx, table: TableInfo, stage: Stage): Promise<void> {
  const key = table.columns.findIndex((column) => column.name === 'name');
  const assignments = table.columns
    .map((column, i) => ({ column, i }))
    .filter(({ i }) => i !== key)
    .map(({ column, i }) => sql`${sql.id(column.name)} = s.${sql.id(`c${i}`)}::${sql.raw(column.type)}`);
  if (assignments.length === 0) return;
  await sql`UPDATE ${sql.id(SCHEMA, table.name)} AS m SET ${sql.join(assignments)}
    FROM ${sql.id('pg_temp', stage.name)} AS s WHERE m.name = s.${sql.id(`c${key}`)}`.execute(tx);
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The events, through the chain's own triggers: each is inserted (events_extend_head checks it extends the head)
 * and the head advanced onto it (chain_head_advance checks the step), in seq order, in one server-side loop.
 * Built only from the target's catalog: column names quoted, types as format_type gives them.
 */
async function replayEvents(tx: Tx, table: TableInfo, stage: Stage): Promise<void> {
  if (stage.rows === 0) return;
  const seq = table.columns.findIndex((column) => column.name === 'seq');
  const hash = table.columns.findIndex((column) => column.name === 'hash');
  if (seq < 0 || hash < 0) throw new Error('events has no seq or hash column');
  const columns = table.columns.map((column) => quoteIdent(column.name)).join(', ');
  const values = table.columns.map((column, i) => `r.c${i}::${column.type}`).join(', ');
  await sql
    .raw(
      `DO $rongcuo_restore$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM pg_temp.${quoteIdent(stage.name)} ORDER BY c${seq}::bigint LOOP
    INSERT INTO ${SCHEMA}.${quoteIdent(EVENTS_TABLE)} (${columns}) VALUES (${values});
    UPDATE ${SCHEMA}.${quoteIdent(CHAIN_HEAD_TABLE)} SET seq = r.c${seq}::bigint, hash = r.c${hash}::bytea WHERE singleton;
  END LOOP;
END
$rongcuo_restore$`,
    )
    .execute(tx);
}

/** Sequences back where the backup found them (they are not transactional, so never behind a restored value). */
async function setSequences(tx: Tx, manifest: BackupManifest): Promise<void> {
  const present = new Set((await readSequences(tx)).map((sequence) => sequence.name));
  const missing = manifest.sequences.filter((sequence) => !present.has(sequence.name));
  if (missing.length > 0 || present.size !== manifest.sequences.length) {
    throw new BackupCheckError('目标数据库的序列与备份不同：未恢复', 'the target database has different sequences than the backup');
  }
  for (const sequence of manifest.sequences) {
    const qualified = `${quoteIdent(SCHEMA)}.${quoteIdent(sequence.name)}`;
    await sql`SELECT setval(${qualified}::regclass, ${sequence.lastValue}::bigint, ${sequence.isCalled})`.execute(tx);
  }
}

/**
 * Inside the restore's transaction, before it commits: every table's count and content hash (the same code as
 * the backup, over what is now in the tables), the audit chain and its head, and every file read back.
 */
async function checkRestored(tx: Tx, manifest: BackupManifest, tables: TableInfo[], store: FileStore): Promise<VerifyResult> {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const differences: string[] = [];
  for (const entry of manifest.tables) {
    const restored = await hashTable(tx, byName.get(entry.name)!, manifest.hashAlgorithm);
    if (restored.rows !== entry.rows) differences.push(`表 ${entry.name}：清单 ${entry.rows} 行，恢复后 ${restored.rows} 行`);
    else if (restored.hash !== entry.hash) differences.push(`表 ${entry.name}：内容哈希不同`);
  }
  if (differences.length > 0) {
    throw new BackupCheckError(`恢复后的数据与清单不符（${differences.join('；')}）：已回滚`, `restored tables differ from the manifest: ${differences.length}`);
  }

  const chain = await verifyChain(tx);
  if (!chain.ok) {
    throw new BackupCheckError(
      `恢复后的审计链未通过校验：第 ${chain.firstBreak!.seq} 号处断裂（${chain.firstBreak!.reason}）：已回滚`,
      `the restored audit chain breaks at ${chain.firstBreak!.seq}`,
    );
  }
  if (chain.head.seq !== manifest.chain.seq || chain.head.hash !== manifest.chain.hash || chain.algorithm !== manifest.chain.algorithm) {
    throw new BackupCheckError('恢复后的审计链头与备份时不同：已回滚', 'the restored chain head differs from the manifest');
  }

  for (const entry of manifest.files) {
    let bytes: Buffer;
    try {
      bytes = await store.get(entry.sha256);
    } catch (error) {
      if (error instanceof FileMissingError || error instanceof FileIntegrityError) {
        throw new BackupCheckError(`恢复后的文件 ${entry.sha256} 无法读回或未通过哈希校验：已回滚`, `restored file ${entry.sha256} does not read back`);
      }
      throw error;
    }
    if (bytes.length !== entry.size || sha256Hex(bytes) !== entry.sha256) {
      throw new BackupCheckError(`恢复后的文件 ${entry.sha256} 与清单不符：已回滚`, `restored file ${entry.sha256} differs from the manifest`);
    }
  }
  return chain;
}

function parseJson(kind: RecordKind, body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw unreadable(`记录（${kind}）不是有效的 JSON`, `a ${kind} record is not valid JSON`);
  }
}

function parseRows(body: Buffer, width: number): RowValues[] {
  const rows = parseJson('R', body);
  if (!Array.isArray(rows) || !rows.every((row) => Array.isArray(row) && row.length === width && row.every((v) => v === null || typeof v === 'string'))) {
    throw unreadable('行数据的格式无效', 'a row record is malformed');
  }
  return rows as RowValues[];
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

const unreadable = (message: string, messageEn: string) =>
  new BackupCheckError(`备份内容未通过检查：${message}`, `the archive contents fail their check: ${messageEn}`);
const changedBetweenReads = () =>
  new BackupCheckError('备份文件在检查之后、恢复之中被改动（两次读取的内容不同）：已回滚', 'the archive changed between the check and the restore');
