import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock.js';
import { loadConfig } from '../src/config/env.js';
import { loadAppCrypto } from '../src/crypto/app-crypto.js';
import type { Db } from '../src/db/connect.js';
import { seedDemo } from '../src/db/seed-demo.js';
import { openFileStore } from '../src/files/open.js';
import type { LocalFileStore } from '../src/files/store.js';
import { sweepOrphanFiles, SweepRefusedError } from '../src/files/sweep.js';
import { killLeftoverProcesses, runCli } from './helpers/cli.js';
import { createTestDatabase, useTestDatabase } from './helpers/db.js';

/**
 * Fault drill "orphan files after cleanup: 0" (security.md): stored files no row names — left by a rolled-back
 * upload or a killed server — are removed once older than the grace period; every file a row names, of every
 * kind, stays; and nothing a transaction in flight is about to name is ever removed.
 */
describe('sweeping orphan files', () => {
  const database = useTestDatabase();
  let db: Db;
  let work: string;
  let env: NodeJS.ProcessEnv;
  let files: LocalFileStore;
  /** Each kind of reference and the stored files it names (and nothing else names). */
  let byKind: Record<string, string[]>;

  const HOUR = 60 * 60 * 1000;
  const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR);
  const onDisk = (sha256: string) => stat(files.pathOf(sha256)).then(() => true, () => false);
  const exists = (file: string) => stat(file).then(() => true, () => false);

  /** A stored file no row names, last written `hours` ago (as if its upload had rolled back then). */
  async function orphan(hours: number): Promise<string> {
    const { sha256 } = await files.put(randomBytes(64));
    if (hours > 0) await utimes(files.pathOf(sha256), hoursAgo(hours), hoursAgo(hours));
    return sha256;
  }

  /** A temporary file of a write, last written `hours` ago (a crash between writing and renaming). */
  async function temporary(hours: number): Promise<string> {
    const sha256 = randomBytes(32).toString('hex');
    const dir = path.join(files.rootDir, sha256.slice(0, 2));
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `.tmp-${sha256}-${randomBytes(8).toString('hex')}`);
    await writeFile(file, 'partial');
    if (hours > 0) await utimes(file, hoursAgo(hours), hoursAgo(hours));
    return file;
  }

  const register = (sha256: string) =>
    db.insertInto('files').values({ sha256, size: '64', media_type: 'application/octet-stream', stored_at: new Date() }).onConflict((oc) => oc.doNothing()).execute();

  beforeAll(async () => {
    db = database.current.db;
    work = await mkdtemp(path.join(tmpdir(), 'rongcuo-sweep-'));
    env = { RONGCUO_DATA: work, DATABASE_URL: database.current.url };
    const config = loadConfig(env);
    const crypto = await loadAppCrypto(config);
    files = openFileStore(config, crypto);
    // Evidence attachments, generated documents and sealed case files, written by the real commands.
    expect(await seedDemo(db, fixedClock('2025-06-30T02:00:00Z'), files, crypto)).toBe(true);
    await addTheOtherKinds(db, files);
    byKind = await referencesByKind(db);
    // Every stored file is old: only the database can keep it.
    for (const { sha256 } of await files.listStored()) await utimes(files.pathOf(sha256), hoursAgo(48), hoursAgo(48));
  }, 300_000);

  afterEach(() => killLeftoverProcesses());
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function expectEveryReferencedFileIntact(): Promise<void> {
    for (const [kind, names] of Object.entries(byKind)) {
      for (const sha256 of names) {
        // Read through the store: present, opens under its key and hashes to its name.
        await expect(files.get(sha256), `${kind} ${sha256}`).resolves.toBeInstanceOf(Buffer);
      }
    }
  }

  it('finds a stored file for every kind of reference', () => {
    expect(Object.keys(byKind).sort()).toEqual([
      'case file (generated items)',
      'document',
      'document PDF',
      'document template',
      'evidence attachment',
      'rectification attachment (uploaded, not yet reported)',
      'rectification report attachment',
    ]);
    for (const [kind, names] of Object.entries(byKind)) expect(names.length, kind).toBeGreaterThan(0);
  });

  it('in a dry run counts what it would remove and removes nothing', async () => {
    const [old, young, staleTemp] = [await orphan(2), await orphan(0), await temporary(2)];
    const registered = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM files`.execute(db)).rows[0]!.n);

    const result = await sweepOrphanFiles({ db, files, dryRun: true });

    expect(result).toEqual({ examined: registered + 2, referenced: registered, removed: 1, kept: 1, temporary: 1, dryRun: true });
    expect(await onDisk(old)).toBe(true);
    expect(await onDisk(young)).toBe(true);
    expect(await exists(staleTemp)).toBe(true);
  });

  it('removes orphans and temporary files older than the grace period, keeps young ones and every file a row names', async () => {
    const oldOrphans = [await orphan(2), await orphan(30)];
    const youngOrphan = await orphan(0.5);
    const [staleTemp, freshTemp] = [await temporary(2), await temporary(0)];
    // With those the dry run left: 3 old orphans, 2 young, 2 stale temporary files.
    const registered = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM files`.execute(db)).rows[0]!.n);

    const result = await sweepOrphanFiles({ db, files, graceMinutes: 60 });

    expect(result).toEqual({ examined: registered + 5, referenced: registered, removed: 3, kept: 2, temporary: 2, dryRun: false });
    for (const sha256 of oldOrphans) expect(await onDisk(sha256)).toBe(false);
    expect(await onDisk(youngOrphan)).toBe(true);
    expect(await exists(staleTemp)).toBe(false);
    expect(await exists(freshTemp)).toBe(true);
    await expectEveryReferencedFileIntact();

    // What is left is every registered file and the young: no orphan older than the grace period.
    const register = new Set((await db.selectFrom('files').select('sha256').execute()).map((r) => r.sha256));
    const left = await files.listStored();
    expect(left.filter((f) => !register.has(f.sha256) && f.modifiedAt < hoursAgo(1))).toEqual([]);
    expect(left.filter((f) => register.has(f.sha256))).toHaveLength(register.size);
    expect((await files.listTemporary()).filter((t) => t.modifiedAt < hoursAgo(1))).toEqual([]);
    // Nothing is left set aside.
    for (const shard of await readdir(files.rootDir)) {
      expect((await readdir(path.join(files.rootDir, shard))).filter((name) => name.startsWith('.aside-'))).toEqual([]);
    }
  });

  it('with a grace period of 0 (server stopped) removes even a young orphan', async () => {
    const young = await orphan(1 / 60);
    const result = await sweepOrphanFiles({ db, files, graceMinutes: 0 });
    expect(result.removed).toBeGreaterThanOrEqual(1);
    expect(await onDisk(young)).toBe(false);
    await expectEveryReferencedFileIntact();
  });

  it('keeps an old file whose row commits after the listing, before the references are read', async () => {
    const committedMeanwhile = await orphan(2);
    const unnamed = await orphan(2);
    const result = await sweepOrphanFiles({ db, files, onListed: async () => void (await register(committedMeanwhile)) });
    expect(await onDisk(committedMeanwhile)).toBe(true);
    expect(await onDisk(unnamed)).toBe(false);
    expect(result.removed).toBe(1);
    await expect(files.get(committedMeanwhile)).resolves.toBeInstanceOf(Buffer);
  });

  it('waits for a transaction that has registered a file but not committed: kept if it commits, removed if it rolls back', async () => {
    for (const outcome of ['COMMIT', 'ROLLBACK'] as const) {
      const inFlight = await orphan(2);
      const client = new pg.Client({ connectionString: database.current.url });
      await client.connect();
      try {
        await client.query('BEGIN');
        await client.query(`INSERT INTO files (sha256, size, media_type, stored_at) VALUES ($1, 64, 'application/octet-stream', now())`, [inFlight]);
        const sweeping = sweepOrphanFiles({ db, files });
        // The sweep queues for its lock behind the insert; only then does the transaction end.
        await waitUntil(async () => (await sql<{ n: string }>`
          SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'LOCK TABLE files%'`.execute(db)).rows[0]!.n === '1');
        expect(await onDisk(inFlight)).toBe(true);
        await client.query(outcome);
        const result = await sweeping;
        expect(await onDisk(inFlight), outcome).toBe(outcome === 'COMMIT');
        expect(result.removed, outcome).toBe(outcome === 'COMMIT' ? 0 : 1);
      } finally {
        await client.end();
      }
    }
  });

  it('keeps an old orphan whose content an upload reuses during the sweep, before its row commits', async () => {
    const bytes = randomBytes(64);
    const { sha256 } = await files.put(bytes);
    await utimes(files.pathOf(sha256), hoursAgo(2), hoursAgo(2));
    // The upload stores the same content after the sweep listed the file as old; its row commits afterwards.
    const result = await sweepOrphanFiles({ db, files, onListed: async () => void (await files.put(bytes)) });
    expect(result.kept).toBeGreaterThanOrEqual(1);
    await register(sha256);
    expect(await files.get(sha256)).toEqual(bytes);
  });

  it('refuses, removing nothing, when the database names no file at all (the wrong database?)', async () => {
    const other = await createTestDatabase();
    try {
      const old = await orphan(2);
      const before = (await files.listStored()).length;
      await expect(sweepOrphanFiles({ db: other.db, files })).rejects.toBeInstanceOf(SweepRefusedError);
      expect((await files.listStored()).length).toBe(before);
      expect(await onDisk(old)).toBe(true);
      await expectEveryReferencedFileIntact();
    } finally {
      await other.close();
    }
  });

  it('rongcuo sweep-files: a dry run, then the sweep, one line each; bad usage exits 2', async () => {
    const old = await orphan(2);
    const young = await orphan(0);

    const dry = await runCli(['sweep-files', '--dry-run'], { env });
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^试运行，未删除任何文件：检查 \d+ 个文件，\d+ 个有记录引用；可删除无记录引用的文件 [1-9]\d* 个，保留未满 60 分钟的 [1-9]\d* 个；可删除残留临时文件 \d+ 个\n$/);
    expect(await onDisk(old)).toBe(true);

    const swept = await runCli(['sweep-files', '--grace-minutes=90'], { env });
    expect(swept.stderr).toBe('');
    expect(swept.code).toBe(0);
    expect(swept.stdout).toMatch(/^已清理文件存储：检查 \d+ 个文件，\d+ 个有记录引用；删除无记录引用的文件 [1-9]\d* 个，保留未满 90 分钟的 [1-9]\d* 个；删除残留临时文件 \d+ 个\n$/);
    expect(await onDisk(old)).toBe(false);
    expect(await onDisk(young)).toBe(true);
    await expectEveryReferencedFileIntact();

    for (const args of [['--grace-minutes=soon'], ['--grace-minutes=-5'], ['--force']]) {
      const bad = await runCli(['sweep-files', ...args], { env });
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr).toContain('sweep-files');
    }
    expect(await onDisk(young)).toBe(true);
  });

  it('every column that names a stored file is a foreign key to files, so the files table is the whole register', async () => {
    const keys = await sql<{ name: string }>`
      SELECT c.conrelid::regclass::text || '.' || a.attname AS name
        FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
       WHERE c.contype = 'f' AND c.confrelid = 'files'::regclass
       ORDER BY 1`.execute(db);
    expect(keys.rows.map((r) => r.name)).toEqual([
      'document_templates.file_sha256',
      'documents.file_sha256',
      'documents.pdf_sha256',
      'evidence_attachments.file_sha256',
      'rectification_report_attachments.file_sha256',
    ]);
    // Any other column holding a hash must not be a stored file's name: a new one fails here until it either
    // references files or is listed with the reason it names no stored file.
    const notFiles: Record<string, string> = {
      'files.sha256': 'the register itself',
      'documents.template_sha256': 'the template a document was made from: an uploaded one is named by document_templates, a shipped one is not stored',
      'case_files.manifest_sha256': 'the hash of the manifest text, which is kept in case_files.manifest, not in the store',
    };
    const hashColumns = await sql<{ name: string }>`
      SELECT table_name || '.' || column_name AS name FROM information_schema.columns
       WHERE table_schema = 'public' AND column_name LIKE '%sha256%'
       ORDER BY 1`.execute(db);
    const registered = new Set(keys.rows.map((r) => r.name));
    expect(hashColumns.rows.map((r) => r.name).filter((name) => !registered.has(name) && !(name in notFiles))).toEqual([]);
  });
});

