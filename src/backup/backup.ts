import { sql } from 'kysely';
import { verifyChain } from '../audit/verify.js';
import { systemClock, type Clock } from '../clock.js';
import type { AppCrypto } from '../crypto/app-crypto.js';
import type { HashAlgorithm } from '../crypto/provider.js';
import type { Db } from '../db/connect.js';
import { referencedFiles } from '../files/references.js';
import { FileIntegrityError, FileMissingError, sha256Hex, type FileStore } from '../files/store.js';
import { ArchiveWriter, type ArchiveHeader } from './archive.js';
import { readSequences, readTables, SCHEMA, type TableInfo } from './catalog.js';
import { BackupCheckError, BackupInputError } from './errors.js';
import { MANIFEST_FORMAT, MANIFEST_VERSION, type BackupManifest } from './manifest.js';
import { applySessionSettings, forEachRowBatch, TableHasher, type RowValues } from './rows.js';

/** Plaintext bytes per file-data record: a file is streamed into the archive in pieces of this size. */
const FILE_PIECE_BYTES = 1024 * 1024;

export interface BackupOptions {
  db: Db;
  /** The store the database's `files` rows point into (`openFileStore(config, crypto)`). */
  files: FileStore;
  crypto: AppCrypto;
  /** The archive's path; must not exist yet. */
  target: string;
  clock?: Clock;
  chunkSize?: number;
  /**
   * Called after each table is written, still inside the snapshot transaction. Lets the caller report progress
   * (and lets a test write to the database mid-backup to show the snapshot holds).
   */
  onTable?: (table: string, rows: number) => Promise<void> | void;
}

export interface BackupResult {
  file: string;
  bytes: number;
  chunks: number;
  header: ArchiveHeader;
  manifest: BackupManifest;
}

interface SnapshotFacts {
  migrations: BackupManifest['migrations'];
  chainHead: { seq: string; hash: string; algorithm: string } | undefined;
}

/**
 * `rongcuo backup`: the whole database and every file it refers to, in one encrypted archive (archive.ts).
 *
 * Consistency: every table is read inside ONE transaction, REPEATABLE READ and READ ONLY, i.e. one snapshot:
 * a case, its events and the chain head are all as of the same instant, whatever the running server commits
 * meanwhile. Nothing is locked against writers; ACCESS SHARE locks only keep DDL (a migration) from changing a
 * table under the backup, as pg_dump does. There is no pg_dump to call (the embedded PostgreSQL ships none),
 * and this way the archive is encrypted as it is written, never lying on disk in the clear.
 *
 * Files are read after the snapshot commits: they are content-addressed and never changed or deleted, and the
 * server writes a file before the row naming it commits, so every `files` row of the snapshot has its bytes
 * in the store. Each is read through the store (which decrypts it and checks its hash) and goes into the
 * archive as plaintext, re-encrypted by the archive's own key; the restore puts it into the target store, which
 * seals it again. So the archive does not depend on how the source stored the file, and a file damaged at the
 * source stops the backup instead of surfacing at restore time. Files the store holds without a `files` row
 * (left by a transaction that rolled back) are not part of any record and are not backed up; the orphan sweep
 * (`rongcuo sweep-files`) removes them, by the same notion of a referenced file (`referencedFiles`).
 */
