import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { appendEvent } from '../src/audit/chain.js';
import { verifyChain } from '../src/audit/verify.js';
import { chunkOffsets } from '../src/backup/archive.js';
import { createBackup } from '../src/backup/backup.js';
import { BackupCheckError } from '../src/backup/errors.js';
import { restoreBackup } from '../src/backup/restore.js';
import { fixedClock } from '../src/clock.js';
import { loadConfig, type Config } from '../src/config/env.js';
import { loadAppCrypto, type AppCrypto } from '../src/crypto/app-crypto.js';
import { connectDatabase, type Db, type DatabaseHandle } from '../src/db/connect.js';
import { seedDemo } from '../src/db/seed-demo.js';
import { openFileStore } from '../src/files/open.js';
import type { LocalFileStore } from '../src/files/store.js';
import { killLeftoverProcesses, runCli } from './helpers/cli.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';
import { withDatabase } from './setup/test-cluster.js';

/**
 * Fault drill "backup → destroy → restore" (security.md): the demo plus files, backed up with `rongcuo backup`,
 * restored with `rongcuo restore` into a new database and a new data directory (same key file); every table's
 * row count and content, the audit chain and every file must come back identical. Damaged archives and
 * non-empty targets are refused and change nothing; a backup taken under concurrent writes is one snapshot.
 */