async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition not reached');
}

/**
 * The references the demo does not make: an evidence attachment, a template, a progress report's attachment, an
 * upload not yet cited, a PDF.
 */
async function addTheOtherKinds(db: Db, files: LocalFileStore): Promise<void> {
  const store = async (label: string, mediaType: string) => {
    const stored = await files.put(Buffer.from(`${label} ${randomBytes(8).toString('hex')}`));
    await db.insertInto('files').values({ sha256: stored.sha256, size: String(stored.size), media_type: mediaType, stored_at: new Date() }).execute();
    return stored.sha256;
  };
  const user = await db.selectFrom('users').select('id').orderBy('username').executeTakeFirstOrThrow();
  const organ = await db.selectFrom('organizations').select('id').orderBy('name').executeTakeFirstOrThrow();
  const now = new Date();

  const kase = await db.selectFrom('cases').select('id').orderBy('opened_at').executeTakeFirstOrThrow();
  const evidence = await db
    .insertInto('evidence')
    .values({ case_id: kase.id, title: '书证', description: '', kind: 'document', recorded_by: user.id, recorded_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('evidence_attachments')
    .values({ evidence_id: evidence.id, file_sha256: await store('evidence', 'application/pdf'), filename: '书证.pdf', media_type: 'application/pdf', size: '32' })
    .execute();

  await db
    .insertInto('document_templates')
    .values({ organ_id: organ.id, kind: 'decision', file_sha256: await store('template', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'), filename: '决定书.docx', uploaded_by: user.id, uploaded_at: now })
    .execute();

  const plan = await db
    .insertInto('rectification_plans')
    .values({ unit_id: organ.id, organ_id: organ.id, title: '整改方案', description: '', created_by: user.id, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const item = await db
    .insertInto('rectification_items')
    .values({ plan_id: plan.id, title: '整改事项', owner_unit_id: organ.id, deadline: '2026-12-31', mechanism: '长效机制', position: 1, added_by: user.id, added_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const report = await db
    .insertInto('rectification_reports')
    .values({ item_id: item.id, content: '已整改', reported_by: user.id, reported_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('rectification_report_attachments').values({ report_id: report.id, file_sha256: await store('report attachment', 'application/pdf') }).execute();
  // Uploaded through POST /rectification/items/:id/attachments and not yet cited in a report: a `files` row only.
  await store('uploaded attachment', 'application/pdf');

  const document = await db.selectFrom('documents').select('id').where('pdf_sha256', 'is', null).orderBy('generated_at').executeTakeFirstOrThrow();
  await db.updateTable('documents').set({ pdf_sha256: await store('pdf', 'application/pdf') }).where('id', '=', document.id).execute();
}

/** Each kind of reference with the stored files only it names. */
async function referencesByKind(db: Db): Promise<Record<string, string[]>> {
  const column = async (table: 'evidence_attachments' | 'documents' | 'document_templates' | 'rectification_report_attachments', name: 'file_sha256' | 'pdf_sha256') =>
    (await sql<{ sha256: string }>`SELECT DISTINCT ${sql.ref(name)} AS sha256 FROM ${sql.table(table)} WHERE ${sql.ref(name)} IS NOT NULL`.execute(db)).rows.map((r) => r.sha256);
  const generated = (await db.selectFrom('case_files').select('manifest').execute()).flatMap(
    (row) => (JSON.parse(row.manifest) as { items: Array<{ kind: string; sha256: string }> }).items.filter((i) => i.kind === 'case' || i.kind === 'events').map((i) => i.sha256),
  );
  const named = [
    ...(await column('evidence_attachments', 'file_sha256')),
    ...(await column('documents', 'file_sha256')),
    ...(await column('documents', 'pdf_sha256')),
    ...(await column('document_templates', 'file_sha256')),
    ...(await column('rectification_report_attachments', 'file_sha256')),
    ...generated,
  ];
  const registerOnly = (await db.selectFrom('files').select('sha256').where('sha256', 'not in', named).execute()).map((r) => r.sha256);
  return {
    'evidence attachment': await column('evidence_attachments', 'file_sha256'),
    document: await column('documents', 'file_sha256'),
    'document PDF': await column('documents', 'pdf_sha256'),
    'document template': await column('document_templates', 'file_sha256'),
    'rectification report attachment': await column('rectification_report_attachments', 'file_sha256'),
    'case file (generated items)': generated,
    'rectification attachment (uploaded, not yet reported)': registerOnly,
  };
}
