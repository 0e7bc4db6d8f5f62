import { hash } from '@node-rs/argon2';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { isChainAlgorithm } from '../src/audit/chain.js';
import type { CaseState } from '../src/cases/procedure.js';
import { openEmbeddedPostgres } from '../src/db/embedded.js';
import { migrate } from '../src/db/migrate.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../src/documents/kinds.js';
import { defaultTemplate } from '../src/documents/render.js';
import { ChainBuilder, loadChain, type ChainLoad } from './generate/chain.js';
import { assessmentTemplates, caseTarget, planCase, type AttachmentContent, type CaseWorld } from './generate/cases.js';
import { CASE_CONTENT, CASE_PARENTS, COLUMNS, copyFile, loadSpool, Spool, type CopyResult, type SpooledTable } from './generate/copy.js';
import { dropIndexesAndForeignKeys, restoreIndexesAndForeignKeys } from './generate/deferred-keys.js';
import { generateOfficials, type Official } from './generate/officials.js';
import { buildOrganizations } from './generate/organizations.js';
import { Random } from './generate/random.js';
import { beijingDayNumber, DAY_MS } from './generate/story.js';
import { Timeline } from './generate/timeline.js';
import { buildAccounts } from './generate/users.js';
import type { BenchRow } from './table.js';

/**
 * The data generator (`npm run bench -- generate --officials N --cases M`): a realistic world — a province's
 * organization tree, its cadre directory, the accounts that work its cases, and cases in every state of the
 * procedure with every row and audit event their steps leave — reproducible from a seed, written by COPY into
 * the product's own schema (migrations applied first, every constraint and trigger in place).
 *
 * The parts: generate/random.ts (seeded streams), names.ts, organizations.ts, officials.ts, users.ts, texts.ts,
 * cases.ts (each case's legal path; casefile.ts and aftercare.ts for closing and what follows the decision),
 * story.ts and timeline.ts (one calendar for the whole world), chain.ts (the audit chain), copy.ts (COPY),
 * digest.ts (to compare two runs).
 */
export const DEFAULT_SEED = 'rongcuo';
/** The dataset's "now": fixed, so that a seed gives the same data whenever it is run. */
export const DEFAULT_AS_OF = new Date('2026-11-02T02:00:00Z');
/** The first day cases are opened on (the bj-2020 pack has been in force since 2020-06-28). */
const FIRST_DAY = beijingDayNumber(Date.parse('2021-01-04T00:00:00+08:00'));
/** The password of every generated account; public, like the demo's, and changed at first sign-in. */
export const BENCH_PASSWORD = 'rongcuo-bench';
/** The load's step that makes the dropped indexes and foreign keys again (generate/deferred-keys.ts), as a table entry. */
const INDEXES_AND_KEYS = 'indexes and foreign keys';
const ATTACHMENT_POOL = 512;

export interface GenerateOptions {
  url: string;
  officials: number;
  cases: number;
  seed?: string;
  asOf?: Date;
  /** How the events enter the chain (chain.ts); 'triggers' unless asked. */
  chainLoad?: ChainLoad;
  /** The directory in which the spool files get a directory of their own while generating (default: the system's temporary directory). */
  spoolDir?: string;
  /**
   * Also COPY the same spool files into plain copies of the tables (no index, key, trigger or default) after the
   * load, and report both rates: what the schema's checks cost bulk import (`plainCopy` in the report).
   */
  plainCopyBaseline?: boolean;
  log?: (line: string) => void;
}

export interface GenerateReport {
  seed: string;
  asOf: Date;
  chainAlgorithm: string;
  chainLoad: ChainLoad;
  organizations: number;
  officials: number;
  users: number;
  cases: number;
  events: number;
  states: Record<string, number>;
  /** One entry per table loaded, the events last (through the chain). */
  tables: CopyResult[];
  /** With plainCopyBaseline: the same files (every table but the chain's) COPYed into plain tables. */
  plainCopy?: CopyResult[];
  generateMs: number;
  loadMs: number;
  totalMs: number;
}