export async function createBackup(options: BackupOptions): Promise<BackupResult> {
  const algorithm = options.crypto.provider.hashAlgorithm;
  const clock = options.clock ?? systemClock;
  const writer = await ArchiveWriter.create(options.target, options.crypto.secrets, options.chunkSize ? { chunkSize: options.chunkSize } : {});
  try {
    const createdAt = clock.now().toISOString();
    const snapshot = await options.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (tx) => {
        await applySessionSettings(tx);
        // The first query takes the snapshot; everything below reads as of that instant.
        const tables = await readTables(tx);
        const names = new Set(tables.map((table) => table.name));
        if (!names.has('schema_migrations') || !names.has('chain_head') || !names.has('events')) {
          throw new BackupInputError('数据库尚未建立本系统的结构（没有执行过迁移），没有可备份的内容', 'the database has no Rongcuo schema (never migrated)');
        }
        await sql`LOCK TABLE ${sql.join(tables.map((table) => sql.id(SCHEMA, table.name)))} IN ACCESS SHARE MODE`.execute(tx);
        const serverVersion = (await sql<{ server_version: string }>`SHOW server_version`.execute(tx)).rows[0]!.server_version;

        const facts: SnapshotFacts = { migrations: [], chainHead: undefined };
        const written: BackupManifest['tables'] = [];
        for (const table of tables) {
          written.push(await writeTable(writer, tx, table, algorithm, facts));
          await options.onTable?.(table.name, written.at(-1)!.rows);
        }

        const sequences: BackupManifest['sequences'] = [];
        for (const { name } of await readSequences(tx)) {
          const { rows } = await sql<{ last_value: string; is_called: boolean }>`
            SELECT last_value::text AS last_value, is_called FROM ${sql.id(SCHEMA, name)}`.execute(tx);
          sequences.push({ name, lastValue: rows[0]!.last_value, isCalled: rows[0]!.is_called });
        }

        // In the same snapshot, so these are exactly the files the rows written above name.
        const files = await referencedFiles(tx);
        // In the same snapshot, so it checks exactly the events written above.
        const chain = await verifyChain(tx);
        const head = facts.chainHead;
        if (!head || head.seq !== chain.head.seq || head.hash !== chain.head.hash) {
          throw new BackupCheckError('审计链头在同一快照中读出两个不同的值：备份中止', 'the chain head read twice in one snapshot differs');
        }
        return { serverVersion, written, sequences, chain, facts, files };
      });

    const files: BackupManifest['files'] = [];
    for (const sha256 of [...snapshot.files].sort()) {
      files.push(await writeFile(writer, options.files, sha256));
    }

    const { chain } = snapshot;
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      createdAt,
      serverVersion: snapshot.serverVersion,
      hashAlgorithm: algorithm,
      migrations: snapshot.facts.migrations,
      tables: snapshot.written,
      sequences: snapshot.sequences,
      files,
      chain: {
        seq: chain.head.seq,
        hash: chain.head.hash,
        algorithm: chain.algorithm as HashAlgorithm,
        verified: chain.ok,
        checked: chain.checked,
        ...(chain.firstBreak ? { firstBreak: { seq: chain.firstBreak.seq, reason: chain.firstBreak.reason } } : {}),
      },
    };
    await writer.json('M', manifest);
    const { bytes, chunks } = await writer.finish();
    return { file: writer.target, bytes, chunks, header: writer.header, manifest };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

async function writeTable(writer: ArchiveWriter, tx: Db, table: TableInfo, algorithm: HashAlgorithm, facts: SnapshotFacts): Promise<BackupManifest['tables'][number]> {
  const columns = table.columns.map((column) => column.name);
  const column = (name: string) => {
    const index = columns.indexOf(name);
    if (index < 0) throw new Error(`table ${table.name} has no column ${name}`);
    return index;
  };
  // A few tables tell the manifest what it needs beyond counts: the schema version and the chain head.
  let collect: ((row: RowValues) => void) | undefined;
  if (table.name === 'schema_migrations') {
    const [name, checksum] = [column('name'), column('checksum')];
    collect = (row) => facts.migrations.push({ name: row[name]!, checksum: row[checksum]! });
  } else if (table.name === 'chain_head') {
    const [seq, hash, algorithmColumn] = [column('seq'), column('hash'), column('algorithm')];
    collect = (row) => {
      // bytea in hex output: "\x" then the digits.
      facts.chainHead = { seq: row[seq]!, hash: row[hash]!.slice(2), algorithm: row[algorithmColumn]! };
    };
  }

  await writer.json('T', { name: table.name, columns });
  const hasher = new TableHasher(algorithm, table.name, columns);
  await forEachRowBatch(tx, table, async (rows) => {
    for (const row of rows) {
      hasher.addRow(row);
      collect?.(row);
    }
    await writer.json('R', rows);
  });
  const summary = { rows: hasher.rows, hash: hasher.digest() };
  await writer.json('E', { name: table.name, ...summary });
  return {
    name: table.name,
    columns: table.columns.map(({ name, type }) => ({ name, type })),
    primaryKey: table.primaryKey,
    ...summary,
  };
}

async function writeFile(writer: ArchiveWriter, store: FileStore, sha256: string): Promise<{ sha256: string; size: number }> {
  let bytes: Buffer;
  try {
    bytes = await store.get(sha256);
  } catch (error) {
    if (error instanceof FileMissingError) {
      throw new BackupCheckError(`文件存储中缺少数据库登记的文件 ${sha256}：备份中止（这是数据丢失，请先查明原因）`, `stored file ${sha256} is missing`);
    }
    if (error instanceof FileIntegrityError) {
      throw new BackupCheckError(`文件 ${sha256} 未通过哈希校验（损坏或被改动）：备份中止`, `stored file ${sha256} fails its hash check`);
    }
    throw error;
  }
  // The store already checked this; the archive states it again only after seeing it for itself.
  if (sha256Hex(bytes) !== sha256) throw new BackupCheckError(`文件 ${sha256} 未通过哈希校验：备份中止`, `stored file ${sha256} fails its hash check`);
  await writer.json('F', { sha256, size: bytes.length });
  for (let at = 0; at < bytes.length; at += FILE_PIECE_BYTES) await writer.record('D', bytes.subarray(at, at + FILE_PIECE_BYTES));
  await writer.record('G', Buffer.alloc(0));
  return { sha256, size: bytes.length };
}
