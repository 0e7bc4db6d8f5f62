import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { appendEvent } from '../src/audit/chain.js';
import { connectDatabase, type Db } from '../src/db/connect.js';
import { embeddedBinDir } from '../src/db/embedded.js';
import { migrate } from '../src/db/migrate.js';
import { CONNECTIONS, pgbenchTps, SECONDS } from './api.js';
import { DrillCluster } from './fault-kit.js';
import type { BenchRow } from './table.js';

/**
 * `npm run bench -- append`: is the audit chain's single head the limit of the writes? Every command appends its
 * event in its own transaction, under the head row's lock (src/audit/chain.ts), so no two writes share a commit
 * and the chain caps writes at one connection's commit rate. Measured here without HTTP, on one PostgreSQL, at 16
 * connections from Node: the same insert+update transaction pgbench runs in the `api` suite, once alone and once
 * with an audit event appended through the head. The write figure of the `api` suite, far below both, says
 * whether the head is what holds it back.
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

      const plain = await transactionsPerSecond(handle.db, false);
      const chained = await transactionsPerSecond(handle.db, true);
      const pgbench = await pgbenchTps(cluster, root);
      rows.push({ figure: `chain: insert+update from Node, ${CONNECTIONS} connections, no event`, value: plain, unit: 'tx/s', ...(pgbench ? { limit: pgbench, limitLabel: 'pgbench TPS', ratio: plain / pgbench } : {}) });
      rows.push({
        figure: `chain: the same with an event appended through the head`,
        value: chained,
        unit: 'tx/s',
        limit: plain,
        limitLabel: 'without the event',
        ratio: chained / plain,
        target: 'the ceiling the head puts on writes',
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

/** Each of the 16 connections runs the transaction on its own row, one after another, for SECONDS. */
async function transactionsPerSecond(db: Db, withEvent: boolean): Promise<number> {
  let committed = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, i) => {
      while (performance.now() < until) {
        await db.transaction().execute(async (tx) => {
          await sql`INSERT INTO bench_opinion (case_id, source, content) VALUES (${i + 1}, '某单位', '该同志一贯表现良好，本次问题系改革探索中的失误。')`.execute(tx);
          await sql`UPDATE bench_case SET version = version + 1 WHERE id = ${i + 1}`.execute(tx);
          // Last, as commands do, so that the head's lock is held only until the commit.
          if (withEvent) await appendEvent(tx, { type: 'policy.assessed', actor: 'cli', payload: { bench: i } });
        });
        committed++;
      }
    }),
  );
  return committed / SECONDS;
}
