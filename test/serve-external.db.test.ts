import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { killLeftoverProcesses, runCli, startServeProcess, waitForExit } from './helpers/cli.js';
import { useTestDatabase } from './helpers/db.js';

/** `rongcuo serve` and `rongcuo verify` against a PostgreSQL server given by DATABASE_URL. */
describe('the server on a PostgreSQL server at DATABASE_URL', () => {
  const database = useTestDatabase();
  afterEach(killLeftoverProcesses);

  it('migrates, serves, seeds nothing by default, and records its start and stop', async () => {
    const server = await startServeProcess({ DATABASE_URL: database.current.url });
    const health = await fetch(`${server.url}/api/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok' });
    expect(server.output()).not.toContain('演示账号');
    server.child.kill('SIGTERM');
    expect(await waitForExit(server.child)).toEqual({ code: 0, signal: null });

    const events = await database.current.db.selectFrom('events').select('type').orderBy('seq').execute();
    expect(events.map((e) => e.type)).toEqual(['system.started', 'system.stopped']);
    const users = await database.current.db.selectFrom('users').select('id').execute();
    expect(users).toHaveLength(0);

    const verified = await runCli(['verify'], { env: { DATABASE_URL: database.current.url } });
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('已校验 2 条审计事件，哈希链完整');
  });

  it('verify exits non-zero and names the first broken link', async () => {
    await sql`ALTER TABLE events DISABLE TRIGGER events_refuse_update_delete`.execute(database.current.db);
    await sql`UPDATE events SET payload = '{"version":"forged"}' WHERE seq = 1`.execute(database.current.db);
    const result = await runCli(['verify'], { env: { DATABASE_URL: database.current.url } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('第 1 号事件被篡改');
    expect(result.stdout).toContain('broken at event 1 (hash-mismatch)');
  });

  it('reports every configuration problem at once', async () => {
    const result = await runCli(['serve'], { env: { DATABASE_URL: 'mysql://nope', PORT: 'abc', LOG_LEVEL: 'loud', RONGCUO_RATE_LIMIT: '0' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PORT must be an integer');
    expect(result.stderr).toContain('DATABASE_URL must start with postgres://');
    expect(result.stderr).toContain('LOG_LEVEL must be one of');
    expect(result.stderr).toContain('RONGCUO_RATE_LIMIT must be a positive integer');
  });
});
