import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PostgresCluster, findFreeLoopbackPort } from '../src/db/cluster.js';
import type { Database } from '../src/db/schema.js';
import { SESSION_COOKIE } from '../src/http/plugins/session.js';
import { completeSignIn, httpRequest, httpTransport, type HttpReply } from '../test/helpers/identity.js';

/**
 * What the fault drills (bench/faults.ts) are built from: a PostgreSQL cluster on a fixed loopback port (so a
 * server survives its restart), the real server as a child process (`node bin/rongcuo.js serve`, or the sources
 * through tsx when dist/ is missing), an HTTP client that can speak from any 127.x.y.z address (each simulated
 * client has its own, as real users have, so the per-address limits apply per client), and the ledger of every
 * write the server acknowledged, checked against the database and the file store after each fault.
 */

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------
// PostgreSQL

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** One cluster, always on the same port: stopped `-m immediate` and started again under a running server. */
export class DrillCluster {
  readonly superuser = 'rongcuo_drill';
  readonly password = randomBytes(12).toString('hex');
  port = 0;
  private child: ChildProcess | undefined;
  private readonly runAs = postgresUser();
  private log: string[] = [];

  constructor(
    readonly binDir: string,
    readonly dataDir: string,
  ) {}

  async init(): Promise<void> {
    // initdb as the unprivileged user, with page checksums, as the product does.
    await new PostgresCluster({ binDir: this.binDir, dataDir: this.dataDir, superuser: this.superuser, password: this.password }).ensureInitialised();
    this.port = await findFreeLoopbackPort();
  }

