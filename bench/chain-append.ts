import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { appendEvent } from '../src/audit/chain.js';
import { EventChainer, withRequestEventQueue } from '../src/audit/event-queue.js';
import { connectDatabase, type Db } from '../src/db/connect.js';
import { embeddedBinDir } from '../src/db/embedded.js';
import { migrate } from '../src/db/migrate.js';
import { CONNECTIONS, pgbenchTps, SECONDS } from './api.js';
import { DrillCluster } from './fault-kit.js';
import type { BenchRow } from './table.js';

/**
 * `npm run bench -- append`: what the audit chain's single head costs the writes. A command that appends its
 * event in its own transaction holds the head row's lock until it commits (src/audit/chain.ts), so no two
 * writes share a commit and the chain caps writes at one connection's commit rate; requests instead queue their
 * events and chain them in groups (src/audit/event-queue.ts). Measured here without HTTP, on one PostgreSQL, at
 * 16 connections from Node: the same insert+update transaction pgbench runs in the `api` suite, alone, with an
 * event appended through the head, and with the event queued and chained in groups.
 */
export async function benchChainAppend(): Promise<BenchRow[]> {
  const root = await mkdtemp(path.join(tmpdir(), 'rongcuo-bench-append-'));
  await chmod(root, 0o755);
  const cluster = new DrillCluster(await embeddedBinDir(), path.join(root, 'pg'));
  await cluster.init();
  await cluster.start();
  const rows: BenchRow[] = [];
  try {
    const url = await cluster.createDatabase('bench_append');
    const handle = connectDatabase(url, { max: CONNECTIONS });
    try {
      await migrate(handle.pool);
      await sql`CREATE TABLE bench_case (id int PRIMARY KEY, version int NOT NULL DEFAULT 1)`.execute(handle.db);
      await sql`CREATE TABLE bench_opinion (id bigserial PRIMARY KEY, case_id int NOT NULL REFERENCES bench_case (id), source text NOT NULL, content text NOT NULL, at timestamptz NOT NULL DEFAULT now())`.execute(handle.db);
      await sql`INSERT INTO bench_case (id) SELECT generate_series(1, ${CONNECTIONS}::int)`.execute(handle.db);

      const plain = await transactionsPerSecond(handle.db, 'none');
      const chained = await transactionsPerSecond(handle.db, 'head');
      const grouped = await transactionsPerSecond(handle.db, 'queue');
      const pgbench = await pgbenchTps(await cluster.createDatabase('bench_pgbench'), root);
      rows.push({ figure: `chain: insert+update from Node, ${CONNECTIONS} connections, no event`, value: plain, unit: 'tx/s', ...(pgbench ? { limit: pgbench, limitLabel: 'pgbench TPS', ratio: plain / pgbench } : {}) });
      rows.push({
        figure: `chain: the same with an event appended through the head`,
        value: chained,
        unit: 'tx/s',
        limit: plain,
        limitLabel: 'without the event',
        ratio: chained / plain,
        target: 'the ceiling locking the head to commit puts on writes',
      });
      rows.push({
        figure: `chain: the same with the event queued and chained in groups`,
        value: grouped,
        unit: 'tx/s',
        limit: plain,
        limitLabel: 'without the event',
        ratio: grouped / plain,
        target: 'what requests do (audit/event-queue.ts)',
      });
    } finally {
      await handle.close();
    }
  } finally {
    await cluster.stop();
    await rm(root, { recursive: true, force: true }).catch(() => undefined);
  }
  return rows;
}

/**
 * Each of the 16 connections runs the transaction on its own row, one after another, for SECONDS: without an
 * event, with one appended to the head in the transaction, or with one queued and chained after the commit (as
 * a request does: it answers once its event is chained).
 */
async function transactionsPerSecond(db: Db, event: 'none' | 'head' | 'queue'): Promise<number> {
  const chainer = new EventChainer(db);
  let committed = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, i) => {
      while (performance.now() < until) {
        const queue = { queued: false };
        const write = () =>
          db.transaction().execute(async (tx) => {
            await sql`INSERT INTO bench_opinion (case_id, source, content) VALUES (${i + 1}, '某单位', '该同志一贯表现良好，本次问题系改革探索中的失误。')`.execute(tx);
            await sql`UPDATE bench_case SET version = version + 1 WHERE id = ${i + 1}`.execute(tx);
            // Last, as commands do, so that a lock of the head is held only until the commit.
            if (event !== 'none') await appendEvent(tx, { type: 'policy.assessed', actor: 'cli', payload: { bench: i } });
          });
        if (event === 'queue') {
          await withRequestEventQueue(queue, write);
          await chainer.flush();
        } else await write();
        committed++;
      }
    }),
  );
  return committed / SECONDS;
}
