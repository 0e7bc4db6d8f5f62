import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { debianPostgresBinDir } from './debian-postgres.js';
import { setupTestCluster } from './test-cluster.js';

/** Debian's PostgreSQL 15, started here; or the server at DATABASE_URL when one is given. */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) return setupTestCluster(project, { url }, 'any');
  if (!existsSync(`${debianPostgresBinDir}/postgres`)) {
    throw new Error(`PostgreSQL 15 is required (REQUIRE_ALL=1) but ${debianPostgresBinDir}/postgres is missing: apt-get install postgresql-15`);
  }
  return setupTestCluster(project, { binDir: debianPostgresBinDir }, 15);
}
