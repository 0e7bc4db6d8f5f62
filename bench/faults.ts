import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { verifyChain } from '../src/audit/verify.js';
import { embeddedBinDir } from '../src/db/embedded.js';
import { DEMO_PASSWORD } from '../src/db/seed-demo.js';
import { replayCase } from '../test/helpers/case-history.js';
import {
  DrillCluster,
  evidenceUpload,
  freshAddress,
  inspect,
  json,
  kill9,
  lostAcks,
  randomPdf,
  runCli,
  scanStore,
  send,
  signIn,
  sleep,
  startServer,
  stopServer,
  storeConsistency,
  Tally,
  type Ack,
  type Reply,
  type ServerProcess,
} from './fault-kit.js';
import type { BenchRow } from './table.js';

/**
 * `npm run bench -- faults`: the drills of security.md's "Faults" table, against the real server (a child process)
 * on a PostgreSQL cluster started here (the embedded 18; `--pg15` for Debian's 15), each printing requests tried,
 * succeeded, refused with a problem document, left without an answer, and lost (acknowledged with 2xx, then
 * missing) — with the table's other figures beside them.
 *
 *   --kills=N    kill -9 cycles (default 20; `--full` runs 200, the table's "≥ 200 times")
 *   --pg-stops=N PostgreSQL `-m immediate` stops under load (default 2)
 *   --pg15       run on Debian's PostgreSQL 15 (/usr/lib/postgresql/15/bin) instead of the embedded 18
 *   --only=LIST  some of the drills: kill, pgstop, diskfull, two, brute, backup
 *
 * Everything listens on 127.0.0.1 only; simulated clients speak from addresses of 127.0.0.0/8, one each, as the
 * per-address limits of a real deployment would see separate users.
 */

interface FaultRow {
  drill: string;
  tally: Tally;
  lost: number;
  figures: string;
  pass: boolean;
}

const argValue = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const hasFlag = (name: string) => process.argv.includes(`--${name}`);
const FULL = hasFlag('full');
const KILLS = Number(argValue('kills') ?? (FULL ? 200 : 20));
const PG_STOPS = Number(argValue('pg-stops') ?? (FULL ? 5 : 2));
const PG15 = hasFlag('pg15');
/** `--only=kill,pgstop,diskfull,two,brute,backup`: a subset of the drills (backup restores the kill drill's data). */
const ONLY = argValue('only')?.split(',');
const runs = (name: string) => !ONLY || ONLY.includes(name) || (name === 'kill' && ONLY.includes('backup'));

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)]!;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

// ---------------------------------------------------------------------------------------------------------
// The setting shared by the drills: one cluster, the demo seeded once and cloned per drill

interface Setting {
  cluster: DrillCluster;
  root: string;
  /** A database and data directory (files, keys) of the seeded demo, for `clone`. */
  seed: { database: string; dataDir: string };
}

/** A copy of the seeded demo: its own database and its own files and keys. */
async function clone(setting: Setting, name: string): Promise<{ url: string; dataDir: string; database: string }> {
  const admin = inspect(setting.cluster.url());
  await sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).execute(admin.db);
  await sql.raw(`CREATE DATABASE ${name} TEMPLATE ${setting.seed.database}`).execute(admin.db);
  await admin.close();
  const dataDir = path.join(setting.root, name);
  await rm(dataDir, { recursive: true, force: true });
  await cp(setting.seed.dataDir, dataDir, { recursive: true });
  return { url: setting.cluster.url(name), dataDir, database: name };
}

interface Client {
  address: string;
  cookie: string;
}

/** One session per account and database: a TOTP code is good once, so 32 sign-ins of one account would take 16 steps. */
const sessionsByAccount = new Map<string, string>();

/** `count` clients of one account, each from its own loopback address (per-address limits see separate users). */
async function clients(server: ServerProcess, count: number, username = 'dc-jiwei'): Promise<Client[]> {
  const key = `${server.databaseUrl}|${username}`;
  if (!sessionsByAccount.has(key)) sessionsByAccount.set(key, await signIn(server.url, username, DEMO_PASSWORD, freshAddress()));
  return Array.from({ length: count }, () => ({ address: freshAddress(), cookie: sessionsByAccount.get(key)! }));
}

async function officialsOf(base: string, client: Client): Promise<string[]> {
  const reply = await send(base, 'GET', '/api/v1/officials?limit=50', { cookie: client.cookie, localAddress: client.address });
  return json<{ data: { id: string }[] }>(reply).data.map((o) => o.id);
}

