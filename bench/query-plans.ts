import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Actor } from '../src/access/actor.js';
import { rowScopeOf } from '../src/access/row-scope.js';
// connect.js also sets the pg type parsers the application relies on (a DATE stays 'YYYY-MM-DD').
import type { Db } from '../src/db/connect.js';
import '../src/db/connect.js';
import { rowScopedPool, runInRowScope } from '../src/db/row-security.js';
import type { Database } from '../src/db/schema.js';

/**
 * The plans of the queries the application really sends: a database handle built like connectDatabase's (the same
 * row-scoped pool, so inside runInRowScope its connections act as rongcuo_app with the user's jurisdiction), whose
 * connections first EXPLAIN every read they are asked to run — with the same parameters, on the same switched
 * connection — and keep the plan. Used by test/hot-query-plans.db.test.ts (no sequential scan of a large table)
 * and by `npm run bench -- db` (each hot query's time as PostgreSQL measures it).
 */
export interface CapturedPlan {
  sql: string;
  parameters: unknown[];
  /** EXPLAIN's JSON: the plan tree under `Plan`, with `Execution Time` when analysed. */
  plan: PlanNode;
  executionMs?: number;
  planningMs?: number;
  /** The same plan as EXPLAIN's text, when asked for (`text: true`): for a person reading it. */
  text?: string;
}

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Plan Rows'?: number;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

const READ = /^\s*(select|with)\b/i;
const WRITES = /\b(insert|update|delete|merge)\s/i;
const WRAPPED = Symbol('explaining');

export interface ExplainingDatabase {
  db: Db;
  pool: pg.Pool;
  /** Plans captured since the last `take()`, in the order the queries ran. */
  take(): CapturedPlan[];
  close(): Promise<void>;
}

export function explainingDatabase(url: string, options: { analyze?: boolean; text?: boolean; max?: number } = {}): ExplainingDatabase {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 4 });
  pool.on('error', () => undefined);
  let captured: CapturedPlan[] = [];
  const explain = options.analyze ? 'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ' : 'EXPLAIN (FORMAT JSON) ';
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
    const target = client as pg.PoolClient & { [WRAPPED]?: true };
    if (target[WRAPPED]) return;
    target[WRAPPED] = true;
    const original = client.query.bind(client) as (text: string, values?: unknown[]) => Promise<pg.QueryResult>;
    (client as unknown as { query: unknown }).query = async (text: unknown, values?: unknown[]) => {
      if (typeof text === 'string' && READ.test(text) && !WRITES.test(text)) {
        const result = await original(explain + text, values);
        const [root] = result.rows[0]!['QUERY PLAN'] as [{ Plan: PlanNode; 'Execution Time'?: number; 'Planning Time'?: number }];
        const readable = options.text ? (await original(`EXPLAIN${options.analyze ? ' (ANALYZE, BUFFERS)' : ''} ${text}`, values)).rows.map((r) => r['QUERY PLAN'] as string).join('\n') : undefined;
        captured.push({
          sql: text,
          parameters: values ?? [],
          plan: root.Plan,
          ...(root['Execution Time'] !== undefined ? { executionMs: root['Execution Time'] } : {}),
          ...(root['Planning Time'] !== undefined ? { planningMs: root['Planning Time'] } : {}),
          ...(readable !== undefined ? { text: readable } : {}),
        });
      }
      return original(text as string, values);
    };
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: rowScopedPool(pool) }) });
  return {
    db,
    pool,
    take: () => {
      const taken = captured;
      captured = [];
      return taken;
    },
    close: () => db.destroy(),
  };
}

/** Every node of a plan, depth first. */
export function* planNodes(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* planNodes(child);
}

/** A plan as an indented outline (node, relation, index, estimated rows), for a failure message. */
export function planOutline(node: PlanNode, depth = 0): string {
  const what = [node['Node Type'], node['Relation Name'] ? `on ${node['Relation Name']}` : '', node['Index Name'] ? `using ${node['Index Name']}` : '', `(rows ${node['Plan Rows']})`].filter(Boolean).join(' ');
  return [`${'  '.repeat(depth)}${what}`, ...(node.Plans ?? []).map((child) => planOutline(child, depth + 1))].join('\n');
}

/** The sequential scans in a plan of the given tables (all tables when none given). */
export const sequentialScans = (plan: PlanNode, tables?: ReadonlySet<string>): string[] =>
  [...planNodes(plan)].filter((n) => n['Node Type'] === 'Seq Scan' && (!tables || tables.has(n['Relation Name']!))).map((n) => n['Relation Name']!);

/**
 * Index scans without an index condition (a walk of the whole index, i.e. of the whole table) of the given tables
 * below a Sort: every row read to be sorted, where an index in the sort's order would read only the rows wanted.
 * (Without a Sort above, such a walk in index order under a Limit stops early, and is what an ordered index is for.)
 */
export function sortedFullIndexScans(plan: PlanNode, tables: ReadonlySet<string>, sorted = false): string[] {
  const here = sorted && (plan['Node Type'] === 'Index Scan' || plan['Node Type'] === 'Index Only Scan') && plan['Index Cond'] === undefined && tables.has(plan['Relation Name']!);
  const below = (plan.Plans ?? []).flatMap((child) => sortedFullIndexScans(child, tables, sorted || plan['Node Type'] === 'Sort' || plan['Node Type'] === 'Incremental Sort'));
  return here ? [`${plan['Relation Name']} (${plan['Index Name']})`, ...below] : below;
}

/** An account as the application sees it once signed in (src/access/session.ts builds the same). */
export async function actorOf(db: Db, username: string): Promise<Actor> {
  const user = await db.selectFrom('users').select(['id', 'username', 'display_name', 'official_id']).where('username', '=', username).executeTakeFirstOrThrow();
  const roles = await db.selectFrom('user_roles').select(['role', 'organization_id']).where('user_id', '=', user.id).execute();
  return { userId: user.id, username: user.username, displayName: user.display_name, officialId: user.official_id, roles: roles.map((r) => ({ role: r.role, organizationId: r.organization_id })) };
}

/** Runs `fn` as the application runs a request of this user: inside their row scope. */
export async function asUser<T>(db: Db, actor: Actor, fn: () => Promise<T>): Promise<T> {
  return runInRowScope(await rowScopeOf(db, actor), fn);
}
