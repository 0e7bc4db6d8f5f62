import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openEmbeddedPostgres } from '../src/db/embedded.js';
import { repoRoot } from './fault-kit.js';
import { DEFAULT_SEED, generateDataset } from './generate.js';

/**
 * The small generated world that `npm run bench` (no suite named) runs the api reads on: generated once into
 * `.bench-data/default-…` — the directory named by its parameters and seed — and reused while that directory
 * holds the marker written after a complete load (an interrupted run leaves none: the next one starts over).
 * About a minute on two cores. `npm run bench -- api --dataset=default` uses it too.
 */
export const DEFAULT_DATASET = { officials: 20_000, cases: 10_000, chain: 'bulk', seed: DEFAULT_SEED } as const;
const MARKER = 'generated.json';

export async function defaultDataset(log: (line: string) => void = (line) => process.stderr.write(`bench: ${line}\n`)): Promise<string> {
  const { officials, cases, chain, seed } = DEFAULT_DATASET;
  const dir = path.join(repoRoot, '.bench-data', `default-o${officials}-c${cases}-${chain}-${seed}`);
  if (existsSync(path.join(dir, MARKER))) return dir;
  await rm(dir, { recursive: true, force: true });
  log(`generating the default dataset (${officials} officials, ${cases} cases) into ${path.relative(repoRoot, dir)}, once`);
  const started = performance.now();
  const embedded = await openEmbeddedPostgres(dir, { attach: false, log: () => undefined });
  try {
    const report = await generateDataset({ url: embedded.databaseUrl, officials, cases, seed, chainLoad: chain, log: (line) => log(`generate: ${line}`) });
    await writeFile(path.join(dir, MARKER), JSON.stringify({ officials, cases, chain, seed, events: report.events, generatedAt: new Date().toISOString() }, null, 2));
  } finally {
    await embedded.stop();
  }
  log(`default dataset ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return dir;
}
