import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { embeddedBinDir, ensureDatabase, openEmbeddedPostgres, type EmbeddedPostgres } from '../src/db/embedded.js';
import { DEMO_PASSWORD } from '../src/db/seed-demo.js';
import { DrillCluster, freshAddress, json, resetGeneratedAccounts, send, signIn, startServer, stopServer, type ServerProcess } from './fault-kit.js';
import { BENCH_PASSWORD } from './generate.js';
import type { BenchRow } from './table.js';

/**
 * `npm run bench -- api`: the server under load over HTTP (autocannon, 127.0.0.1 only, bounded in time), each
 * figure beside a limit measured in the same run on the same PostgreSQL:
 * - writes: a case command (record an opinion) per second at 16 concurrent clients, each on its own case, against
 *   pgbench running the equivalent transaction (insert one row, update one row) at 16 clients;
 * - reads: the case list (filtered, paginated), the case page and a name search — p50/p95/p99 and requests per
 *   second — against the server's own route that runs only `SELECT 1` (/api/health);
 * - the leaders' statistics page; the server's peak RSS under these loads.
 *
 * By default on the demo world (a fresh cluster). With `--dataset=DIR` (a data directory made by
 * `npm run bench -- generate … --dir DIR`) on that generated world instead, started as its embedded PostgreSQL:
 * the reads as the accounts with the largest jurisdiction — the provincial commission's handler (c0-handler-1)
 * for the case list, name search, case page, its events and the workbench, its supervisor (c0-supervisor) for
 * the statistics. The write load then adds its cases and opinions to the dataset.
 */

const PGBENCH = '/usr/lib/postgresql/15/bin/pgbench';
export const CONNECTIONS = 16;
const argValue = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
export const SECONDS = Number(argValue('seconds') ?? 10);

interface Load {
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Answers by status, e.g. `200×5000 409×3`. */
  statuses: string;
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);

/** autocannon against one route; latencies are collected per response (autocannon's summary has no p95). */
async function load(url: string, options: Partial<autocannon.Options> & { cookie?: string }): Promise<Load> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: SECONDS,
        ...(options.cookie ? { headers: { cookie: `rongcuo_session=${options.cookie}` } } : {}),
        ...options,
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, status, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
  });
  return summarize(latencies, statuses, { requests: result.requests.total, perSecond: result.requests.total / SECONDS, errors: result.errors + result.timeouts, non2xx: result.non2xx });
}

/** A load's figures from the latencies and statuses collected per response. */
function summarize(latencies: number[], statuses: Map<number, number>, counts: Pick<Load, 'requests' | 'perSecond' | 'errors' | 'non2xx'>): Load {
  latencies.sort((a, b) => a - b);
  return {
    ...counts,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    statuses: [...statuses].map(([status, n]) => `${status}×${n}`).join(' '),
  };
}

