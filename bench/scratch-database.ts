import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PostgresCluster } from '../src/db/cluster.js';
import { connectDatabase, type DatabaseHandle } from '../src/db/connect.js';
import { embeddedBinDir } from '../src/db/embedded.js';

export interface ScratchDatabase {
  /** The temporary directory: the cluster in `pg/`, room for a suite's files beside it. */
  dir: string;
  handle: DatabaseHandle;
  /** Closes the connections, stops the cluster and removes the directory. */
  close(): Promise<void>;
}

/** A throwaway embedded PostgreSQL in a fresh temporary directory, and a connection to its `postgres` database. */
export async function scratchDatabase(name: string): Promise<ScratchDatabase> {
  const dir = await mkdtemp(path.join(tmpdir(), `rongcuo-bench-${name}-`));
  // The cluster runs as an unprivileged user when this process is root: it must reach its directory.
  await chmod(dir, 0o755);
  const cluster = new PostgresCluster({ binDir: await embeddedBinDir(), dataDir: path.join(dir, 'pg'), superuser: 'rongcuo', password: randomBytes(16).toString('hex') });
  await cluster.ensureInitialised();
  await cluster.start();
  const handle = connectDatabase(cluster.connectionString('postgres'));
  return {
    dir,
    handle,
    close: async () => {
      await handle.close();
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