let serial = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${(serial++).toString(36)}`;

/**
 * One client's work, looped until `stop()`: open a case, record evidence with attachments (a multi-step command:
 * files are written, then the rows, then the audit event), record an opinion. Every 2xx goes into the ledger.
 * With `quitOnCut`, the loop ends at the first request without an answer (the server is gone).
 */
async function workLoop(base: () => string, client: Client, officials: string[], tally: Tally, acks: Ack[], options: { stop: () => boolean; quitOnCut: boolean; attachments?: number; light?: boolean; onSuccess?: () => void }) {
  const attempt = async (call: () => Promise<Reply>) => {
    const reply = await tally.run(call);
    if (reply && reply.status >= 200 && reply.status < 300) options.onSuccess?.();
    return reply;
  };
  while (!options.stop()) {
    const opened = await attempt(() =>
      send(base(), 'POST', '/api/v1/cases', { body: { officialId: officials[Math.floor(Math.random() * officials.length)], title: unique('故障演练'), description: '故障演练中启动的案件。' }, cookie: client.cookie, localAddress: client.address }),
    );
    if (!opened) {
      if (options.quitOnCut) return;
      await sleep(50);
      continue;
    }
    if (opened.status !== 201) {
      await sleep(50);
      continue;
    }
    const { data, version } = json<{ data: { id: string }; version: number }>(opened);
    acks.push({ kind: 'case', caseId: data.id });
    let current = version;
    if (!options.light) {
      const files = Array.from({ length: options.attachments ?? 3 }, () => randomPdf(64 * 1024 + Math.floor(Math.random() * 192 * 1024)));
      const upload = evidenceUpload(current, unique('证据'), files);
      const recorded = await attempt(() => send(base(), 'POST', `/api/v1/cases/${data.id}/evidence`, { body: upload.body, headers: upload.headers, cookie: client.cookie, localAddress: client.address }));
      if (!recorded) {
        if (options.quitOnCut) return;
        continue;
      }
      if (recorded.status === 201) {
        const result = json<{ data: { id: string; attachments: { sha256: string }[] }; version: number }>(recorded);
        acks.push({ kind: 'evidence', caseId: data.id, evidenceId: result.data.id, sha256s: result.data.attachments.map((a) => a.sha256) });
        current = result.version;
      }
    }
    const source = unique('意见');
    const opinion = await attempt(() => send(base(), 'POST', `/api/v1/cases/${data.id}/opinions`, { body: { version: current, kind: 'unit', source, content: '故障演练中记录的意见。' }, cookie: client.cookie, localAddress: client.address }));
    if (!opinion) {
      if (options.quitOnCut) return;
      continue;
    }
    if (opinion.status === 200) acks.push({ kind: 'opinion', caseId: data.id, source });
  }
}

/** Replays every case's events: partial cases and illegal steps. */
async function caseProblems(url: string): Promise<{ cases: number; problems: string[] }> {
  const look = inspect(url);
  try {
    const ids = (await look.db.selectFrom('cases').select('id').execute()).map((r) => r.id);
    const problems: string[] = [];
    for (const id of ids) problems.push(...(await replayCase(look.db, id)).problems.map((p) => `${id}: ${p}`));
    // An opened-event naming a case without a row, or evidence without any attachment, is a partial write too.
    const bare = await look.db.selectFrom('evidence').select('evidence.id').where(({ not, exists, selectFrom }) => not(exists(selectFrom('evidence_attachments').select('id').whereRef('evidence_attachments.evidence_id', '=', 'evidence.id')))).execute();
    problems.push(...bare.map((e) => `evidence ${e.id} has no attachment`));
    const orphanEvents = await sql<{ n: string }>`SELECT count(*) AS n FROM events e WHERE e.case_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = e.case_id)`.execute(look.db);
    if (Number(orphanEvents.rows[0]!.n) > 0) problems.push(`${orphanEvents.rows[0]!.n} events name a case that has no row`);
    return { cases: ids.length, problems };
  } finally {
    await look.close();
  }
}

async function chainOk(url: string): Promise<boolean> {
  const look = inspect(url);
  try {
    return (await verifyChain(look.db)).ok;
  } finally {
    await look.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// The drills

async function killDrill(setting: Setting): Promise<{ row: FaultRow; database: { url: string; dataDir: string; database: string } }> {
  const target = await clone(setting, 'drill_kill');
  const filesDir = path.join(target.dataDir, 'files');
  let server = await startServer({ databaseUrl: target.url, dataDir: target.dataDir });
  const team = await clients(server, 4);
  const officials = await officialsOf(server.url, team[0]!);
  const tally = new Tally();
  const acks: Ack[] = [];
  const restartMs: number[] = [];
  let lostDuringRun = 0;
  const look = inspect(target.url);
  try {
    for (let cycle = 1; cycle <= KILLS; cycle++) {
      let stopped = false;
      const base = server.url;
      const loops = team.map((client) => workLoop(() => base, client, officials, tally, acks, { stop: () => stopped, quitOnCut: true }));
      // A random moment: inside an upload's file writes, its transaction, its commit, or between commands.
      await sleep(100 + Math.random() * 1400);
      await kill9(server);
      stopped = true;
      await Promise.all(loops);
      const started = performance.now();
      server = await startServer({ databaseUrl: target.url, dataDir: target.dataDir });
      restartMs.push(performance.now() - started);
      // Checked after every restart: what was acknowledged before this kill is there.
      lostDuringRun = Math.max(lostDuringRun, (await lostAcks(look.db, filesDir, acks)).lost);
      if (cycle % 20 === 0) process.stderr.write(`  kill -9: ${cycle}/${KILLS}\n`);
    }
  } finally {
    await stopServer(server);
  }
  const lost = await lostAcks(look.db, filesDir, acks);
  const store = await storeConsistency(look.db, filesDir);
  await look.close();
  const cases = await caseProblems(target.url);
  // Cleanup by the product's own sweep, the server stopped (so no grace period is needed): partial temporary files
  // of writes cut short, and stored files of uploads whose transaction never committed.
  const sweep = await runCli(['sweep-files', '--grace-minutes=0'], { DATABASE_URL: target.url, RONGCUO_DATA: target.dataDir });
  if (sweep.code !== 0) process.stderr.write(`  kill -9: sweep-files failed: ${sweep.output}\n`);
  const afterLook = inspect(target.url);
  const after = await storeConsistency(afterLook.db, filesDir);
  await afterLook.close();
  const chain = await chainOk(target.url);
  for (const detail of [...lost.details, ...cases.problems].slice(0, 10)) process.stderr.write(`  kill -9: ${detail}\n`);
  return {
    database: target,
    row: {
      drill: `kill -9 of the server × ${KILLS} (4 clients: open case, evidence with 3 attachments, opinion)`,
      tally,
      lost: Math.max(lost.lost, lostDuringRun),
      figures:
        `partial cases ${cases.problems.length} (of ${cases.cases}); rows → missing files ${store.missing}; ` +
        `after \`rongcuo sweep-files\`: temp files ${store.temporary} → ${after.temporary}, orphan files ${store.orphans} → ${after.orphans}; ` +
        `chain ${chain ? 'verifies' : 'BROKEN'}; restart median ${seconds(median(restartMs))}`,
      pass: lost.lost === 0 && lostDuringRun === 0 && cases.problems.length === 0 && store.missing === 0 && after.temporary === 0 && after.orphans === 0 && after.missing === 0 && sweep.code === 0 && chain,
    },
  };
}