/** pgbench: the same shape of write as recording an opinion (one insert, one version update), 16 clients. */
export async function pgbenchTps(url: string, root: string): Promise<number | undefined> {
  if (!existsSync(PGBENCH)) return undefined;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('DROP TABLE IF EXISTS bench_opinion, bench_case');
  await client.query(`CREATE TABLE bench_case (id int PRIMARY KEY, version int NOT NULL DEFAULT 1)`);
  await client.query(`CREATE TABLE bench_opinion (id bigserial PRIMARY KEY, case_id int NOT NULL REFERENCES bench_case (id), source text NOT NULL, content text NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
  await client.query(`INSERT INTO bench_case (id) SELECT generate_series(1, ${CONNECTIONS})`);
  await client.end();
  const script = path.join(root, 'opinion.sql');
  await writeFile(
    script,
    [
      `\\set id random(1, ${CONNECTIONS})`,
      'BEGIN;',
      `INSERT INTO bench_opinion (case_id, source, content) VALUES (:id, '某单位', '该同志一贯表现良好，本次问题系改革探索中的失误。');`,
      'UPDATE bench_case SET version = version + 1 WHERE id = :id;',
      'COMMIT;',
    ].join('\n'),
  );
  await chmod(script, 0o644);
  const { hostname, port, username, password, pathname } = new URL(url);
  const output = execFileSync(PGBENCH, ['-n', '-c', String(CONNECTIONS), '-j', '2', '-T', String(SECONDS), '-f', script, '-h', hostname, '-p', port, '-U', username, pathname.slice(1)], {
    env: { ...process.env, PGPASSWORD: decodeURIComponent(password) },
    encoding: 'utf8',
  });
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output);
  return tps ? Number(tps[1]) : undefined;
}

/** The server's peak resident set (VmHWM) so far, in MB. */
async function peakRssMb(server: ServerProcess): Promise<number> {
  const status = await readFile(`/proc/${server.child.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/**
 * The write load: each of the 16 clients records opinions on its own case, one after another, sending the version
 * the last answer gave (autocannon builds a request before the previous answer is read, so it would send stale
 * versions). Kept-alive connections, as autocannon's.
 */
async function writeLoad(base: string, cookie: string, cases: { id: string; version: number }[]): Promise<Load> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let errors = 0;
  const until = performance.now() + SECONDS * 1000;
  const { hostname, port } = new URL(base);
  const post = (path: string, body: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(
        { host: hostname, port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), cookie: `rongcuo_session=${cookie}` } },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  await Promise.all(
    cases.map(async (kase) => {
      while (performance.now() < until) {
        const started = performance.now();
        try {
          const reply = await post(`/api/v1/cases/${kase.id}/opinions`, JSON.stringify({ version: kase.version, kind: 'unit', source: '某单位', content: '该同志一贯表现良好，本次问题系改革探索中的失误。' }));
          latencies.push(performance.now() - started);
          statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
          if (reply.status === 200) kase.version = (JSON.parse(reply.body) as { version: number }).version;
        } catch {
          errors++;
        }
      }
    }),
  );
  agent.destroy();
  const ok = statuses.get(200) ?? 0;
  return summarize(latencies, statuses, { requests: latencies.length, perSecond: ok / SECONDS, errors, non2xx: latencies.length - ok });
}

export interface ApiBenchOptions {
  /** A data directory made by the generator; without it, the demo world on a fresh cluster. */
  dataset?: string;
}

/** The accounts of a generated world with the largest jurisdiction (bench/generate/users.ts names them). */
const PROVINCIAL_HANDLER = 'c0-handler-1';
const PROVINCIAL_LEADER = 'c0-supervisor';

export async function benchApi(options: ApiBenchOptions = argValue('dataset') ? { dataset: argValue('dataset')! } : {}): Promise<BenchRow[]> {
  const root = await mkdtemp(path.join(tmpdir(), 'rongcuo-bench-api-'));
  await chmod(root, 0o755);
  let cluster: DrillCluster | undefined;
  let embedded: EmbeddedPostgres | undefined;
  let server: ServerProcess | undefined;
  try {
    let url: string;
    let pgbenchUrl: string;
    let accounts: { handler: [string, string]; leader: [string, string]; label: string };
    if (options.dataset) {
      embedded = await openEmbeddedPostgres(path.resolve(options.dataset), { attach: false, log: () => undefined });
      url = embedded.databaseUrl;
      const admin = new URL(url);
      admin.pathname = '/postgres';
      await ensureDatabase(admin.toString(), 'bench_pgbench');
      admin.pathname = '/bench_pgbench';
      pgbenchUrl = admin.toString();
      await resetGeneratedAccounts(url, [PROVINCIAL_HANDLER, PROVINCIAL_LEADER], BENCH_PASSWORD);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const size = await client.query<{ n: string }>('SELECT count(*)::text AS n FROM cases').finally(() => client.end());
      accounts = { handler: [PROVINCIAL_HANDLER, BENCH_PASSWORD], leader: [PROVINCIAL_LEADER, BENCH_PASSWORD], label: ` (${Number(size.rows[0]!.n).toLocaleString('en')} cases, ${PROVINCIAL_HANDLER})` };
    } else {
      cluster = new DrillCluster(await embeddedBinDir(), path.join(root, 'pg'));
      await cluster.init();
      await cluster.start();
      url = await cluster.createDatabase('bench_api');
      pgbenchUrl = await cluster.createDatabase('bench_pgbench');
      accounts = { handler: ['jiwei', DEMO_PASSWORD], leader: ['jiandu', DEMO_PASSWORD], label: '' };
    }
    // The demo world on a fresh database (none on a generated one); the per-address limit is lifted, since every
    // load comes from 127.0.0.1.
    server = await startServer({ databaseUrl: url, dataDir: path.join(root, 'data'), extra: { RONGCUO_RATE_LIMIT: '100000000', ...(options.dataset ? { RONGCUO_DEMO: '0' } : {}) } });
    return await measure(server, pgbenchUrl, root, accounts);
  } finally {
    if (server) await stopServer(server);
    await cluster?.stop();
    await embedded?.stop();
    await rm(root, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function measure(server: ServerProcess, pgbenchUrl: string, root: string, accounts: { handler: [string, string]; leader: [string, string]; label: string }): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const base = server.url;
  const address = freshAddress();
  const handler = await signIn(base, accounts.handler[0], accounts.handler[1], address);
  const leader = await signIn(base, accounts.leader[0], accounts.leader[1], freshAddress());
  const get = async (route: string, cookie = handler) => json<Record<string, unknown>>(await send(base, 'GET', route, { cookie, localAddress: address }));
  const on = accounts.label;

  // A case of the jurisdiction for the case page: the newest one under investigation (many rows hang off it).
  const listRoute = `/api/v1/cases?state=investigating,deliberated,decided,closed&limit=20`;
  const listed = (await get('/api/v1/cases?state=deliberated&limit=1')).data as { id: string }[];

  // Writes: one case per client, each client recording opinions on its own case's latest version.
  const officials = ((await get('/api/v1/officials?limit=100')).data as { id: string }[]).map((o) => o.id);
  const cases: { id: string; version: number }[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const opened = await send(base, 'POST', '/api/v1/cases', { body: { officialId: officials[i % officials.length], title: `压力测试案件${i}`, description: '用于测量写入速度。' }, cookie: handler, localAddress: address });
    const body = json<{ data: { id: string }; version: number }>(opened);
    cases.push({ id: body.data.id, version: body.version });
  }
  const writes = await writeLoad(base, handler, cases);
  const pgbench = await pgbenchTps(pgbenchUrl, root);
  rows.push({
    figure: `writes: record an opinion, ${CONNECTIONS} clients${on}`,
    value: writes.perSecond,
    unit: '/s',
    ...(pgbench ? { limit: pgbench, limitLabel: 'pgbench insert+update TPS', ratio: writes.perSecond / pgbench, target: '≥ 0.40 of pgbench', pass: writes.perSecond / pgbench >= 0.4 } : { target: 'pgbench (postgresql-15) not installed: no limit' }),
  });
  if (writes.non2xx + writes.errors > 0) rows.push({ figure: `  writes answered other than 2xx (${writes.statuses})`, value: writes.non2xx + writes.errors, unit: '', target: '= 0', pass: false });

  const health = await load(`${base}/api/health`, {});
  rows.push({ figure: `limit: GET /api/health (SELECT 1), ${CONNECTIONS} clients`, value: health.perSecond, unit: '/s' });
  const pageCase = (on ? listed[0]?.id : undefined) ?? cases[0]!.id;
  const reads: [string, string][] = [
    ['case list, filtered and paginated', listRoute],
    ['case page', `/api/v1/cases/${pageCase}`],
    ['name search, one character (张)', `/api/v1/cases?q=${encodeURIComponent('张')}&limit=20`],
  ];
  // What a user mostly types: a person's full name (the official of the page's case).
  const fullName = ((await get(`/api/v1/cases/${pageCase}`)).data as { official: { name: string } }).official.name;
  reads.push([`name search, a full name (${fullName})`, `/api/v1/cases?q=${encodeURIComponent(fullName)}&limit=20`]);
  if (on) reads.push(['events of a case', `/api/v1/cases/${pageCase}/events`], ['workbench', '/api/v1/workbench']);
  for (const [name, route] of reads) {
    const result = await load(`${base}${route}`, { cookie: handler });
    const ratio = result.perSecond / health.perSecond;
    rows.push({ figure: `reads: ${name}${on}, throughput`, value: result.perSecond, unit: '/s', limit: health.perSecond, limitLabel: 'SELECT 1 route', ratio, target: '≥ 0.50 of the SELECT 1 route', pass: ratio >= 0.5 });
    rows.push({ figure: `reads: ${name}, p50 / p99 ${result.p50.toFixed(1)} / ${result.p99.toFixed(1)} ms, p95`, value: result.p95, unit: 'ms', limit: 25, limitLabel: 'ms', ratio: result.p95 / 25, target: 'p95 < 25 ms', pass: result.p95 < 25 });
    if (result.non2xx + result.errors > 0) rows.push({ figure: `  ${name}: answers other than 2xx (${result.statuses})`, value: result.non2xx + result.errors, unit: '', target: '= 0', pass: false });
  }

  // The leaders' statistics page, one request at a time, as a leader opens it.
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const reply = await send(base, 'GET', '/api/v1/statistics', { cookie: leader });
    if (reply.status !== 200) throw new Error(`statistics answered ${reply.status}: ${reply.body.toString('utf8').slice(0, 300)}`);
    times.push(reply.ms);
  }
  times.sort((a, b) => a - b);
  const statistics = percentile(times, 50);
  rows.push({ figure: `statistics page (median of 10)${on ? on.replace(PROVINCIAL_HANDLER, PROVINCIAL_LEADER) : ''}`, value: statistics, unit: 'ms', limit: 300, limitLabel: 'ms', ratio: statistics / 300, target: '< 300 ms', pass: statistics < 300 });

  const rss = await peakRssMb(server);
  rows.push({ figure: 'server peak RSS under the write and read loads', value: rss, unit: 'MB', limit: 300, limitLabel: 'MB', ratio: rss / 300, target: '< 300 MB', pass: rss < 300 });
  return rows;
}
