import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { PostgresCluster } from '../../src/db/cluster.js';
import { migrate } from '../../src/db/migrate.js';

/**
 * One PostgreSQL cluster per test run and server version. Migrations run once into a template database;
 * every test file then clones its own database from it (CREATE DATABASE … TEMPLATE), which is fast and
 * keeps files isolated.
 */
export interface ProvidedDatabase {
  /** Connection string of a role that may create databases, with the database name left to the helper. */
  adminUrl: string;
  template: string;
  serverVersion: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    database: ProvidedDatabase;
    /** 18 for the embedded server, 15 for Debian's, 'any' for a server at DATABASE_URL. */
    expectedMajor: number | 'any';
  }
}

export async function setupTestCluster(
  project: TestProject,
  source: { binDir: string } | { url: string },
  expectedMajor: number | 'any',
): Promise<() => Promise<void>> {
  let cluster: PostgresCluster | undefined;
  let tmpDir: string | undefined;
  let adminUrl: string;
  if ('binDir' in source) {
    // /tmp is traversable by the unprivileged user PostgreSQL runs as when the tests run as root.
    tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'rongcuo-test-pg-'));
    await fs.chmod(tmpDir, 0o755);
    cluster = new PostgresCluster({
      binDir: source.binDir,
      dataDir: path.join(tmpDir, 'data'),
      superuser: 'rongcuo_test',
      password: randomBytes(16).toString('hex'),
      // Durable like production, but fewer WAL checkpoints slowing a throwaway cluster's many CREATE DATABASEs.
      settings: { max_connections: '200', max_wal_size: '2GB' },
    });
    await cluster.ensureInitialised();
    await cluster.start();
    adminUrl = cluster.connectionString('postgres');
  } else {
    adminUrl = source.url;
  }

  const template = `rongcuo_template_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const serverVersion = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  await admin.query(`CREATE DATABASE ${template}`);
  const pool = new pg.Pool({ connectionString: withDatabase(adminUrl, template), max: 1 });
  await migrate(pool);
  await pool.end();
  await admin.end();

  project.provide('database', { adminUrl, template, serverVersion });
  project.provide('expectedMajor', expectedMajor);

  return async () => {
    if (cluster) {
      await cluster.stop();
      await fs.rm(tmpDir!, { recursive: true, force: true });
    } else {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${template}`);
      await client.end();
    }
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
