import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { withDatabase } from '../setup/test-cluster.js';

export interface TestDatabase extends DatabaseHandle {
  url: string;
  name: string;
  serverVersion: string;
}

/** A fresh database for this test file, cloned from the migrated template and dropped afterwards. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { adminUrl, template, serverVersion } = inject('database');
  const name = `rongcuo_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const handle = connectDatabase(url);
  return {
    ...handle,
    url,
    name,
    serverVersion,
    close: async () => {
      await handle.close();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Registers beforeAll/afterAll for a per-file database; read `.current` inside tests. */
export function useTestDatabase(): { current: TestDatabase } {
  const holder = {} as { current: TestDatabase };
  beforeAll(async () => {
    holder.current = await createTestDatabase();
  });
  afterAll(async () => {
    await holder.current?.close();
  });
  return holder;
}
