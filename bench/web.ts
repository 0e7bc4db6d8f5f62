import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { signInOverHttp, type BrowserCookie } from '../test/browser/harness.js';
import type { BenchRow } from './table.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
const LIMIT_MS = 2000;
const RUNS = 5;

/** Starts the built server (`node bin/rongcuo.js serve`, as `npm start` does) and resolves with its URL and start-up time. */
async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string; startMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/rongcuo.js'), 'serve'], {
    cwd: repoRoot,
    env: { ...process.env, RONGCUO_DATA: dataDir, PORT: '0', DATABASE_URL: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /已启动：(http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`)));
  });
  // Start-up ends with the first answered request, as a user would see it.
  for (;;) {
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { child, url, startMs: performance.now() - started };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * The web application's first page on the embedded database: the server is started on an existing data
 * directory (created and seeded by a first start that is not measured), then a fresh Chromium profile loads
 * the sign-in page and, signed in, the workbench — each timed to the load event and to the page's content.
 */
export async function benchWeb(): Promise<BenchRow[]> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'rongcuo-bench-web-'));
  await chmod(dataDir, 0o755);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    await stop((await startServer(dataDir)).child); // first start: creates the cluster and seeds the demo
    const { child, url, startMs } = await startServer(dataDir);
    try {
      const signIn: number[] = [];
      const workbench: number[] = [];
      // Signed in once, the whole way (password, authenticator, the required password change), by the test helpers;
      // each run then starts from an empty cache with that session's cookie.
      let session: BrowserCookie | undefined;
      for (let run = 0; run < RUNS; run++) {
        // A new context each run: an empty cache, as for a user opening the product for the first time.
        const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
        const page = await context.newPage();
        let t = performance.now();
        await page.goto(`${url}/login`, { waitUntil: 'load' });
        await page.getByLabel('用户名').waitFor();
        signIn.push(performance.now() - t);
        session ??= (await signInOverHttp(url, { username: 'dc-jiwei', password: 'rongcuo-demo' })).cookie;
        await context.addCookies([session]);
        t = performance.now();
        await page.goto(`${url}/workbench`, { waitUntil: 'load' });
        await page.getByTestId('current-user').waitFor();
        workbench.push(performance.now() - t);
        await context.close();
      }
      const row = (figure: string, value: number): BenchRow => ({
        figure,
        value,
        unit: 'ms',
        limit: LIMIT_MS,
        limitLabel: 'target',
        ratio: value / LIMIT_MS,
        target: '< 2 s',
        pass: value < LIMIT_MS,
      });
      return [
        row(`first page (sign-in) load, median of ${RUNS}, empty cache`, median(signIn)),
        row(`signed-in workbench load, median of ${RUNS}, empty cache`, median(workbench)),
        row('server start-up to first answered request (existing embedded database)', startMs),
      ];
    } finally {
      await stop(child);
    }
  } finally {
    await browser.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