export async function generateDataset(options: GenerateOptions): Promise<GenerateReport> {
  const started = performance.now();
  const seed = options.seed ?? DEFAULT_SEED;
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  const log = options.log ?? (() => undefined);
  if (!Number.isSafeInteger(options.officials) || options.officials < 1) throw new Error('officials must be a positive integer');
  if (!Number.isSafeInteger(options.cases) || options.cases < 0) throw new Error('cases must be a non-negative integer');

  const pool = new pg.Pool({ connectionString: options.url, max: 2 });
  pool.on('error', () => undefined);
  const spool = await Spool.create(options.spoolDir ?? os.tmpdir());
  try {
    const applied = await migrate(pool);
    const client = await pool.connect();
    try {
      const head = await client.query<{ seq: string; algorithm: string }>('SELECT seq::text AS seq, algorithm FROM chain_head');
      const users = await client.query('SELECT 1 FROM users LIMIT 1');
      if (head.rows[0]?.seq !== '0' || users.rowCount) {
        throw new Error('the target database already holds data (audit events or accounts): the generator only fills an empty database');
      }
      const algorithm = head.rows[0].algorithm;
      if (!isChainAlgorithm(algorithm)) throw new Error(`unknown chain algorithm ${algorithm}`);

      // ---- generate: every row into its spool file, every event into the chain, in calendar order ----
      const chain = new ChainBuilder(algorithm);
      const timeline = new Timeline(spool, chain);
      const world = await buildWorld(seed, options.officials, options.cases, asOf, timeline, applied, log);
      const states: Record<string, number> = {};
      const openings: { at: number; index: number }[] = [];
      for (let i = 0; i < options.cases; i++) {
        const story = planCase(world.cases, seed, i, world.caseOfficials[i]!, caseTarget(seed, i));
        openings.push({ at: story.openedAt, index: i });
        states[story.target] = (states[story.target] ?? 0) + 1;
      }
      openings.sort((a, b) => a.at - b.at || a.index - b.index);
      log(`cases planned: ${Object.entries(states).map(([state, n]) => `${state} ${n}`).join(', ')}`);
      timeline.runStories(
        openings,
        (i) => planCase(world.cases, seed, i, world.caseOfficials[i]!, caseTarget(seed, i)),
        (done) => log(`  ${done} of ${options.cases} cases written, ${chain.length} events`),
      );
      timeline.writeDocumentNumbers();
      spool.close();
      const generateMs = performance.now() - started;
      log(`generated in ${(generateMs / 1000).toFixed(1)} s: ${chain.length} events`);

      // ---- load: COPY table by table, parents first; the events through the chain beside the cases' content ----
      const loadStarted = performance.now();
      const second = await pool.connect();
      const tables: CopyResult[] = [];
      const onTable = (result: CopyResult) => {
        tables.push(result);
        const how = result.table === 'events' ? `events into the chain (${options.chainLoad ?? 'triggers'})` : result.table === INDEXES_AND_KEYS ? 'indexes and foreign keys made again' : `COPY ${result.table}`;
        log(`  ${how}: ${result.rows} rows in ${(result.ms / 1000).toFixed(1)} s (${Math.round(result.rows / (result.ms / 1000))}/s)`);
      };
      try {
        // A crash during the load means generating again anyway, so commits need not wait for the disk.
        for (const c of [client, second]) await c.query('SET synchronous_commit = off');
        const deferred = await dropIndexesAndForeignKeys(client, [...CASE_PARENTS, ...CASE_CONTENT]);
        await loadSpool(client, spool, CASE_PARENTS, onTable);
        // Two backends, two cores: the chain is one ordered stream, the other tables are independent of it. Both
        // are waited for even when one fails, so neither connection goes back to the pool in the middle of a COPY.
        const loads = await Promise.allSettled([
          (async () => {
            const chainStarted = performance.now();
            await loadChain(client, spool.file('events')!, chain.length, options.chainLoad ?? 'triggers', log);
            onTable({ table: 'events', rows: Number(chain.length), ms: performance.now() - chainStarted });
          })(),
          loadSpool(second, spool, CASE_CONTENT, onTable),
        ]);
        for (const load of loads) if (load.status === 'rejected') throw load.reason;
        const rebuildStarted = performance.now();
        await restoreIndexesAndForeignKeys([client, second], deferred);
        onTable({ table: INDEXES_AND_KEYS, rows: 0, ms: performance.now() - rebuildStarted });
      } finally {
        second.release();
      }
      // Statistics for the planner now, so a benchmark run right after does not plan against empty tables.
      await client.query('ANALYZE');
      const loadMs = performance.now() - loadStarted;
      const plainCopy = options.plainCopyBaseline ? await copyIntoPlainTables(client, spool, [...CASE_PARENTS, ...CASE_CONTENT]) : undefined;
      return {
        seed,
        asOf,
        chainAlgorithm: algorithm,
        chainLoad: options.chainLoad ?? 'triggers',
        organizations: world.organizations,
        officials: options.officials,
        users: world.users,
        cases: options.cases,
        events: Number(chain.length),
        states,
        tables,
        ...(plainCopy ? { plainCopy } : {}),
        generateMs,
        loadMs,
        totalMs: performance.now() - started,
      };
    } finally {
      client.release();
    }
  } finally {
    spool.close();
    await spool.remove();
    await pool.end();
  }
}

