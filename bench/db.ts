import path from 'node:path';
import pg from 'pg';
import { connectDatabase } from '../src/db/connect.js';
import { openEmbeddedPostgres } from '../src/db/embedded.js';
import { migrate } from '../src/db/migrate.js';
import { defaultDataset } from './default-dataset.js';
import { bulkImportRows, DEFAULT_AS_OF, generateDataset } from './generate.js';
import { hotQueries } from './hot-queries.js';
import type { BenchRow } from './table.js';

/**
 * `npm run bench -- db [--dataset=DIR]`: the hot reads (bench/hot-queries.ts) straight against PostgreSQL, without
 * HTTP: each the way the application makes it (the same functions, inside the user's row scope, every statement
 * it sends), as the provincial handler and supervisor of a generated world — the default small one (made once,
 * bench/default-dataset.ts) unless --dataset names another. Median of 9 after 2 to warm up, one at a time.
 *
 * Then bulk import: a small world (BULK_IMPORT) generated into a scratch database of the same cluster, its COPY
 * into the migrated schema against PostgreSQL's own COPY of the same rows into plain tables (bench/generate.ts).
 */
const BULK_IMPORT = { officials: 10_000, cases: 3_000 };
const RUNS = 9;
const WARM_UP = 2;
const TARGET_MS: Record<string, number> = { statistics: 300 };

export async function benchDb(options: { dataset?: string } = {}): Promise<BenchRow[]> {
  const dataset = options.dataset ?? process.argv.find((a) => a.startsWith('--dataset='))?.slice('--dataset='.length);
  const dir = dataset && dataset !== 'default' ? path.resolve(dataset) : await defaultDataset();
  const embedded = await openEmbeddedPostgres(dir, { attach: false, log: () => undefined });
  const handle = connectDatabase(embedded.databaseUrl, { max: 4 });
  const rows: BenchRow[] = [];
  try {
    // A dataset generated before the latest migration gets it, as the server would at its start.
    await migrate(handle.pool);
    const { n } = await handle.db.selectFrom('cases').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const { queries, cleanup } = await hotQueries(handle.db, { now: () => DEFAULT_AS_OF });
    try {
      for (const query of queries) {
        const times: number[] = [];
        for (let i = 0; i < WARM_UP + RUNS; i++) {
          const started = performance.now();
          await query.run();
          if (i >= WARM_UP) times.push(performance.now() - started);
        }
        times.sort((a, b) => a - b);
        const median = times[Math.floor(times.length / 2)]!;
        const limit = TARGET_MS[query.name] ?? 25;
        rows.push({ figure: `db: ${query.name} (${Number(n).toLocaleString('en')} cases, median of ${RUNS})`, value: median, unit: 'ms', limit, limitLabel: 'ms', ratio: median / limit, target: `< ${limit} ms`, pass: median < limit });
      }
    } finally {
      await cleanup();
    }
    rows.push(...(await bulkImport(embedded.databaseUrl)));
  } finally {
    await handle.close();
    await embedded.stop();
  }
  return rows;
}

async function bulkImport(datasetUrl: string): Promise<BenchRow[]> {
  const admin = new pg.Client({ connectionString: datasetUrl });
  await admin.connect();
  const name = 'rongcuo_bench_import';
  const url = new URL(datasetUrl);
  url.pathname = `/${name}`;
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    const report = await generateDataset({ url: url.toString(), ...BULK_IMPORT, chainLoad: 'bulk', plainCopyBaseline: true });
    return bulkImportRows(report);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}
