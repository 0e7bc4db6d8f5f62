import { AsyncLocalStorage } from 'node:async_hooks';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/**
 * The second wall (security.md, Access; migration 0014): while a request runs, every connection the application
 * takes from its pool acts as the role `rongcuo_app` with the request's jurisdiction in `rongcuo.*` settings, so
 * PostgreSQL's row-level security filters the case tables even where a query forgot its jurisdiction clause.
 *
 * The scope travels in an AsyncLocalStorage rather than through every command and query: `runInRowScope` wraps
 * a route handler, and the pool given to Kysely reads the scope when a connection is taken — a plain query, a
 * transaction, a command's nested calls alike. A connection is switched when taken and switched back (RESET)
 * before it returns to the pool; one whose reset fails is destroyed, never reused. Outside a scope (migrations,
 * the demo seed, sweeps, the scheduler, the CLI, the audit hook) connections act as the login role, the tables'
 * owner, to which the policies do not apply.
 */

/** The role requests act as (migration 0014). */
export const APP_ROLE = 'rongcuo_app';

/** The jurisdiction of one request, each a list of ids (migration 0014 says what each one covers). */
export interface RowScope {
  caseOrgans: readonly string[];
  managingOrgs: readonly string[];
  officials: readonly string[];
  partyOrgs: readonly string[];
  caseIds: readonly string[];
  planIds: readonly string[];
}

/** A scope that sees no case at all (a public route: sign-in, the published typical cases). */
export const EMPTY_ROW_SCOPE: RowScope = { caseOrgans: [], managingOrgs: [], officials: [], partyOrgs: [], caseIds: [], planIds: [] };

const SETTINGS: Record<keyof RowScope, string> = {
  caseOrgans: 'rongcuo.case_organs',
  managingOrgs: 'rongcuo.managing_orgs',
  officials: 'rongcuo.officials',
  partyOrgs: 'rongcuo.party_orgs',
  caseIds: 'rongcuo.case_ids',
  planIds: 'rongcuo.plan_ids',
};
const KEYS = Object.keys(SETTINGS) as (keyof RowScope)[];

// One simple-protocol round trip, cheaper than set_config() with parameters; the values are uuids checked below,
// so nothing but hex digits and dashes is ever spliced into the statement.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function applySql(scope: RowScope): string {
  const settings = KEYS.map((key) => {
    const ids = scope[key];
    for (const id of ids) if (typeof id !== 'string' || !UUID.test(id)) throw new Error(`row scope: ${key} holds something other than a uuid`);
    return `SET ${SETTINGS[key]} = '${ids.join(',')}'`;
  });
  return [`SET ROLE ${APP_ROLE}`, ...settings].join('; ');
}
const RESET_SQL = ['RESET ROLE', ...KEYS.map((key) => `RESET ${SETTINGS[key]}`)].join('; ');

/** A connection in use by one Kysely connection: how to query it, and how to give it back. */
interface Lease {
  query(sqlText: string, parameters: unknown[] | undefined): Promise<pg.QueryResult>;
  release(destroy?: boolean): void;
}

const TRANSACTION_START = /^\s*(begin|start\s+transaction)\b/i;

/**
 * One request's scope, and the connection its queries share. Switching a connection costs two round trips (SET,
 * then RESET before it goes back); a case page makes some twenty queries, many at once, so each taking its own
 * connection spent more time switching than querying. Instead the scope's queries share one switched connection
 * while any of them runs, and until the turn of the event loop after the last one (time for the next query of a
 * sequence to claim it); then it is reset and returned. It is never held while nothing of the scope can run, so a
 * request waiting for a connection never holds one idle (no deadlock when the pool runs dry). A transaction gets a
 * connection of its own, so that no concurrent query of the request can run inside it; once it has ended, that
 * connection may serve as the shared one.
 */
class ScopeConnection {
  private shared: Promise<pg.PoolClient> | undefined;
  /** The shared connection's last query: the next one is sent after it (pg wants one query at a time). */
  private tail: Promise<unknown> = Promise.resolve();
  private users = 0;
  private ended = false;
  private broken = false;
  private returnScheduled = false;

  constructor(
    readonly scope: RowScope,
    private readonly pool: pg.Pool,
  ) {}

  get open(): boolean {
    return !this.ended;
  }

  /** What Kysely takes as a connection: bound to the shared one, or to its own for a transaction, at its first query. */
  connection(): PostgresPoolClient {
    let lease: Promise<Lease> | undefined;
    let released = false;
    const query = async (sqlText: unknown, parameters?: readonly unknown[]) => {
      if (typeof sqlText !== 'string') throw new Error('row scope: cursors are not supported inside a request');
      lease ??= TRANSACTION_START.test(sqlText) ? this.transactionConnection() : this.share();
      return (await lease).query(sqlText, parameters as unknown[] | undefined);
    };
    return {
      query: query as unknown as PostgresPoolClient['query'],
      release: (destroy?: boolean) => {
        if (released) return;
        released = true;
        void lease?.then(
          (held) => held.release(destroy),
          () => undefined,
        );
      },
    };
  }

  end(): void {
    this.ended = true;
    this.returnIfIdle();
  }