interface World {
  cases: CaseWorld;
  caseOfficials: Official[];
  organizations: number;
  users: number;
}

/**
 * The organizations, officials and accounts (each with the event that registered it, as the demo seed writes
 * them, marked `bench: true` where the seed writes `demo: true`), a week before the first case.
 */
async function buildWorld(seed: string, officialCount: number, caseCount: number, asOf: Date, timeline: Timeline, migrations: string[], log: (line: string) => void): Promise<World> {
  const setupAt = (FIRST_DAY - 7) * DAY_MS + 1 * 3_600_000;
  timeline.at(setupAt);
  // As the server's first start records it (server.ts): the schema was created in this database.
  if (migrations.includes('0001_foundation.sql')) timeline.event('system.database-created', 'system', null, { migrations });

  const tree = buildOrganizations(Random.derive(seed, 'organizations'), officialCount);
  for (const org of tree.all) {
    timeline.write('organizations', { id: org.id, parent_id: org.parentId, name: org.name, short_name: org.shortName, type: org.type, created_at: timeline.now });
    timeline.event('organization.created', 'system', null, { organizationId: org.id, parentId: org.parentId, name: org.name, type: org.type, bench: true });
  }

  const officials: Official[] = [];
  for (const official of generateOfficials(seed, tree, officialCount)) {
    officials.push(official);
    timeline.write('officials', {
      id: official.id,
      name: official.name,
      organization_id: official.unit.org.id,
      position: official.position,
      rank: official.rank,
      category: official.unit.category,
      managing_org_id: official.managing.org.id,
      created_at: timeline.now,
    });
    timeline.event('official.created', 'system', null, { officialId: official.id, organizationId: official.unit.org.id, managingOrgId: official.managing.org.id, bench: true });
  }
  log(`organizations: ${tree.all.length} (${tree.commissions.length} commissions, ${tree.units.length} units); officials: ${officials.length}`);

  // Who each case concerns: officials drawn at random, so some have two cases, as in life.
  const draw = Random.derive(seed, 'case-officials');
  const drawn = Array.from({ length: caseCount }, () => draw.int(officials.length));
  const caseOfficials = drawn.map((i) => officials[i]!);
  const withCases = [...new Set(drawn)].sort((a, b) => a - b).map((i) => officials[i]!);
  const casesPerCommission = tree.commissions.map(() => 0);
  for (const official of caseOfficials) casesPerCommission[official.managing.index]! += 1;
  const accounts = buildAccounts(seed, tree, withCases, casesPerCommission);

  // One hash for every account, as the demo seed does (argon2 is slow on purpose), with a salt from the seed so
  // that the rows come out the same on every run.
  const passwordHash = await hash(BENCH_PASSWORD, { salt: Random.derive(seed, 'password-salt').bytes(16) });
  timeline.at(setupAt + 3_600_000);
  for (const account of accounts.all) {
    timeline.write('users', {
      id: account.id,
      username: account.username,
      password_hash: passwordHash,
      display_name: account.displayName,
      official_id: account.officialId,
      email: null,
      disabled_at: null,
      created_at: timeline.now,
      // Set by someone else: the first sign-in must choose a new one (as for the demo accounts).
      password_changed_at: null,
      clearance: 1,
    });
    for (const grant of account.roles) timeline.write('user_roles', { user_id: account.id, role: grant.role, organization_id: grant.organizationId });
    timeline.event('user.created', 'system', null, { userId: account.id, roles: account.roles, officialId: account.officialId, bench: true });
  }
  log(`accounts: ${accounts.all.length} (${accounts.officials.size} officials' own)`);

  const templates = Object.fromEntries(DOCUMENT_KINDS.map((kind) => [kind, createHash('sha256').update(defaultTemplate(kind)).digest('hex')])) as Record<DocumentKind, string>;
  return {
    cases: {
      asOf: asOf.getTime(),
      firstDay: FIRST_DAY,
      staff: accounts.staff,
      experts: accounts.experts,
      officialAccounts: accounts.officials,
      partyAccounts: accounts.partyOrganizations,
      attachments: attachmentPool(seed),
      assessments: assessmentTemplates(asOf),
      templates,
    },
    caseOfficials,
    organizations: tree.all.length,
    users: accounts.all.length,
  };
}

