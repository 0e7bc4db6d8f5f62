import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { embeddedBinDir } from '../src/db/embedded.js';
import { DEMO_PASSWORD } from '../src/db/seed-demo.js';
import { DrillCluster, freshAddress, json, send, signIn, startServer, stopServer, type ServerProcess } from './fault-kit.js';
import type { BenchRow } from './table.js';

/**
 * `npm run bench -- api`: the server under load over HTTP (autocannon, 127.0.0.1 only, bounded in time), each
 * figure beside a limit measured in the same run on the same PostgreSQL:
 * - writes: a case command (record an opinion) per second at 16 concurrent clients, each on its own case, against
 *   pgbench running the equivalent transaction (insert one row, update one row) at 16 clients;
 * - reads: the case list (filtered, paginated), the case page and a name search — p50/p95/p99 and requests per
 *   second — against the server's own route that runs only `SELECT 1` (/api/health);
 * - the leaders' statistics page; the server's peak RSS under these loads.
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
  latencies.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    perSecond: result.requests.total / SECONDS,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statuses: [...statuses].map(([status, n]) => `${status}×${n}`).join(' '),
  };
}

/** pgbench: the same shape of write as recording an opinion (one insert, one version update), 16 clients. */
export async function pgbenchTps(cluster: DrillCluster, root: string): Promise<number | undefined> {
  if (!existsSync(PGBENCH)) return undefined;
  const url = await cluster.createDatabase('bench_pgbench');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
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
  latencies.sort((a, b) => a - b);
  const ok = statuses.get(200) ?? 0;
  return {
    requests: latencies.length,
    perSecond: ok / SECONDS,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors,
    non2xx: latencies.length - ok,
    statuses: [...statuses].map(([status, n]) => `${status}×${n}`).join(' '),
  };
}

export async function benchApi(): Promise<BenchRow[]> {
  const root = await mkdtemp(path.join(tmpdir(), 'rongcuo-bench-api-'));
  await chmod(root, 0o755);
  const cluster = new DrillCluster(await embeddedBinDir(), path.join(root, 'pg'));
  await cluster.init();
  await cluster.start();
  const rows: BenchRow[] = [];
  let server: ServerProcess | undefined;
  try {
    const url = await cluster.createDatabase('bench_api');
    // The demo world; the per-address limit is lifted, since every load comes from 127.0.0.1.
    server = await startServer({ databaseUrl: url, dataDir: path.join(root, 'data'), extra: { RONGCUO_RATE_LIMIT: '100000000' } });
    const base = server.url;
    const address = freshAddress();
    const handler = await signIn(base, 'jiwei', DEMO_PASSWORD, address);
    const leader = await signIn(base, 'jiwei-sp', DEMO_PASSWORD, freshAddress());
    const get = async (route: string, cookie = handler) => json<Record<string, unknown>>(await send(base, 'GET', route, { cookie, localAddress: address }));

    // Writes: one case per client, each client recording opinions on its own case's latest version.
    const officials = ((await get('/api/v1/officials?limit=100')).data as { id: string }[]).map((o) => o.id);
    const cases: { id: string; version: number }[] = [];
    for (let i = 0; i < CONNECTIONS; i++) {
      const opened = await send(base, 'POST', '/api/v1/cases', { body: { officialId: officials[i % officials.length], title: `压力测试案件${i}`, description: '用于测量写入速度。' }, cookie: handler, localAddress: address });
      const body = json<{ data: { id: string }; version: number }>(opened);
      cases.push({ id: body.data.id, version: body.version });
    }
    const writes = await writeLoad(base, handler, cases);
    const pgbench = await pgbenchTps(cluster, root);
    rows.push({
      figure: `writes: record an opinion, ${CONNECTIONS} clients`,
      value: writes.perSecond,
      unit: '/s',
      ...(pgbench ? { limit: pgbench, limitLabel: 'pgbench insert+update TPS', ratio: writes.perSecond / pgbench, target: '≥ 0.40 of pgbench', pass: writes.perSecond / pgbench >= 0.4 } : { target: 'pgbench (postgresql-15) not installed: no limit' }),
    });
    if (writes.non2xx + writes.errors > 0) rows.push({ figure: `  writes answered other than 2xx (${writes.statuses})`, value: writes.non2xx + writes.errors, unit: '', target: '= 0', pass: false });

    const health = await load(`${base}/api/health`, {});
    rows.push({ figure: `limit: GET /api/health (SELECT 1), ${CONNECTIONS} clients`, value: health.perSecond, unit: '/s' });
    const reads: [string, string][] = [
      ['case list, filtered and paginated', `/api/v1/cases?state=investigating,deliberated,decided,closed&limit=20`],
      ['case page', `/api/v1/cases/${cases[0]!.id}`],
      ['name search', `/api/v1/cases?q=${encodeURIComponent('张')}&limit=20`],
    ];
    for (const [name, route] of reads) {
      const result = await load(`${base}${route}`, { cookie: handler });
      const ratio = result.perSecond / health.perSecond;
      rows.push({ figure: `reads: ${name}, throughput`, value: result.perSecond, unit: '/s', limit: health.perSecond, limitLabel: 'SELECT 1 route', ratio, target: '≥ 0.50 of the SELECT 1 route', pass: ratio >= 0.5 });
      rows.push({ figure: `reads: ${name}, p50 / p99 ${result.p50} / ${result.p99} ms, p95`, value: result.p95, unit: 'ms', limit: 25, limitLabel: 'ms', ratio: result.p95 / 25, target: 'p95 < 25 ms', pass: result.p95 < 25 });
      if (result.non2xx + result.errors > 0) rows.push({ figure: `  ${name}: answers other than 2xx (${result.statuses})`, value: result.non2xx + result.errors, unit: '', target: '= 0', pass: false });
    }

    // The leaders' statistics page, one request at a time, as a leader opens it.
    const times: number[] = [];
    for (let i = 0; i < 10; i++) times.push((await send(base, 'GET', '/api/v1/statistics', { cookie: leader })).ms);
    times.sort((a, b) => a - b);
    const statistics = percentile(times, 50);
    rows.push({ figure: 'statistics page (median of 10)', value: statistics, unit: 'ms', limit: 300, limitLabel: 'ms', ratio: statistics / 300, target: '< 300 ms', pass: statistics < 300 });

    const rss = await peakRssMb(server);
    rows.push({ figure: 'server peak RSS under the write and read loads', value: rss, unit: 'MB', limit: 300, limitLabel: 'MB', ratio: rss / 300, target: '< 300 MB', pass: rss < 300 });
  } finally {
    if (server) await stopServer(server);
    await cluster.stop();
    await rm(root, { recursive: true, force: true }).catch(() => undefined);
  }
  return rows;
}
