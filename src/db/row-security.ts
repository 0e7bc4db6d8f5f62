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

const storage = new AsyncLocalStorage<RowScope>();

/** Runs `fn` with its database work confined to `scope` (its connections act as rongcuo_app). */
export function runInRowScope<T>(scope: RowScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** Runs `fn` outside any row scope (its connections act as the login role): the application's own work. */
export function outsideRowScope<T>(fn: () => T): T {
  return storage.exit(fn);
}

/**
 * The pool Kysely uses: connections taken inside a row scope are switched to it, and switched back on release.
 * The pg.Pool itself stays unwrapped for those who need the login role directly (migrate, backup).
 */
export function rowScopedPool(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const scope = storage.getStore();
      if (!scope) return pool.connect();
      const apply = applySql(scope);
      const client = await pool.connect();
      try {
        await client.query(apply);
      } catch (error) {
        // The client may be half switched: destroy it rather than return it to the pool.
        client.release(error instanceof Error ? error : true);
        throw error;
      }
      const release = client.release.bind(client);
      // pg assigns a fresh `release` at every checkout, so this override lives as long as this checkout.
      client.release = (destroy?: boolean | Error) => {
        if (destroy) return release(destroy);
        client.query(RESET_SQL).then(
          () => release(),
          (error: unknown) => release(error instanceof Error ? error : true),
        );
      };
      return client;
    },
    end: () => pool.end(),
  };
}
