import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../src/db/cluster.js';
import { killLeftoverProcesses, runCli, startServeProcess, waitForExit } from './helpers/cli.js';

/**
 * `rongcuo serve` on the embedded PostgreSQL 18, as a newcomer's `npm start` runs it: first start creates the
 * cluster, a second start reuses it, SIGTERM stops everything, and a crash (SIGKILL) is recovered from.
 */
describe('the server on the embedded PostgreSQL', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'rongcuo-embedded-'));
    // The unprivileged user PostgreSQL runs as (when we are root) must reach the data directory.
    await fs.chmod(dataDir, 0o755);
  });
  afterEach(killLeftoverProcesses);
  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const postmasterPid = async () => Number((await fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);

  // A first start (initdb, the demo seed) and three CLI processes: slow on a busy machine.
  it('creates the cluster on first start, answers health, prints demo logins, and stops cleanly on SIGTERM', async () => {
    const checkpoints = path.join(dataDir, 'checkpoints.txt');
    const server = await startServeProcess({ RONGCUO_DATA: dataDir, RONGCUO_CHECKPOINT_FILE: checkpoints });
    expect(server.output()).toContain('jiwei / rongcuo-demo');
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok' });

    const settings = JSON.parse(await fs.readFile(path.join(dataDir, 'pg-credentials.json'), 'utf8')) as { password: string };
    expect(settings.password.length).toBeGreaterThan(20);
    expect((await fs.stat(path.join(dataDir, 'pg-credentials.json'))).mode & 0o077).toBe(0);

    // verify beside a running server attaches to its cluster rather than starting another
    const verified = await runCli(['verify'], { env: { RONGCUO_DATA: dataDir } });
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/verified \d+ events: the chain holds/);

    const pgPid = await postmasterPid();
    server.child.kill('SIGTERM');
    expect(await waitForExit(server.child)).toEqual({ code: 0, signal: null });
    expect(isProcessAlive(pgPid)).toBe(false);
    await expect(fs.access(path.join(dataDir, 'pg', 'postmaster.pid'))).rejects.toThrow();

    const after = await runCli(['verify'], { env: { RONGCUO_DATA: dataDir } });
    expect(after.code).toBe(0);
    // database created, the demo seed (organizations, users and every case step), started, stopped
    const checked = Number(/verified (\d+) events/.exec(after.stdout)![1]);
    expect(checked).toBeGreaterThanOrEqual(7);

    // The server signed a checkpoint of the chain into the file outside the database, with a key outside it too.
    expect(await fs.readFile(checkpoints, 'utf8')).toMatch(/^rongcuo\/audit-chain\/[0-9a-f]+\n\d+\n/);
    const withCheckpoints = await runCli(['verify', '--checkpoints', checkpoints], { env: { RONGCUO_DATA: dataDir } });
    expect(withCheckpoints.code, withCheckpoints.stdout + withCheckpoints.stderr).toBe(0);
    // The demo's documents lie on disk sealed (envelopes), never in plaintext.
    const shards = (await fs.readdir(path.join(dataDir, 'files'))).filter((d) => /^[0-9a-f]{2}$/.test(d));
    const first = (await fs.readdir(path.join(dataDir, 'files', shards[0]!)))[0]!;
    expect((await fs.readFile(path.join(dataDir, 'files', shards[0]!, first))).subarray(0, 4).toString()).toBe('RCE1');
  }, 120_000);

  it('refuses a second server on the same data directory', async () => {
    const server = await startServeProcess({ RONGCUO_DATA: dataDir });
    try {
      const second = await runCli(['serve'], { env: { RONGCUO_DATA: dataDir, PORT: '0' } });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain('already using');
    } finally {
      server.child.kill('SIGTERM');
      await waitForExit(server.child);
    }
  });

  it('recovers after a crash that left PostgreSQL running and its pid file behind', async () => {
    const crashed = await startServeProcess({ RONGCUO_DATA: dataDir });
    const orphan = await postmasterPid();
    crashed.child.kill('SIGKILL');
    await waitForExit(crashed.child);
    expect(isProcessAlive(orphan)).toBe(true);

    const server = await startServeProcess({ RONGCUO_DATA: dataDir });
    try {
      expect(isProcessAlive(orphan)).toBe(false);
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
      expect((await runCli(['verify'], { env: { RONGCUO_DATA: dataDir } })).code).toBe(0);
    } finally {
      server.child.kill('SIGTERM');
      expect((await waitForExit(server.child)).code).toBe(0);
    }
  });

  it('removes a stale pid file whose process is gone', async () => {
    await fs.writeFile(path.join(dataDir, 'pg', 'postmaster.pid'), '999999\n/nonexistent\n');
    const server = await startServeProcess({ RONGCUO_DATA: dataDir });
    try {
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await waitForExit(server.child);
    }
  });
});
