import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * The life cycle of one PostgreSQL cluster that we run ourselves: initdb on first use, start on a free loopback
 * port, recover from a crash, stop cleanly. Used for the embedded PostgreSQL 18 that ships with the product and,
 * in tests, for Debian's PostgreSQL 15 — the same code drives both binaries.
 */
export interface ClusterOptions {
  /** Directory holding `initdb` and `postgres`. */
  binDir: string;
  dataDir: string;
  superuser: string;
  password: string;
  /** Extra `-c name=value` settings. */
  settings?: Record<string, string>;
  /** Receives the server's own log lines (never case data: PostgreSQL logs only its own events here). */
  log?: (line: string) => void;
}

export interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

const UNPRIVILEGED_USER = 'postgres';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export class PostgresCluster {
  private process: ChildProcess | undefined;
  private exitHook: (() => void) | undefined;
  private recentLog: string[] = [];
  port = 0;

  constructor(private readonly options: ClusterOptions) {}

  /** PostgreSQL refuses to run as root, so as root we run it as an unprivileged system user. */
  private readonly runAs: OsUser | undefined = process.getuid?.() === 0 ? ensureUnprivilegedUser() : undefined;

  get dataDir(): string {
    return this.options.dataDir;
  }

  isInitialised(): boolean {
    return existsSync(path.join(this.options.dataDir, 'PG_VERSION'));
  }

  /** Creates the cluster if the data directory holds none yet. Returns whether it was created now. */
  async ensureInitialised(): Promise<boolean> {
    if (this.isInitialised()) {
      await this.giveToRunAsUser(this.options.dataDir, false);
      return false;
    }
    await fs.mkdir(this.options.dataDir, { recursive: true, mode: 0o700 });
    await this.giveToRunAsUser(this.options.dataDir, true);
    const pwfile = path.join(os.tmpdir(), `rongcuo-pw-${randomBytes(8).toString('hex')}`);
    await fs.writeFile(pwfile, `${this.options.password}\n`, { mode: 0o600 });
    if (this.runAs) await fs.chown(pwfile, this.runAs.uid, this.runAs.gid);
    try {
      await this.run('initdb', [
        `--pgdata=${this.options.dataDir}`,
        `--username=${this.options.superuser}`,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        // Page checksums turn silent disk corruption into a loud error.
        '--data-checksums',
        '--no-instructions',
      ]);
    } finally {
      await fs.rm(pwfile, { force: true });
    }
    return true;
  }

  /** Starts the server on a free loopback port and resolves once it accepts connections. */
  async start(): Promise<void> {
    if (this.process) throw new Error('PostgreSQL cluster already started');
    await this.recoverFromCrash();
    // Another process can take the port between our probe and postgres binding it: try again with a new one.
    for (let attempt = 1; ; attempt++) {
      this.port = await findFreeLoopbackPort();
      try {
        await this.spawnServer();
        return;
      } catch (error) {
        if (attempt >= 3 || !this.recentLog.some((line) => line.includes('could not bind'))) throw error;
      }
    }
  }

  /** Fast shutdown: open transactions roll back, committed data is checkpointed. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.process = undefined;
    if (this.exitHook) process.off('exit', this.exitHook);
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGQUIT'), STOP_TIMEOUT_MS);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGINT');
    });
  }

  connectionString(database = 'postgres'): string {
    const user = encodeURIComponent(this.options.superuser);
    const password = encodeURIComponent(this.options.password);
    return `postgresql://${user}:${password}@127.0.0.1:${this.port}/${encodeURIComponent(database)}`;
  }

  /**
   * After a crash the old postmaster.pid stays behind, and the old postmaster itself may still be running
   * (it outlives a killed parent). Stop our own orphan; remove a pid file whose process is gone.
   */
  private async recoverFromCrash(): Promise<void> {
    const pidFile = path.join(this.options.dataDir, 'postmaster.pid');
    let content: string;
    try {
      content = await fs.readFile(pidFile, 'utf8');
    } catch {
      return;
    }
    const pid = Number(content.split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0 && isPostgresProcess(pid, this.options.dataDir)) {
      this.options.log?.(`stopping an orphaned PostgreSQL (pid ${pid}) left by an earlier crash`);
      process.kill(pid, 'SIGINT');
      const deadline = Date.now() + STOP_TIMEOUT_MS;
      while (isProcessAlive(pid) && Date.now() < deadline) await sleep(100);
      if (isProcessAlive(pid)) process.kill(pid, 'SIGQUIT');
      while (isProcessAlive(pid)) await sleep(100);
    }
    if (existsSync(pidFile)) {
      this.options.log?.('removing a stale postmaster.pid left by an earlier crash');
      await fs.rm(pidFile, { force: true });
    }
  }

  private async spawnServer(): Promise<void> {
    const settings: Record<string, string> = {
      listen_addresses: '127.0.0.1',
      // No Unix socket: nothing else on the machine shares our cluster, and /var/run may not be writable.
      unix_socket_directories: '',
      // Durability is not negotiable for disciplinary decisions; state it rather than trust defaults.
      fsync: 'on',
      synchronous_commit: 'on',
      full_page_writes: 'on',
      ...this.options.settings,
    };
    const args = ['-D', this.options.dataDir, '-p', String(this.port)];
    for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
    this.recentLog = [];
    const child = spawn(path.join(this.options.binDir, 'postgres'), args, {
      ...this.spawnIdentity(),
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: Ctrl+C in a terminal must reach only the server, which then records its stop
      // in the audit chain before it shuts PostgreSQL down.
      detached: true,
    });
    this.process = child;
    child.stdout?.on('data', (chunk: Buffer) => this.captureLog(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.captureLog(chunk));
    // If the server process exits without stop(), don't leave PostgreSQL running behind it.
    this.exitHook = () => {
      if (child.exitCode === null) child.kill('SIGINT');
    };
    process.on('exit', this.exitHook);

    const exited = new Promise<never>((_, reject) => {
      child.once('exit', (code, signal) => {
        reject(new Error(`PostgreSQL exited during start-up (code ${code}, signal ${signal}):\n${this.recentLog.join('\n')}`));
      });
    });
    exited.catch(() => undefined);
    try {
      await Promise.race([this.waitUntilReady(), exited]);
    } catch (error) {
      this.process = undefined;
      if (this.exitHook) process.off('exit', this.exitHook);
      if (child.exitCode === null) child.kill('SIGQUIT');
      throw error;
    }
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const client = new pg.Client({ connectionString: this.connectionString(), connectionTimeoutMillis: 2000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections within ${READY_TIMEOUT_MS} ms: ${String(error)}`);
        await sleep(50);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  }

  private captureLog(chunk: Buffer): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      this.recentLog.push(line);
      if (this.recentLog.length > 50) this.recentLog.shift();
      this.options.log?.(line);
    }
  }

  private run(binary: string, args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(path.join(this.options.binDir, binary), args, {
        ...this.spawnIdentity(),
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`${binary} failed with code ${code}:\n${output}`)),
      );
    });
  }

  private spawnIdentity(): { uid?: number; gid?: number; cwd: string } {
    // cwd matters: the unprivileged user may not be allowed into the server's working directory.
    return this.runAs ? { uid: this.runAs.uid, gid: this.runAs.gid, cwd: '/' } : { cwd: '/' };
  }

  private async giveToRunAsUser(dir: string, recursive: boolean): Promise<void> {
    if (!this.runAs) return;
    const { uid, gid } = this.runAs;
    if (recursive) execFileSync('chown', ['-R', `${uid}:${gid}`, dir]);
    else await fs.chown(dir, uid, gid);
    await fs.chmod(dir, 0o700);
  }
}

function ensureUnprivilegedUser(): OsUser {
  const lookup = (): OsUser | undefined => {
    try {
      const uid = Number(execFileSync('id', ['-u', UNPRIVILEGED_USER], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', UNPRIVILEGED_USER], { encoding: 'utf8' }).trim());
      return { name: UNPRIVILEGED_USER, uid, gid };
    } catch {
      return undefined;
    }
  };
  const existing = lookup();
  if (existing) return existing;
  execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', UNPRIVILEGED_USER]);
  const created = lookup();
  if (!created) throw new Error(`could not create the unprivileged user "${UNPRIVILEGED_USER}" to run PostgreSQL`);
  return created;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when pid is a postmaster serving dataDir — not some other process that reused the pid. */
function isPostgresProcess(pid: number, dataDir: string): boolean {
  if (!isProcessAlive(pid)) return false;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return path.basename(cmdline[0] ?? '') === 'postgres' && cmdline.includes(dataDir);
  } catch {
    return false;
  }
}

export async function findFreeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