async function postgresStopDrill(setting: Setting): Promise<FaultRow> {
  const target = await clone(setting, 'drill_pgstop');
  const filesDir = path.join(target.dataDir, 'files');
  const server = await startServer({ databaseUrl: target.url, dataDir: target.dataDir });
  const team = await clients(server, 4);
  const officials = await officialsOf(server.url, team[0]!);
  const tally = new Tally();
  const acks: Ack[] = [];
  let lastSuccess = 0;
  let stopped = false;
  // Two clients with short commands, two with uploads (a transaction held open while files are written).
  const loops = team.map((client, i) => workLoop(() => server.url, client, officials, tally, acks, { stop: () => stopped, quitOnCut: false, light: i < 2, attachments: 1, onSuccess: () => (lastSuccess = performance.now()) }));
  const pgReady: number[] = [];
  const recovery: number[] = [];
  let serverDied = false;
  try {
    for (let i = 0; i < PG_STOPS; i++) {
      await sleep(1500);
      setting.cluster.stopImmediate();
      // Two seconds without a database, under load.
      await sleep(2000);
      const restartedAt = performance.now();
      pgReady.push(await setting.cluster.start());
      const deadline = restartedAt + 60_000;
      while (lastSuccess < restartedAt && performance.now() < deadline) await sleep(10);
      recovery.push(lastSuccess >= restartedAt ? lastSuccess - restartedAt : NaN);
      if (server.child.exitCode !== null || server.child.signalCode !== null) {
        serverDied = true;
        process.stderr.write(`  pg stop: the server exited (${server.child.exitCode ?? server.child.signalCode}):\n${server.output().split('\n').slice(-30).join('\n')}\n`);
        break;
      }
    }
    await sleep(1500);
  } finally {
    stopped = true;
    await Promise.all(loops);
    await stopServer(server);
  }
  const look = inspect(target.url);
  const lost = await lostAcks(look.db, filesDir, acks);
  await look.close();
  const cases = await caseProblems(target.url);
  const chain = await chainOk(target.url);
  for (const detail of [...lost.details, ...cases.problems].slice(0, 10)) process.stderr.write(`  pg stop: ${detail}\n`);
  return {
    drill: `PostgreSQL pg_ctl stop -m immediate × ${PG_STOPS}, 2 s down, under load (4 clients, 2 of them uploading)`,
    tally,
    lost: lost.lost,
    figures:
      `2xx for uncommitted work ${lost.lost}; PostgreSQL ready after restart ${pgReady.map(seconds).join(', ')}; first 2xx write after restart ${recovery.map(seconds).join(', ')}; ` +
      `server ${serverDied ? 'DIED' : 'stayed up'}; partial cases ${cases.problems.length}; chain ${chain ? 'verifies' : 'BROKEN'}`,
    pass: lost.lost === 0 && !serverDied && cases.problems.length === 0 && chain && recovery.every(Number.isFinite),
  };
}

