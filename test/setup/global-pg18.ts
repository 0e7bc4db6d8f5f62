import type { TestProject } from 'vitest/node';
import { embeddedBinDir } from '../../src/db/embedded.js';
import { setupTestCluster } from './test-cluster.js';

/** The embedded PostgreSQL 18 that ships with the product. */
export default async function setup(project: TestProject) {
  return setupTestCluster(project, { binDir: await embeddedBinDir() }, 18);
}