describe('rongcuo backup / restore', () => {
  let work: string;
  let keyFile: string;
  let source: TestDatabase;
  let sourceEnv: NodeJS.ProcessEnv;
  let sourceConfig: Config;
  let crypto: AppCrypto;
  let sourceFiles: LocalFileStore;
  let archive: string;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'rongcuo-backup-test-'));
    // The key file lives apart from both data directories, as it must in production: backups do not hold it.
    keyFile = path.join(work, 'keys', 'kek.json');
    source = await createTestDatabase();
    sourceEnv = { RONGCUO_DATA: path.join(work, 'source-data'), DATABASE_URL: source.url, RONGCUO_KEK_FILE: keyFile };
    sourceConfig = loadConfig(sourceEnv);
    crypto = await loadAppCrypto(sourceConfig);
    sourceFiles = openFileStore(sourceConfig, crypto);
    expect(await seedDemo(source.db, fixedClock('2025-06-30T02:00:00Z'), sourceFiles)).toBe(true);
    await addEdgeCases(source.db, sourceFiles, crypto);
    archive = path.join(work, 'demo.rcbak');
  }, 300_000);

  afterEach(() => killLeftoverProcesses());

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await source?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function blankDatabase(): Promise<DatabaseHandle & { url: string }> {
    const { adminUrl } = inject('database');
    const name = `rongcuo_restore_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = withDatabase(adminUrl, name);
    const handle = connectDatabase(url);
    cleanups.push(async () => {
      await handle.close();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    });
    return { ...handle, url };
  }

  async function migratedEmptyDatabase(): Promise<TestDatabase> {
    const database = await createTestDatabase();
    cleanups.push(() => database.close());
    return database;
  }

  it('round-trips the demo and its files: every table, the chain and every file come back identical', async () => {
    const backup = await runCli(['backup', archive], { env: sourceEnv });
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain('已备份到');
    expect(backup.stdout).toContain(keyFile);
    await expectNoPersonalData(source.db, backup.stdout);

    // Destroy: the restore goes to a database with no schema at all, and a data directory that does not exist.
    const target = await blankDatabase();
    const targetEnv = { RONGCUO_DATA: path.join(work, 'restored-data'), DATABASE_URL: target.url, RONGCUO_KEK_FILE: keyFile };
    const restore = await runCli(['restore', archive], { env: targetEnv });
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain('每张表的行数和内容哈希均与清单一致');
    await expectNoPersonalData(source.db, restore.stdout);

    // Checked here independently of the backup code: PostgreSQL's own row text, in byte order, per table.
    const expected = await fingerprint(source.db);
    expect(Object.keys(expected)).toContain('events');
    expect(await fingerprint(target.db)).toEqual(expected);
    for (const table of ['events', 'files', 'assessments', 'organizations', ...(hasIdentityTables ? ['password_history', 'user_totp'] : [])]) {
      expect(expected[table]!.rows, table).toBeGreaterThan(0);
    }

    const before = await verifyChain(source.db);
    const after = await verifyChain(target.db);
    expect(before.ok).toBe(true);
    expect(after.ok).toBe(true);
    expect(after.head).toEqual(before.head);
    expect(after.algorithm).toBe(before.algorithm);
    expect(after.checked).toBe(before.checked);

    expect(await sequenceState(target.db)).toEqual(await sequenceState(source.db));

    const targetFiles = openFileStore(loadConfig(targetEnv), await loadAppCrypto(loadConfig(targetEnv)));
    const hashes = await sql<{ sha256: string }>`SELECT sha256 FROM files ORDER BY sha256`.execute(source.db);
    expect(hashes.rows.length).toBeGreaterThanOrEqual(4);
    for (const { sha256 } of hashes.rows) {
      const original = await sourceFiles.get(sha256);
      expect((await targetFiles.get(sha256)).equals(original), sha256).toBe(true);
      // Sealed at rest again in the new store, not copied over in plaintext.
      if (original.length > 0) expect((await readFile(targetFiles.pathOf(sha256))).includes(original.subarray(0, 64))).toBe(false);
    }
  }, 240_000);

  it('refuses a flipped byte, a cut or reordered chunks, and leaves the target database and store empty', async () => {
    const small = path.join(work, 'small-chunks.rcbak');
    await createBackup({ db: source.db, files: sourceFiles, crypto, target: small, chunkSize: 64 * 1024 });
    const bytes = await readFile(small);
    const offsets = await chunkOffsets(small);
    expect(offsets.length).toBeGreaterThan(10);
    const piece = (i: number) => bytes.subarray(offsets[i]![0], offsets[i]![1]);
    const middle = Math.floor(offsets.length / 2);
    const flipped = Buffer.from(bytes);
    flipped[offsets[middle]![0] + 100]! ^= 0x40;
    const damaged: Array<[string, Buffer, RegExp]> = [
      ['flipped', flipped, new RegExp(`第 ${middle + 1} 块未通过完整性校验`)],
      ['cut at a chunk boundary', bytes.subarray(0, offsets.at(-1)![0]), /被截断（该块不是末块）/],
      ['cut inside a chunk', bytes.subarray(0, offsets[middle]![0] + 1000), /被截断/],
      ['reordered', Buffer.concat([bytes.subarray(0, offsets[middle]![0]), piece(middle + 1), piece(middle), bytes.subarray(offsets[middle + 1]![1])]), /未通过完整性校验/],
    ];

    const target = await migratedEmptyDatabase();
    const targetDir = path.join(work, 'damaged-target');
    const targetConfig = loadConfig({ RONGCUO_DATA: targetDir, DATABASE_URL: target.url, RONGCUO_KEK_FILE: keyFile });
    const targetFiles = openFileStore(targetConfig, crypto);
    const empty = await fingerprint(target.db);
    for (const [name, content, message] of damaged) {
      const file = path.join(work, `damaged-${name.replaceAll(' ', '-')}.rcbak`);
      await writeFile(file, content);
      const error = await restoreBackup({ db: target.db, pool: target.pool, files: targetFiles, crypto, file }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(BackupCheckError);
      expect((error as Error).message, name).toMatch(message);
      expect(await fingerprint(target.db), name).toEqual(empty);
      expect(await readdir(targetDir).catch(() => []), name).toEqual([]);
    }

    // Through the CLI: exit 1 and the reason on stderr.
    const cli = await runCli(['restore', path.join(work, 'damaged-flipped.rcbak')], {
      env: { RONGCUO_DATA: targetDir, DATABASE_URL: target.url, RONGCUO_KEK_FILE: keyFile },
    });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('未通过完整性校验');
    expect(await fingerprint(target.db)).toEqual(empty);

    // The intact archive restores into the same database afterwards: the failures left nothing behind.
    await restoreBackup({ db: target.db, pool: target.pool, files: targetFiles, crypto, file: small });
    expect(await fingerprint(target.db)).toEqual(await fingerprint(source.db));
  }, 240_000);

  it('refuses a database that already holds data, changing nothing, and offers no --force', async () => {
    const before = await fingerprint(source.db);
    const refused = await runCli(['restore', archive], { env: { ...sourceEnv, RONGCUO_DATA: path.join(work, 'other-data') } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/目标数据库不是空的：(表 \w+ 中已有 \d+ 行数据|审计链已有 \d+ 条事件)/);
    expect(await fingerprint(source.db)).toEqual(before);

    const force = await runCli(['restore', '--force', archive], { env: sourceEnv });
    expect(force.code).toBe(2);
    expect(force.stderr).toContain('不提供 --force');

    // Without the key file the archive cannot be opened, and none is made up.
    const noKey = await runCli(['restore', archive], { env: { ...sourceEnv, RONGCUO_KEK_FILE: path.join(work, 'missing', 'kek.json') } });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('找不到密钥文件');
    expect(await readdir(work)).not.toContain('missing');
  }, 120_000);

  it('takes one snapshot while the server keeps writing: counts, chain head and contents all as of one instant', async () => {
    let stop = false;
    let appended = 0;
    const append = (n: number) =>
      source.db.transaction().execute((tx) => appendEvent(tx, { type: 'system.started', actor: 'system', payload: { n } }));
    // A writer running throughout, like a busy server…
    const loop = (async () => {
      while (!stop) {
        await append(appended);
        appended += 1;
      }
    })();
    // …and writes committed between the tables the backup reads, so a backup that read each table at its own
    // moment would disagree with itself (events past the chain head, organizations it did not count).
    const during = path.join(work, 'during-writes.rcbak');
    let tablesRead = 0;
    const result = await createBackup({
      db: source.db,
      files: sourceFiles,
      crypto,
      target: during,
      onTable: async () => {
        tablesRead += 1;
        await append(-tablesRead);
        await source.db.insertInto('organizations').values({ name: `并发写入 ${tablesRead}`, type: 'other' }).execute();
      },
    });
    stop = true;
    await loop;

    const { manifest } = result;
    const rowsOf = (name: string) => manifest.tables.find((table) => table.name === name)!.rows;
    expect(manifest.chain.verified).toBe(true);
    expect(String(rowsOf('events'))).toBe(manifest.chain.seq);
    expect(tablesRead).toBe(manifest.tables.length);
    const now = await fingerprint(source.db);
    expect(now.events!.rows).toBeGreaterThanOrEqual(rowsOf('events') + tablesRead);
    expect(now.organizations!.rows).toBe(rowsOf('organizations') + tablesRead);
    expect(appended).toBeGreaterThan(0);

    const target = await migratedEmptyDatabase();
    const targetConfig = loadConfig({ RONGCUO_DATA: path.join(work, 'concurrent-target'), DATABASE_URL: target.url, RONGCUO_KEK_FILE: keyFile });
    const restored = await restoreBackup({ db: target.db, pool: target.pool, files: openFileStore(targetConfig, crypto), crypto, file: during });
    expect(restored.chain.ok).toBe(true);
    expect(restored.chain.head).toEqual({ seq: manifest.chain.seq, hash: manifest.chain.hash });
    const chain = await verifyChain(target.db);
    expect(chain.ok).toBe(true);
    expect(chain.head.seq).toBe(manifest.chain.seq);
    const counts = await fingerprint(target.db);
    for (const table of manifest.tables) expect(counts[table.name]!.rows, table.name).toBe(table.rows);
  }, 240_000);
});

/** Whether the identity tables (a table without a primary key, a bytea column) are in the schema (migration 0010). */
let hasIdentityTables = false;

/** Rows the demo leaves empty but real use fills: a table without a primary key, bytea, files of every size. */
async function addEdgeCases(db: Db, files: LocalFileStore, crypto: AppCrypto): Promise<void> {
  const user = await sql<{ id: string }>`SELECT id FROM users ORDER BY username LIMIT 1`.execute(db);
  const userId = user.rows[0]!.id;
  hasIdentityTables = (await sql<{ t: string | null }>`SELECT to_regclass('password_history')::text AS t`.execute(db)).rows[0]!.t !== null;
  if (hasIdentityTables) {
    // Two identical rows: without a key, the restore must keep both.
    for (let i = 0; i < 2; i++) {
      await sql`INSERT INTO password_history (user_id, password_hash, replaced_at) VALUES (${userId}, '$argon2id$old', '2025-01-01T00:00:00Z')`.execute(db);
    }
    await sql`INSERT INTO user_totp (user_id, secret_sealed, created_at) VALUES (${userId}, ${crypto.secrets.seal(Buffer.from('JBSWY3DPEHPK3PXP'), userId)}, now())`.execute(db);
  }
  const contents = [
    Buffer.from('𠀀𪚥·张三\u200b全角ＡＢＣ', 'utf8'),
    Buffer.alloc(0),
    randomBytes(2_500_000),
  ];
  for (const content of contents) {
    const stored = await files.put(content);
    await sql`INSERT INTO files (sha256, size, media_type, stored_at) VALUES (${stored.sha256}, ${stored.size}, 'application/octet-stream', now())
      ON CONFLICT DO NOTHING`.execute(db);
  }
}

/** Per table: row count and the MD5 of every row's text, sorted byte-wise (independent of the backup code). */
async function fingerprint(db: Db): Promise<Record<string, { rows: number; md5: string }>> {
  return db.transaction().execute(async (tx) => {
    await sql`SET LOCAL TimeZone = 'UTC'`.execute(tx);
    await sql`SET LOCAL DateStyle = 'ISO, YMD'`.execute(tx);
    const tables = await sql<{ name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`.execute(tx);
    const result: Record<string, { rows: number; md5: string }> = {};
    for (const { name } of tables.rows) {
      const { rows } = await sql<{ n: number; md5: string }>`
        SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text COLLATE "C"), '')) AS md5
          FROM ${sql.id('public', name)} AS t`.execute(tx);
      result[name] = { rows: rows[0]!.n, md5: rows[0]!.md5 };
    }
    return result;
  });
}

async function sequenceState(db: Db): Promise<Array<{ name: string; last_value: string; is_called: boolean }>> {
  const { rows } = await sql<{ name: string }>`SELECT sequencename AS name FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1`.execute(db);
  const state = [];
  for (const { name } of rows) {
    const value = await sql<{ last_value: string; is_called: boolean }>`SELECT last_value::text, is_called FROM ${sql.id('public', name)}`.execute(db);
    state.push({ name, ...value.rows[0]! });
  }
  return state;
}

/** The CLI prints counts, table names and hashes only: no official's name, no case title. */
async function expectNoPersonalData(db: Db, output: string): Promise<void> {
  const names = await sql<{ value: string }>`
    SELECT name AS value FROM officials UNION ALL SELECT title FROM cases`.execute(db);
  expect(names.rows.length).toBeGreaterThan(0);
  for (const { value } of names.rows) expect(output.includes(value), value).toBe(false);
}