/**
 * Evidence attachments come from a pool of distinct small files (PDFs and photos, 4–48 KB), shared between cases
 * the way a file store shares identical content: one `files` row each. Their bytes are not put in any store.
 */
function attachmentPool(seed: string): AttachmentContent[] {
  const random = Random.derive(seed, 'attachments');
  return Array.from({ length: ATTACHMENT_POOL }, (_, i) => {
    const photo = random.chance(0.3);
    const body = random.bytes(random.between(4_096, 49_152));
    const bytes = photo ? Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), body, Buffer.from([0xff, 0xd9])]) : Buffer.concat([Buffer.from(`%PDF-1.4\n% rongcuo bench ${i}\n`), body, Buffer.from('\n%%EOF\n')]);
    return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, mediaType: photo ? 'image/jpeg' : 'application/pdf', extension: photo ? 'jpg' : 'pdf' };
  });
}

// ---------------------------------------------------------------------------------------------------------
// `npm run bench -- generate …`

const USAGE = `usage: npm run bench -- generate --officials N --cases M [--seed S] [--as-of ISO-8601] [--database-url URL | --dir DIR] [--chain triggers|bulk] [--spool DIR]

Without --database-url the data goes into a fresh embedded PostgreSQL under --dir (default .bench-data), which
the server can then use: RONGCUO_DATA=<dir> npm start. The generated accounts' password is ${BENCH_PASSWORD}.
--spool is where the rows wait between generating and loading (default: the system's temporary directory; about
1 GB per 40 000 cases).`;

function option(args: string[], name: string): string | undefined {
  const i = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const arg = args[i]!;
  if (arg.includes('=')) return arg.slice(arg.indexOf('=') + 1);
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value\n${USAGE}`);
  return value;
}

function count(args: string[], name: string): number {
  const raw = option(args, name);
  const value = raw === undefined ? NaN : Number(raw.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} must be a whole number\n${USAGE}`);
  return value;
}

/**
 * PostgreSQL's own COPY of the same spool files into tables with the same columns, defaults and NOT NULL and
 * nothing else (no key, index, foreign key, check or trigger), one table at a time on one connection like the
 * load, each dropped after.
 */
async function copyIntoPlainTables(client: pg.PoolClient, spool: Spool, tables: readonly SpooledTable[]): Promise<CopyResult[]> {
  const results: CopyResult[] = [];
  for (const table of tables) {
    const file = spool.file(table);
    if (!file) continue;
    const plain = client.escapeIdentifier(`plain_copy_${table}`);
    await client.query(`CREATE TABLE ${plain} (LIKE ${client.escapeIdentifier(table)} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING GENERATED)`);
    try {
      const started = performance.now();
      const rows = await copyFile(client, file, plain, COLUMNS[table]);
      results.push({ table, rows, ms: performance.now() - started });
    } finally {
      await client.query(`DROP TABLE ${plain}`);
    }
  }
  return results;
}

/**
 * Bulk import against plain COPY of the same rows: all tables but the chain's (whose load is the chain's own
 * business: hashing, or the triggers), as rows per second of COPY time on each side.
 */