  private share(): Promise<Lease> {
    this.users++;
    this.shared ??= switchedClient(this.pool, this.scope).then((client) => {
      // A connection that failed under us is destroyed at the end, never reset and reused.
      client.once('error', this.markBroken);
      return client;
    });
    const release = (destroy?: boolean) => {
      if (destroy) this.broken = true;
      this.users--;
      this.returnIfIdle();
    };
    const query = (sqlText: string, parameters: unknown[] | undefined) => {
      const result = this.tail.then(() => this.shared!.then((client) => client.query(sqlText, parameters)));
      this.tail = result.catch(() => undefined);
      return result;
    };
    return this.shared.then(
      () => ({ query, release }),
      (error: unknown) => {
        this.shared = undefined;
        this.users--;
        throw error;
      },
    );
  }

  /**
   * A connection of its own for a transaction. When it ends, the scope keeps it as its shared connection if it
   * has none (a command's transaction is mostly followed by reads of what it wrote: they need not switch another).
   */
  private transactionConnection(): Promise<Lease> {
    return ownConnection(this.pool, this.scope, (client) => {
      // Only a connection that is idle (its transaction committed or rolled back) is shared on.
      if (this.ended || this.shared || transactionStatus(client) !== 'I') return false;
      client.once('error', this.markBroken);
      this.shared = Promise.resolve(client);
      this.returnIfIdle();
      return true;
    });
  }

  private readonly markBroken = () => {
    this.broken = true;
  };

  /** Returns the shared connection once nothing uses it: at once when the scope has ended, else after this turn. */
  private returnIfIdle(): void {
    if (this.users > 0 || !this.shared) return;
    if (this.ended) return this.returnShared();
    if (this.returnScheduled) return;
    this.returnScheduled = true;
    setImmediate(() => {
      this.returnScheduled = false;
      if (this.users === 0) this.returnShared();
    });
  }

  private returnShared(): void {
    const pending = this.shared;
    if (!pending) return;
    this.shared = undefined;
    this.tail = Promise.resolve();
    const broken = this.broken;
    this.broken = false;
    void pending.then(
      (client) => {
        client.off('error', this.markBroken);
        if (broken) return client.release(true);
        resetAndRelease(client);
      },
      () => undefined,
    );
  }
}

/** 'I' idle, 'T' in a transaction, 'E' in a failed one, as the server last said (pg's Client has it, its types do not). */
const transactionStatus = (client: pg.PoolClient): string | null => (client as unknown as { getTransactionStatus(): string | null }).getTransactionStatus();

/** Switches the connection back to the login role, then returns it to the pool (destroyed if the reset failed). */
function resetAndRelease(client: pg.PoolClient): void {
  client.query(RESET_SQL).then(
    () => client.release(),
    (error: unknown) => client.release(error instanceof Error ? error : true),
  );
}

/**
 * A switched connection for one user alone (a transaction, or work after its scope ended), reset and returned on
 * release unless `keep` takes it (a scope sharing it on).
 */
async function ownConnection(pool: pg.Pool, scope: RowScope, keep?: (client: pg.PoolClient) => boolean): Promise<Lease> {
  const client = await switchedClient(pool, scope);
  return {
    query: (sqlText, parameters) => client.query(sqlText, parameters),
    release: (destroy?: boolean) => {
      if (destroy) return client.release(true);
      if (keep?.(client)) return;
      resetAndRelease(client);
    },
  };
}

/** A connection switched to the scope; on a failed switch it is destroyed, since it may be half switched. */
async function switchedClient(pool: pg.Pool, scope: RowScope): Promise<pg.PoolClient> {
  const apply = applySql(scope);
  const client = await pool.connect();
  try {
    await client.query(apply);
  } catch (error) {
    client.release(error instanceof Error ? error : true);
    throw error;
  }
  return client;
}

const storage = new AsyncLocalStorage<{ scope: RowScope; connections: Map<pg.Pool, ScopeConnection> }>();

/**
 * Runs `fn` with its database work confined to `scope` (its connections act as rongcuo_app). The scope's
 * connection goes back to the pool when `fn` has settled.
 */
export async function runInRowScope<T>(scope: RowScope, fn: () => T | Promise<T>): Promise<T> {
  const state = { scope, connections: new Map<pg.Pool, ScopeConnection>() };
  try {
    return await storage.run(state, fn);
  } finally {
    for (const connection of state.connections.values()) connection.end();
  }
}

/** Runs `fn` outside any row scope (its connections act as the login role): the application's own work. */
export function outsideRowScope<T>(fn: () => T): T {
  return storage.exit(fn);
}

/**
 * The pool Kysely uses: connections taken inside a row scope are switched to it (one per scope, see
 * ScopeConnection), and switched back before they return to the pool. The pg.Pool itself stays unwrapped for
 * those who need the login role directly (migrate, backup).
 */
export function rowScopedPool(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const state = storage.getStore();
      if (!state) return pool.connect();
      let connection = state.connections.get(pool);
      if (!connection) state.connections.set(pool, (connection = new ScopeConnection(state.scope, pool)));
      if (connection.open) return connection.connection();
      // The scope has ended (work it started is still running): a connection of its own, switched and reset.
      const lease = await ownConnection(pool, state.scope);
      return { query: lease.query as unknown as PostgresPoolClient['query'], release: (destroy?: boolean) => lease.release(destroy) };
    },
    end: () => pool.end(),
  };
}