  url(database = 'postgres'): string {
    return `postgresql://${this.superuser}:${this.password}@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts postgres on the cluster's port and resolves once it accepts connections; returns the milliseconds that took. */
  async start(): Promise<number> {
    const started = performance.now();
    this.log = [];
    const args = ['-D', this.dataDir, '-p', String(this.port)];
    for (const [k, v] of Object.entries({ listen_addresses: '127.0.0.1', unix_socket_directories: '', fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on', max_connections: '200' })) args.push('-c', `${k}=${v}`);
    const child = spawn(path.join(this.binDir, 'postgres'), args, {
      ...(this.runAs ?? {}),
      cwd: '/',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stderr!.on('data', (chunk: Buffer) => this.log.push(chunk.toString()));
    child.stdout!.on('data', () => undefined);
    this.child = child;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`postgres exited at start:\n${this.log.join('')}`);
      const client = new pg.Client({ connectionString: this.url(), connectionTimeoutMillis: 1000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        await client.end();
        return performance.now() - started;
      } catch {
        await client.end().catch(() => undefined);
        await sleep(20);
      }
    }
  }

  /** `pg_ctl stop -m immediate`: the postmaster quits at once, without a checkpoint; recovery replays the WAL. */
  stopImmediate(): void {
    const pgCtl = path.join(this.binDir, 'pg_ctl');
    const args = ['stop', '-m', 'immediate', '-w', '-D', this.dataDir];
    if (this.runAs) execFileSync('runuser', ['-u', 'postgres', '--', pgCtl, ...args], { stdio: 'ignore' });
    else execFileSync(pgCtl, args, { stdio: 'ignore' });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGINT');
    });
  }

  async createDatabase(name: string): Promise<string> {
    const client = new pg.Client({ connectionString: this.url() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    return this.url(name);
  }

  async dropDatabase(name: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.url() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  }
}

/** A kysely handle for checking what the drills left (the bench's own connection, not the server's). */
export function inspect(url: string): { db: Kysely<Database>; pool: pg.Pool; close: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool, close: () => db.destroy() };
}

// ---------------------------------------------------------------------------------------------------------
// The server

/** The newest modification time of any file under dir. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/**
 * The compiled server when dist/ is at least as new as src/ (it starts faster, which matters for 200 kills);
 * otherwise the sources through tsx, so a drill never runs yesterday's build.
 */
const built = (() => {
  const bin = path.join(repoRoot, 'dist', 'cli', 'bin.js');
  if (!existsSync(bin)) return false;
  const fresh = newest(path.join(repoRoot, 'dist')) >= newest(path.join(repoRoot, 'src'));
  if (!fresh) process.stderr.write('faults: dist/ is older than src/ — running the sources through tsx (npm run build for faster restarts)\n');
  return fresh;
})();

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  databaseUrl: string;
  output(): string;
}

/** Starts `rongcuo serve` against DATABASE_URL with its files under dataDir; resolves once it answers. */
export async function startServer(env: { databaseUrl: string; dataDir: string; extra?: NodeJS.ProcessEnv }): Promise<ServerProcess> {
  await mkdir(env.dataDir, { recursive: true });
  // BENCH_SERVER_NODE_OPTIONS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles the server under a load.
  const nodeOptions = process.env.BENCH_SERVER_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [];
  const command = [...nodeOptions, ...(built ? [path.join(repoRoot, 'bin', 'rongcuo.js'), 'serve'] : ['--import', 'tsx', path.join(repoRoot, 'src', 'cli', 'bin.ts'), 'serve'])];
  const child = spawn(process.execPath, command, {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: env.databaseUrl, RONGCUO_DATA: env.dataDir, RONGCUO_DEMO: '1', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'fatal', ...env.extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 120 s:\n${output}`)), 120_000);
    const onData = () => {
      const match = /已启动：(http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before starting:\n${output}`));
    });
  });
  return { child, url, databaseUrl: env.databaseUrl, output: () => output };
}

export function kill9(server: ServerProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGKILL');
  });
}

export function stopServer(server: ServerProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    const timer = setTimeout(() => server.child.kill('SIGKILL'), 30_000);
    server.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    server.child.kill('SIGTERM');
  });
}

/** Runs the CLI (`rongcuo …`) as the server would be run, and returns its exit code and output. */
export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const command = built ? [path.join(repoRoot, 'bin', 'rongcuo.js'), ...args] : ['--import', 'tsx', path.join(repoRoot, 'src', 'cli', 'bin.ts'), ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, command, { cwd: repoRoot, env: { ...process.env, LOG_LEVEL: 'fatal', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

// ---------------------------------------------------------------------------------------------------------
// HTTP from any loopback address

export interface Reply extends HttpReply {
  ms: number;
}

let nextAddress = 0;
/** A fresh loopback source address (127.0.x.y): a new "client" as far as the server's per-address limits go. */
export function freshAddress(): string {
  nextAddress++;
  return `127.0.${1 + Math.floor(nextAddress / 250)}.${1 + (nextAddress % 250)}`;
}

/** One request on its own connection from `localAddress`, timed; rejects when no answer comes (refused, reset, cut). */
export async function send(
  base: string,
  method: string,
  pathname: string,
  options: { body?: Buffer | string | object; headers?: Record<string, string>; cookie?: string; localAddress?: string; timeoutMs?: number } = {},
): Promise<Reply> {
  let payload: Buffer | undefined;
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.body !== undefined) {
    if (Buffer.isBuffer(options.body)) payload = options.body;
    else if (typeof options.body === 'string') payload = Buffer.from(options.body);
    else {
      payload = Buffer.from(JSON.stringify(options.body));
      headers['content-type'] ??= 'application/json';
    }
  }
  if (options.cookie) headers.cookie = `${SESSION_COOKIE}=${options.cookie}`;
  const started = performance.now();
  const reply = await httpRequest(new URL(pathname, base), method, {
    headers,
    ...(payload ? { body: payload } : {}),
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  return { ...reply, ms: performance.now() - started };
}

export const json = <T = Record<string, unknown>>(reply: Reply): T => JSON.parse(reply.body.toString('utf8')) as T;
export const isProblem = (reply: Reply) => String(reply.headers['content-type'] ?? '').startsWith('application/problem+json');

/**
 * Signs in from the given address the whole way (password, authenticator enrolment or code, a required password
 * change — the test helpers remember secrets and changed passwords) and returns the session cookie's value (the
 * drills' server speaks plain HTTP: `send` names it rongcuo_session).
 */
export async function signIn(base: string, username: string, password: string, localAddress: string): Promise<string> {
  const transport = httpTransport(base, { localAddress });
  await completeSignIn(transport, { username, password });
  if (transport.cookie?.name !== SESSION_COOKIE) throw new Error(`sign-in as ${username} set no ${SESSION_COOKIE} cookie`);
  return transport.cookie.value;
}

/** A multipart evidence upload with the given attachments (random-content PDFs). */
export function evidenceUpload(version: number, title: string, attachments: Buffer[]): { body: Buffer; headers: Record<string, string> } {
  const boundary = `----drill${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  const field = (name: string, value: string) => parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  field('version', String(version));
  field('title', title);
  field('kind', 'document');
  attachments.forEach((bytes, i) => {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="附件${i + 1}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`), bytes, Buffer.from('\r\n'));
  });
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A PDF of about `size` bytes whose content is random (so every attachment is a distinct file). */
export function randomPdf(size: number): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.4\n%'), randomBytes(Math.max(16, size - 20)), Buffer.from('\n%%EOF\n')]);
}

// ---------------------------------------------------------------------------------------------------------
// Counting requests and checking acknowledged writes

export class Tally {
  tried = 0;
  succeeded = 0;
  /** Answered with a refusal in problem-details form (4xx/5xx): the client knows it failed. */
  refused = 0;
  /** No answer at all (connection refused, reset, cut by the kill): the client knows it failed, not whether it committed. */
  cut = 0;
  /** Answered, but not with 2xx nor with problem details. */
  unclean = 0;
  readonly statuses = new Map<number, number>();

  async run(call: () => Promise<Reply>): Promise<Reply | undefined> {
    this.tried++;
    try {
      const reply = await call();
      this.statuses.set(reply.status, (this.statuses.get(reply.status) ?? 0) + 1);
      if (reply.status >= 200 && reply.status < 300) this.succeeded++;
      else if (isProblem(reply)) this.refused++;
      else this.unclean++;
      return reply;
    } catch {
      this.cut++;
      return undefined;
    }
  }

  add(other: Tally): void {
    this.tried += other.tried;
    this.succeeded += other.succeeded;
    this.refused += other.refused;
    this.cut += other.cut;
    this.unclean += other.unclean;
    for (const [k, v] of other.statuses) this.statuses.set(k, (this.statuses.get(k) ?? 0) + v);
  }

  statusText(): string {
    return [...this.statuses.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([k, v]) => `${k}×${v}`)
      .join(' ');
  }
}

/** A write the server answered with 2xx: it must be there after any fault. */
export type Ack =
  | { kind: 'case'; caseId: string }
  | { kind: 'evidence'; caseId: string; evidenceId: string; sha256s: string[] }
  | { kind: 'opinion'; caseId: string; source: string };

/** Counts acknowledged writes that are not in the database (or whose files are not in the store). */
export async function lostAcks(db: Kysely<Database>, filesDir: string, acks: readonly Ack[]): Promise<{ lost: number; details: string[] }> {
  const details: string[] = [];
  const caseIds = [...new Set(acks.map((a) => a.caseId))];
  const cases = new Set(caseIds.length ? (await db.selectFrom('cases').select('id').where('id', 'in', caseIds).execute()).map((r) => r.id) : []);
  const evidenceIds = acks.flatMap((a) => (a.kind === 'evidence' ? [a.evidenceId] : []));
  const attachments = evidenceIds.length ? await db.selectFrom('evidence_attachments').select(['evidence_id', 'file_sha256']).where('evidence_id', 'in', evidenceIds).execute() : [];
  const sources = acks.flatMap((a) => (a.kind === 'opinion' ? [a.source] : []));
  const opinions = new Set(sources.length ? (await db.selectFrom('opinions').select('source').where('source', 'in', sources).execute()).map((r) => r.source) : []);
  for (const ack of acks) {
    if (!cases.has(ack.caseId)) details.push(`case ${ack.caseId} acknowledged, missing`);
    else if (ack.kind === 'evidence') {
      const stored = attachments.filter((a) => a.evidence_id === ack.evidenceId).map((a) => a.file_sha256);
      if (stored.length !== ack.sha256s.length) details.push(`evidence ${ack.evidenceId} acknowledged with ${ack.sha256s.length} attachments, ${stored.length} stored`);
      for (const sha of ack.sha256s) if (!existsSync(path.join(filesDir, sha.slice(0, 2), sha))) details.push(`file ${sha} of acknowledged evidence missing from the store`);
    } else if (ack.kind === 'opinion' && !opinions.has(ack.source)) details.push(`opinion ${ack.source} acknowledged, missing`);
  }
  return { lost: details.length, details };
}

/** The store's files: content files by name, and temporary files a write left behind. */
export async function scanStore(filesDir: string): Promise<{ content: Set<string>; temporary: string[] }> {
  const content = new Set<string>();
  const temporary: string[] = [];
  for (const shard of await readdir(filesDir).catch(() => [] as string[])) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    for (const name of await readdir(path.join(filesDir, shard))) {
      if (/^[0-9a-f]{64}$/.test(name)) content.add(name);
      else temporary.push(path.join(shard, name));
    }
  }
  return { content, temporary };
}

/** Rows naming a file the store lacks, and stored files no row names (content-addressed orphans of rolled-back writes). */
export async function storeConsistency(db: Kysely<Database>, filesDir: string): Promise<{ missing: number; orphans: number; temporary: number }> {
  const { content, temporary } = await scanStore(filesDir);
  const rows = new Set((await db.selectFrom('files').select('sha256').execute()).map((r) => r.sha256));
  let missing = 0;
  for (const sha of rows) if (!content.has(sha)) missing++;
  let orphans = 0;
  for (const sha of content) if (!rows.has(sha)) orphans++;
  return { missing, orphans, temporary: temporary.length };
}

/**
 * Puts accounts of a generated dataset (bench/generate.ts) back to where the generator left them — the public
 * password, to be changed at the first sign-in, no authenticator, no recovery codes, no earlier passwords, no
 * sessions, no lockout — so that `signIn` (which remembers changed passwords and authenticator secrets only within
 * one process) can go through the first sign-in again on a dataset an earlier run already signed into. Run as the
 * login role (not behind the row-level wall), before the server starts.
 */
export async function resetGeneratedAccounts(databaseUrl: string, usernames: readonly string[], password: string): Promise<void> {
  const { hash } = await import('@node-rs/argon2');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>('SELECT id FROM users WHERE username = ANY($1::text[])', [usernames]);
    if (rows.length !== usernames.length) throw new Error(`the dataset has no account named ${usernames.join(' or ')}: was it made by npm run bench -- generate?`);
    const ids = rows.map((r) => r.id);
    await client.query('BEGIN');
    for (const table of ['user_totp', 'recovery_codes', 'password_history', 'sessions']) {
      await client.query(`DELETE FROM ${client.escapeIdentifier(table)} WHERE user_id = ANY($1::uuid[])`, [ids]);
    }
    await client.query('UPDATE users SET password_hash = $2, password_changed_at = NULL, failed_sign_ins = 0, locked_until = NULL WHERE id = ANY($1::uuid[])', [ids, await hash(password)]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