async function diskFullDrill(setting: Setting): Promise<FaultRow> {
  const target = await clone(setting, 'drill_diskfull');
  const filesDir = path.join(target.dataDir, 'files');
  // The demo's documents first, then 2 MB free: the attachment volume as a small tmpfs.
  const seeded = path.join(target.dataDir, 'files.seed');
  await rename(filesDir, seeded);
  await mkdir(filesDir);
  const usedKb = Number(execFileSync('du', ['-sk', seeded], { encoding: 'utf8' }).split('\t')[0]);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${usedKb + 2048}k,mode=0700`, 'tmpfs', filesDir]).status === 0;
  if (!mounted) {
    await rm(filesDir, { recursive: true, force: true });
    await rename(seeded, filesDir);
    return { drill: 'attachment volume full (tmpfs)', tally: new Tally(), lost: 0, figures: 'NOT RUN: mount -t tmpfs failed (needs root / CAP_SYS_ADMIN); run the bench as root', pass: false };
  }
  const tally = new Tally();
  const acks: Ack[] = [];
  let unmountOk = false;
  let answersWhenFull = '';
  let healthyAfter = false;
  try {
    await cp(seeded, filesDir, { recursive: true });
    const free = Number(execFileSync('df', ['-k', '--output=avail', filesDir], { encoding: 'utf8' }).split('\n')[1]);
    const server = await startServer({ databaseUrl: target.url, dataDir: target.dataDir });
    try {
      const [client] = await clients(server, 1);
      const officials = await officialsOf(server.url, client!);
      const opened = json<{ data: { id: string }; version: number }>(await send(server.url, 'POST', '/api/v1/cases', { body: { officialId: officials[0], title: unique('磁盘满'), description: '附件卷写满演练。' }, cookie: client!.cookie, localAddress: client!.address }));
      acks.push({ kind: 'case', caseId: opened.data.id });
      let version = opened.version;
      let failures = 0;
      for (let attempt = 0; attempt < 40 && failures < 6; attempt++) {
        const files = [randomPdf(200 * 1024), randomPdf(200 * 1024)];
        const upload = evidenceUpload(version, unique('证据'), files);
        const reply = await tally.run(() => send(server.url, 'POST', `/api/v1/cases/${opened.data.id}/evidence`, { body: upload.body, headers: upload.headers, cookie: client!.cookie, localAddress: client!.address }));
        if (reply?.status === 201) {
          const result = json<{ data: { id: string; attachments: { sha256: string }[] }; version: number }>(reply);
          acks.push({ kind: 'evidence', caseId: opened.data.id, evidenceId: result.data.id, sha256s: result.data.attachments.map((a) => a.sha256) });
          version = result.version;
          failures = 0;
        } else {
          failures++;
          if (reply && !answersWhenFull) answersWhenFull = `${reply.status} ${json<{ code?: string }>(reply).code ?? ''}`;
        }
      }
      // Every acknowledged attachment reads back whole (the store checks its hash), and the server still answers.
      const look = inspect(target.url);
      for (const ack of acks) {
        if (ack.kind !== 'evidence') continue;
        const rows = await look.db.selectFrom('evidence_attachments').select('id').where('evidence_id', '=', ack.evidenceId).execute();
        for (const row of rows) {
          const download = await send(server.url, 'GET', `/api/v1/cases/${ack.caseId}/evidence/${ack.evidenceId}/attachments/${row.id}`, { cookie: client!.cookie, localAddress: client!.address });
          if (download.status !== 200) acks.push({ kind: 'opinion', caseId: ack.caseId, source: `(attachment ${row.id} unreadable: ${download.status})` });
        }
      }
      await look.close();
      healthyAfter = (await send(server.url, 'GET', '/api/health')).status === 200;
      const look2 = inspect(target.url);
      const store = await storeConsistency(look2.db, filesDir);
      const lost = await lostAcks(look2.db, filesDir, acks);
      await look2.close();
      const chain = await chainOk(target.url);
      return {
        drill: `attachment volume full (tmpfs, ${Math.round(free / 1024)} MB free; uploads of 2 × 200 KB)`,
        tally,
        lost: lost.lost,
        figures: `answer when full: ${answersWhenFull || '—'}; partial (temporary) files ${store.temporary}; rows → missing files ${store.missing}; unreferenced stored files ${store.orphans}; server ${healthyAfter ? 'still answers' : 'DOWN'}; chain ${chain ? 'verifies' : 'BROKEN'}`,
        pass: lost.lost === 0 && store.temporary === 0 && store.missing === 0 && healthyAfter && chain && tally.unclean === 0,
      };
    } finally {
      await stopServer(server);
    }
  } finally {
    unmountOk = spawnSync('umount', [filesDir]).status === 0;
    if (!unmountOk) process.stderr.write(`  could not unmount ${filesDir}\n`);
  }
}

async function twoInstanceDrill(setting: Setting): Promise<FaultRow> {
  const target = await clone(setting, 'drill_two');
  const servers = [await startServer({ databaseUrl: target.url, dataDir: target.dataDir }), await startServer({ databaseUrl: target.url, dataDir: target.dataDir })];
  const tally = new Tally();
  let multipleWinners = 0;
  let rounds = 0;
  const acks: Ack[] = [];
  const touched: string[] = [];
  try {
    const [opener] = await clients(servers[0]!, 1);
    const officials = await officialsOf(servers[0]!.url, opener!);
    for (const n of [2, 8, 32]) {
      const team = await clients(servers[0]!, n);
      const opened = json<{ data: { id: string }; version: number }>(await send(servers[0]!.url, 'POST', '/api/v1/cases', { body: { officialId: officials[0], title: unique('两实例'), description: '两个实例上的冲突写入。' }, cookie: opener!.cookie, localAddress: opener!.address }));
      touched.push(opened.data.id);
      let version = opened.version;
      for (let round = 0; round < 5; round++) {
        rounds++;
        const sources = team.map(() => unique('冲突意见'));
        const replies = await Promise.all(
          team.map((client, i) =>
            tally.run(() => send(servers[i % 2]!.url, 'POST', `/api/v1/cases/${opened.data.id}/opinions`, { body: { version, kind: 'unit', source: sources[i], content: '冲突写入。' }, cookie: client.cookie, localAddress: client.address })),
          ),
        );
        const winners = replies.flatMap((r, i) => (r?.status === 200 ? [i] : []));
        if (winners.length !== 1) multipleWinners++;
        for (const i of winners) acks.push({ kind: 'opinion', caseId: opened.data.id, source: sources[i]! });
        if (winners.length > 0) version = json<{ version: number }>(replies[winners[0]!]!).version;
      }
    }
    // Conflicting state changes on the demo's cases that wait for service or approval, from both instances at once.
    const look = inspect(target.url);
    const waiting = await look.db
      .selectFrom('cases')
      .innerJoin('user_roles', (j) => j.onRef('user_roles.organization_id', '=', 'cases.organ_id').on('user_roles.role', '=', 'handler'))
      .innerJoin('users', 'users.id', 'user_roles.user_id')
      .select(['cases.id', 'cases.state', 'cases.version', 'users.username'])
      .where('cases.state', 'in', ['decided', 'awaiting-approval'])
      .execute();
    await look.close();
    for (const kase of waiting) {
      touched.push(kase.id);
      rounds++;
      const isApproval = kase.state === 'awaiting-approval';
      const team = isApproval ? [...(await clients(servers[0]!, 2, 'jiwei-sp')), ...(await clients(servers[0]!, 2, 'shiwei-sp'))] : await clients(servers[0]!, 4, kase.username);
      const replies = await Promise.all(
        team.map((client, i) =>
          tally.run(() =>
            send(servers[i % 2]!.url, 'POST', `/api/v1/cases/${kase.id}/${isApproval ? 'decision/approval' : 'service'}`, {
              body: isApproval ? { version: kase.version, approve: i % 2 === 0, ...(i % 2 === 0 ? {} : { note: '请补充材料。' }) } : { version: kase.version, explanationToOfficial: `说明${i}`, explanationToPartyOrg: `说明${i}` },
              cookie: client.cookie,
              localAddress: client.address,
            }),
          ),
        ),
      );
      if (replies.filter((r) => r?.status === 200).length > 1) multipleWinners++;
    }
  } finally {
    for (const server of servers) await stopServer(server);
  }
  const look = inspect(target.url);
  const lost = await lostAcks(look.db, path.join(target.dataDir, 'files'), acks);
  const illegal: string[] = [];
  for (const id of touched) illegal.push(...(await replayCase(look.db, id)).problems);
  await look.close();
  const chain = await chainOk(target.url);
  for (const detail of [...lost.details, ...illegal].slice(0, 10)) process.stderr.write(`  two instances: ${detail}\n`);
  return {
    drill: 'two instances on one PostgreSQL, conflicting writes (2/8/32 clients × 5 rounds, plus service/approval races)',
    tally,
    lost: lost.lost,
    figures: `rounds ${rounds}, rounds with ≠ 1 winner ${multipleWinners}; lost updates ${lost.lost}; illegal transitions ${illegal.length}; chain ${chain ? 'verifies' : 'BROKEN'}; answers ${tally.statusText()}`,
    pass: lost.lost === 0 && illegal.length === 0 && multipleWinners === 0 && chain,
  };
}

/** Runs hydra against the sign-in route; returns the tries it reports and the passwords it claims to have found. */
function hydra(port: number, args: string[]): { tries: number; found: number; output: string } | undefined {
  if (spawnSync('which', ['hydra']).status !== 0) return undefined;
  // The header before the condition: hydra 9.4 misreads a condition followed by an option with an escaped colon.
  const form = '/api/v1/session:{"username"\\:"^USER^","password"\\:"^PASS^"}:H=Content-Type\\: application/json:S=rongcuo_session';
  const run = spawnSync('hydra', [...args, '-s', String(port), '-I', '-t', '4', '-w', '10', '127.0.0.1', 'http-post-form', form], { encoding: 'utf8', timeout: 300_000 });
  const output = `${run.stdout}${run.stderr}`;
  const tries = Number(/(\d+) login tr(?:y|ies)/.exec(output)?.[1] ?? NaN);
  const found = Number(/(\d+) valid passwords? found/.exec(output)?.[1] ?? NaN);
  return { tries, found, output };
}

async function bruteForceDrill(setting: Setting): Promise<FaultRow[]> {
  const target = await clone(setting, 'drill_brute');
  const server = await startServer({ databaseUrl: target.url, dataDir: target.dataDir });
  const port = Number(new URL(server.url).port);
  const look = inspect(target.url);
  const events = async (type: string) => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM events WHERE type = ${type}`.execute(look.db)).rows[0]!.n);
  const rows: FaultRow[] = [];
  try {
    const dir = await mkdtemp(path.join(tmpdir(), 'rongcuo-hydra-'));
    // One account from 127.0.0.1: 11 wrong passwords, then the right one, then more wrong ones.
    const passwords = [...Array.from({ length: 11 }, (_, i) => `wrong-${i}`), DEMO_PASSWORD, ...Array.from({ length: 18 }, (_, i) => `wrong-${i + 11}`)];
    await writeFile(path.join(dir, 'passwords.txt'), `${passwords.join('\n')}\n`);
    const users = ['jiwei', 'jiwei-fc', 'dc-jiwei', 'xc-jiwei', 'jiwei-sp', 'shiwei-sp', 'zhuanjia', 'zuzhibu', 'jiandu', 'xuanchuan', 'admin', 'nobody-1', 'nobody-2'];
    await writeFile(path.join(dir, 'users.txt'), `${users.join('\n')}\n`);
    for (const [label, args] of [
      ['one account (dc-jiwei), 30 passwords, the right one 12th', ['-l', 'dc-jiwei', '-P', path.join(dir, 'passwords.txt')]],
      [`${users.length} accounts × 2 wrong passwords`, ['-L', path.join(dir, 'users.txt'), '-p', 'wrong-password', '-e', 'n']],
    ] as const) {
      // A fresh minute for each attack: the per-address limit counts sign-ins per address and minute.
      if (label.includes('accounts')) await sleep(61_000);
      const failedBefore = await events('user.sign-in-failed');
      const signedBefore = await events('user.signed-in');
      const tally = new Tally();
      const attack = hydra(port, [...args]);
      let tries: number;
      let found: number;
      if (attack && Number.isFinite(attack.tries)) {
        tries = attack.tries;
        found = attack.found;
      } else {
        // Without hydra: the same attempts from one address, in order.
        const attempts = label.startsWith('one') ? passwords.map((p) => ['dc-jiwei', p]) : users.flatMap((u) => [[u, 'wrong-password'], [u, '']]);
        for (const [username, password] of attempts) await tally.run(() => send(server.url, 'POST', '/api/v1/session', { body: { username, password }, localAddress: '127.0.0.1' }));
        tries = attempts.length;
        found = tally.succeeded;
      }
      // What reached the password check (audited either way), and what the per-address limit turned away.
      const failed = (await events('user.sign-in-failed')) - failedBefore;
      const signed = (await events('user.signed-in')) - signedBefore;
      tally.tried = tries;
      tally.succeeded = signed;
      tally.refused = tries - signed;
      rows.push({
        drill: `brute force with ${attack ? 'hydra' : 'a request loop'} from 127.0.0.1: ${label}`,
        tally,
        lost: 0,
        figures: `checked ${failed + signed} (audited failures ${failed}, sign-ins ${signed}), not checked ${tries - failed - signed} (429 from the per-address limit of 10 a minute; 400 for an empty password); passwords found ${found}`,
        pass: signed === 0 && tries - failed - signed > 0,
      });
    }

    // Lockout: five wrong passwords for one account from five addresses (past any per-address limit), then the right one.
    const lockTally = new Tally();
    for (let i = 0; i < 5; i++) await lockTally.run(() => send(server.url, 'POST', '/api/v1/session', { body: { username: 'xc-cy5', password: `wrong-${i}` }, localAddress: freshAddress() }));
    const right = await lockTally.run(() => send(server.url, 'POST', '/api/v1/session', { body: { username: 'xc-cy5', password: DEMO_PASSWORD }, localAddress: freshAddress() }));
    const locked = right?.status !== 200;

    // Timing: unknown user against wrong password, alternating, each from a fresh address (no rate limit in the way),
    // the wrong passwords spread over many accounts (at most four each, below a five-failure lockout).
    const accounts = (await look.db.selectFrom('users').select('username').execute()).map((u) => u.username).filter((u) => u !== 'xc-cy5');
    const unknown: number[] = [];
    const wrong: number[] = [];
    const timingTally = new Tally();
    for (let i = 0; i < 120; i++) {
      const u = await timingTally.run(() => send(server.url, 'POST', '/api/v1/session', { body: { username: `nobody-${i}-${process.pid}`, password: 'wrong-password' }, localAddress: freshAddress() }));
      const w = await timingTally.run(() => send(server.url, 'POST', '/api/v1/session', { body: { username: accounts[i % accounts.length], password: 'wrong-password' }, localAddress: freshAddress() }));
      if (u?.status === 401) unknown.push(u.ms);
      if (w?.status === 401) wrong.push(w.ms);
    }
    const gap = Math.abs(median(unknown) - median(wrong));
    rows.push({
      drill: 'account lockout: 5 wrong passwords for one account from 5 addresses, then the right one from a 6th',
      tally: lockTally,
      lost: 0,
      figures: `right password after 5 failures: ${right?.status ?? 'no answer'} → lockout ${locked ? 'holds' : 'ABSENT (this build has no lockout)'}`,
      pass: locked,
    });
    rows.push({
      drill: 'timing: 120 unknown-user vs 120 wrong-password sign-ins, each from a fresh address',
      tally: timingTally,
      lost: 0,
      figures: `median unknown user ${median(unknown).toFixed(1)} ms, wrong password ${median(wrong).toFixed(1)} ms, gap ${gap.toFixed(2)} ms (target < 5 ms)`,
      pass: gap < 5 && unknown.length > 100 && wrong.length > 100,
    });
  } finally {
    await look.close();
    await stopServer(server);
  }
  return rows;
}

