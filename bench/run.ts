import { benchEngine } from './engine.js';
import { benchRowSecurity } from './row-security.js';
import { printTable, type BenchRow } from './table.js';
import { benchWeb } from './web.js';

/**
 * `npm run bench [-- NAME…]`: runs the named benchmarks (all when none is named) and prints one table in
 * which every figure stands next to the limit it is compared with, measured in the same run.
 */
const BENCHMARKS: Record<string, () => Promise<BenchRow[]>> = {
  engine: benchEngine,
  'row-security': benchRowSecurity,
  web: benchWeb,
};

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}
const rows: BenchRow[] = [];
for (const name of requested.length > 0 ? requested : Object.keys(BENCHMARKS)) {
  rows.push(...(await BENCHMARKS[name]!()));
}
printTable(rows);