export function bulkImportRows(report: GenerateReport): BenchRow[] {
  // The import's time includes making its indexes and foreign keys again (rows 0): that is what it costs.
  if (!report.plainCopy) return [];
  const rate = (results: readonly CopyResult[]) => results.reduce((n, r) => n + r.rows, 0) / (results.reduce((ms, r) => ms + r.ms, 0) / 1000);
  const imported = rate(report.tables.filter((t) => t.table !== 'events'));
  const plain = rate(report.plainCopy);
  const rows = report.plainCopy.reduce((n, r) => n + r.rows, 0);
  return [
    {
      figure: `bulk import: COPY into the schema (keys, indexes, triggers), ${rows.toLocaleString('en')} rows`,
      value: imported,
      unit: 'rows/s',
      limit: plain,
      limitLabel: 'COPY into plain tables',
      ratio: imported / plain,
      target: '≥ 0.50',
      pass: imported / plain >= 0.5,
    },
  ];
}

/** The CLI: generates, then returns the figures for the bench table (rows/s per table, total time). */
export async function benchGenerate(args: string[]): Promise<BenchRow[]> {
  const officials = count(args, 'officials');
  const cases = count(args, 'cases');
  const url = option(args, 'database-url');
  const chain = option(args, 'chain') ?? 'triggers';
  if (chain !== 'triggers' && chain !== 'bulk') throw new Error(`--chain must be triggers or bulk\n${USAGE}`);
  const asOfText = option(args, 'as-of');
  const asOf = asOfText ? new Date(asOfText) : undefined;
  if (asOf && Number.isNaN(asOf.getTime())) throw new Error(`--as-of is not a date\n${USAGE}`);
  const log = (line: string) => process.stderr.write(`generate: ${line}\n`);

  const embedded = url ? undefined : await openEmbeddedPostgres(path.resolve(option(args, 'dir') ?? '.bench-data'), { attach: false, log: () => undefined });
  try {
    if (embedded && !embedded.created) log(`using the existing cluster in ${option(args, 'dir') ?? '.bench-data'} (it must hold an empty database)`);
    const report = await generateDataset({
      url: url ?? embedded!.databaseUrl,
      officials,
      cases,
      seed: option(args, 'seed') ?? DEFAULT_SEED,
      ...(asOf ? { asOf } : {}),
      chainLoad: chain,
      ...(option(args, 'spool') ? { spoolDir: path.resolve(option(args, 'spool')!) } : {}),
      plainCopyBaseline: true,
      log,
    });
    log(`done in ${(report.totalMs / 1000).toFixed(1)} s; accounts sign in with ${BENCH_PASSWORD} (e.g. c0-handler-1, official-0)`);
    return reportRows(report);
  } finally {
    await embedded?.stop();
  }
}

function reportRows(report: GenerateReport): BenchRow[] {
  const rows: BenchRow[] = report.tables.map((t) =>
    t.table === INDEXES_AND_KEYS
      ? { figure: 'generate: indexes and foreign keys made again after the COPY', value: t.ms / 1000, unit: 's' }
      : {
          figure: `generate: ${t.table === 'events' ? `events into the chain (${report.chainLoad}, ${report.chainAlgorithm})` : `COPY ${t.table}`} (${t.rows} rows)`,
          value: t.rows / (t.ms / 1000),
          unit: 'rows/s',
        },
  );
  const totalRows = report.tables.reduce((sum, t) => sum + t.rows, 0);
  const states = (Object.entries(report.states) as [CaseState, number][]).map(([state, n]) => `${state} ${n}`).join(', ');
  rows.push(
    { figure: 'generate: audit events', value: report.events, unit: 'events' },
    { figure: `generate: cases (${states})`, value: report.cases, unit: 'cases' },
    { figure: 'generate: rows, all tables', value: totalRows, unit: 'rows' },
    { figure: 'generate: generating (JS, spool files)', value: report.generateMs / 1000, unit: 's' },
    { figure: 'generate: loading (COPY, chain, ANALYZE)', value: report.loadMs / 1000, unit: 's' },
    { figure: 'generate: bulk import, all rows', value: totalRows / (report.loadMs / 1000), unit: 'rows/s' },
    { figure: 'generate: total', value: report.totalMs / 1000, unit: 's' },
    ...bulkImportRows(report),
  );
  return rows;
}