/** Row counts and a content hash per table (the rows' text, sorted), for comparing a restore with its source. */
async function tableDigests(url: string): Promise<Map<string, string>> {
  const look = inspect(url);
  try {
    const tables = await sql<{ tablename: string }>`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`.execute(look.db);
    const out = new Map<string, string>();
    for (const { tablename } of tables.rows) {
      const r = await sql<{ n: string; h: string }>`SELECT count(*) AS n, md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) AS h FROM ${sql.table(tablename)} t`.execute(look.db);
      out.set(tablename, `${r.rows[0]!.n} rows ${r.rows[0]!.h}`);
    }
    return out;
  } finally {
    await look.close();
  }
}

async function backupDrill(setting: Setting, source: { url: string; dataDir: string; database: string }): Promise<FaultRow> {
  const env = { DATABASE_URL: source.url, RONGCUO_DATA: source.dataDir };
  const filesDir = path.join(source.dataDir, 'files');
  const before = await tableDigests(source.url);
  // The files the database names: a backup carries those, not the unreferenced leftovers of rolled-back uploads.
  const named = inspect(source.url);
  const filesBefore = (await named.db.selectFrom('files').select('sha256').orderBy('sha256').execute()).map((r) => r.sha256);
  await named.close();
  const file = path.join(setting.root, `drill-${Date.now()}.rcbak`);
  const tally = new Tally();
  const backup = await runCli(['backup', file], env);
  tally.tried++;
  if (backup.code === 0) tally.succeeded++;
  // Destroy: the database and every stored file; only the key file (kept apart from backups) survives.
  await setting.cluster.dropDatabase(source.database);
  await setting.cluster.createDatabase(source.database);
  await rm(filesDir, { recursive: true, force: true });
  const restore = await runCli(['restore', file], env);
  tally.tried++;
  if (restore.code === 0) tally.succeeded++;
  const after = await tableDigests(source.url);
  const stored = (await scanStore(filesDir)).content;
  const filesAfter = filesBefore.filter((sha) => stored.has(sha));
  const differing = [...new Set([...before.keys(), ...after.keys()])].filter((t) => before.get(t) !== after.get(t));
  const verify = await runCli(['verify'], env);
  const rows = [...before.values()].reduce((sum, v) => sum + Number(v.split(' ')[0]), 0);
  if (backup.code !== 0 || restore.code !== 0) process.stderr.write(`  backup: ${backup.output}\n  restore: ${restore.output}\n`);
  for (const t of differing) process.stderr.write(`  backup: table ${t} differs: ${before.get(t)} → ${after.get(t)}\n`);
  return {
    drill: 'backup → destroy (drop database, delete files) → restore',
    tally,
    lost: differing.length + (filesBefore.join() === filesAfter.join() ? 0 : 1),
    figures: `backup exit ${backup.code}, restore exit ${restore.code}; ${before.size} tables, ${rows} rows, ${filesBefore.length} files; tables with different counts or content hashes ${differing.length}${differing.length ? ` (${differing.join(', ')})` : ''}; files ${filesBefore.join() === filesAfter.join() ? 'identical' : 'DIFFER'}; rongcuo verify exit ${verify.code}`,
    pass: backup.code === 0 && restore.code === 0 && differing.length === 0 && filesBefore.join() === filesAfter.join() && verify.code === 0,
  };
}

