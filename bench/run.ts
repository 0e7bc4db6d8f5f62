import { benchApi } from './api.js';
import { benchChain } from './chain.js';
import { benchChainAppend } from './chain-append.js';
import { benchDb } from './db.js';
import { benchDocs } from './docs.js';
import { benchEngine } from './engine.js';
import { benchRowSecurity } from './row-security.js';
import { benchFaults } from './faults.js';
import { benchGenerate } from './generate.js';
import { printTable, type BenchRow } from './table.js';
import { benchWeb } from './web.js';
import { defaultDataset } from './default-dataset.js';

/**
 * `npm run bench [-- NAME… [--OPTION…]]`: runs the named benchmarks (all but the fault drills when none is named;
 * those only when named: `npm run bench -- faults`) and prints one table in which every figure stands next to the
 * limit it is compared with, measured in the same run.
 *
 * `npm run bench -- generate --officials N --cases M …` is not a benchmark but the data generator
 * (bench/generate.ts): it builds a dataset for the others to run against, and prints how fast it loaded.
 */
const BENCHMARKS: Record<string, () => Promise<BenchRow[]>> = {
  api: benchApi,
  append: benchChainAppend,
  chain: benchChain,
  db: benchDb,
  docs: benchDocs,
  engine: benchEngine,
  'row-security': benchRowSecurity,
  web: benchWeb,
  // Not run by default (`npm run bench` alone): it needs root for its tmpfs and takes minutes.
  faults: benchFaults,
};
const DEFAULT = ['engine', 'api', 'db', 'append', 'chain', 'docs', 'row-security', 'web'];

if (process.argv[2] === 'generate') {
  // Its options take values (`--cases 200000`), which the benchmark names below would mistake for names.
  printTable(await benchGenerate(process.argv.slice(3)));
  process.exit(0);
}

// Options (`--kills=200`) are for the suites themselves, which read them from process.argv.
const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const unknown = requested.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}
const rows: BenchRow[] = [];
const datasetArg = process.argv.find((a) => a.startsWith('--dataset='))?.slice('--dataset='.length);
for (const name of requested.length > 0 ? requested : DEFAULT) {
  // `npm run bench` alone runs the api suite on the small generated world (made once, then reused), as does
  // `--dataset=default`; `-- api` alone keeps the demo world, `--dataset=DIR` names a generated one.
  if (name === 'api' && (requested.length === 0 || datasetArg === 'default')) rows.push(...(await benchApi({ dataset: await defaultDataset() })));
  else rows.push(...(await BENCHMARKS[name]!()));
}
printTable(rows);