// ---------------------------------------------------------------------------------------------------------

function formatFaultTable(rows: FaultRow[]): string {
  const header = ['drill', 'tried', 'succeeded', 'failed cleanly', 'no answer', 'lost', 'pass', 'other figures'];
  const cells = rows.map((r) => [r.drill, String(r.tally.tried), String(r.tally.succeeded), String(r.tally.refused), String(r.tally.cut), String(r.lost), r.pass ? 'pass' : 'FAIL', r.figures + (r.tally.unclean ? `; answers not in problem form ${r.tally.unclean}` : '')]);
  const widths = header.map((h, i) => (i === header.length - 1 ? 0 : Math.max(h.length, ...cells.map((c) => c[i]!.length))));
  const line = (c: string[]) => c.map((cell, i) => (i === c.length - 1 ? cell : i >= 1 && i <= 5 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ');
  return [line(header), widths.map((w, i) => (i === widths.length - 1 ? '-'.repeat(13) : '-'.repeat(w))).join('-|-'), ...cells.map(line)].join('\n');
}

export async function benchFaults(): Promise<BenchRow[]> {
  const started = performance.now();
  const root = await mkdtemp(path.join(tmpdir(), 'rongcuo-faults-'));
  const { chmod } = await import('node:fs/promises');
  await chmod(root, 0o755);
  const binDir = PG15 ? '/usr/lib/postgresql/15/bin' : await embeddedBinDir();
  if (!existsSync(path.join(binDir, 'postgres'))) throw new Error(`no PostgreSQL at ${binDir}`);
  const cluster = new DrillCluster(binDir, path.join(root, 'pg'));
  await cluster.init();
  await cluster.start();
  const rows: FaultRow[] = [];
  try {
    // The demo, seeded once by a first start of the server, then cloned for every drill.
    const seedDir = path.join(root, 'seed');
    const seedUrl = await cluster.createDatabase('drill_seed');
    process.stderr.write(`faults: PostgreSQL ${PG15 ? '15 (Debian)' : '18 (embedded)'} on 127.0.0.1:${cluster.port}; seeding the demo…\n`);
    await stopServer(await startServer({ databaseUrl: seedUrl, dataDir: seedDir }));
    const setting: Setting = { cluster, root, seed: { database: 'drill_seed', dataDir: seedDir } };

    let kill: Awaited<ReturnType<typeof killDrill>> | undefined;
    if (runs('kill')) {
      process.stderr.write(`faults: kill -9 × ${KILLS}…\n`);
      kill = await killDrill(setting);
      rows.push(kill.row);
    }
    if (runs('pgstop')) {
      process.stderr.write(`faults: PostgreSQL stop -m immediate × ${PG_STOPS}…\n`);
      rows.push(await postgresStopDrill(setting));
    }
    if (runs('diskfull')) {
      process.stderr.write('faults: attachment volume full…\n');
      rows.push(await diskFullDrill(setting));
    }
    if (runs('two')) {
      process.stderr.write('faults: two instances…\n');
      rows.push(await twoInstanceDrill(setting));
    }
    if (runs('brute')) {
      process.stderr.write('faults: brute force…\n');
      rows.push(...(await bruteForceDrill(setting)));
    }
    if (runs('backup') && kill) {
      process.stderr.write('faults: backup → destroy → restore…\n');
      rows.push(await backupDrill(setting, kill.database));
    }
  } finally {
    await cluster.stop();
    await rm(root, { recursive: true, force: true }).catch(() => undefined);
  }
  console.log(`\nFault drills (security.md, "Faults"), ${((performance.now() - started) / 1000).toFixed(0)} s:\n`);
  console.log(formatFaultTable(rows));
  console.log('');
  return rows.map((r) => ({ figure: `faults: ${r.drill.split(' (')[0]} — lost`, value: r.lost, unit: '', limit: 0, limitLabel: 'lost', target: '= 0, and every figure of the drill', pass: r.pass }));
}

export { formatFaultTable, type FaultRow, type ServerProcess };
