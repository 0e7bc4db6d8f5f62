import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AS_OF, generateDataset } from '../bench/generate.js';
import { hotQueries, type HotQuery } from '../bench/hot-queries.js';
import { explainingDatabase, planOutline, sequentialScans, sortedFullIndexScans, type ExplainingDatabase } from '../bench/query-plans.js';
import { TOTAL_CAP } from '../src/queries/find-cases.js';
import { useTestDatabase } from './helpers/db.js';

/**
 * The reads every user makes all day (bench/hot-queries.ts: the case list with and without filters and its next
 * page, the case page's loads, the events of a case, the workbench, the statistics, the session lookup and row
 * scope) must not plan a sequential scan of a large table, nor walk a whole index of one to sort what it read
 * (the case list sorting every visible case for a page of 20, as before cases_opened_idx). They are run as the application runs them — the same
 * functions, inside the row scope of the accounts with the largest jurisdiction, the provincial commission's
 * handler and supervisor — on a generated province (bench/generate.ts) large enough that the planner's choice
 * means something (the tables it prefers to read whole at this size are the ones that are small at any size:
 * organizations, sessions), and each statement they send is EXPLAINed first, with its parameters, on the same
 * switched connection.
 */
const OFFICIALS = 12_000;
const CASES = 6_000;
/** A table with at least this many rows after the load is a large one here. */
const LARGE_ROWS = 4_000;

/**
 * Sequential scans that are the right plan, each with the reason. Keep this short: every entry is a read that
 * gets slower as the province grows.
 */
const ALLOWED: { query: string; table: string; statement: RegExp; why: string }[] = [
  {
    query: 'workbench',
    table: 'officials',
    statement: /from "followup_visits" as "v"/,
    why: 'the visits due within a week, across a province, are thousands (the generator leaves many overdue); joining them to their officials by hash reads the directory once, cheaper than a probe per visit',
  },
];

describe('hot query plans', () => {
  const database = useTestDatabase();
  let explaining: ExplainingDatabase;
  let queries: HotQuery[];
  let cleanup: () => Promise<void>;
  let large: Set<string>;

  beforeAll(async () => {
    await generateDataset({ url: database.current.url, officials: OFFICIALS, cases: CASES, chainLoad: 'bulk' });
    const client = new pg.Client({ connectionString: database.current.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ relname: string }>(
        `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.reltuples >= $1`,
        [LARGE_ROWS],
      );
      large = new Set(rows.map((r) => r.relname));
    } finally {
      await client.end();
    }
    explaining = explainingDatabase(database.current.url);
    ({ queries, cleanup } = await hotQueries(explaining.db, { now: () => DEFAULT_AS_OF }));
    explaining.take();
  }, 300_000);

  afterAll(async () => {
    await cleanup?.();
    await explaining?.close();
  });

  it('the generated province has large case tables (else the plans below prove nothing)', () => {
    for (const table of ['cases', 'officials', 'events', 'evidence', 'opinions', 'assessments', 'decisions', 'documents']) expect(large, table).toContain(table);
  });

  it('counts a province-wide case list only up to its cap, and a filtered one exactly', async () => {
    type Page = { total: number; totalCapped: boolean; data: unknown[] };
    const run = (name: string) => queries.find((q) => q.name === name)!.run() as Promise<Page>;
    const everything = await run('case list, first page');
    expect(everything).toMatchObject({ total: TOTAL_CAP, totalCapped: true });
    expect(everything.data).toHaveLength(20);
    const narrow = await run('case list, filtered by outcome and dates');
    expect(narrow.totalCapped).toBe(false);
    expect(narrow.total).toBeLessThan(TOTAL_CAP);
    explaining.take();
  });

  it('plans no sequential scan of a large table in any hot query, nor a sort of all its rows', async () => {
    const found: string[] = [];
    for (const query of queries) {
      await query.run();
      const plans = explaining.take();
      expect(plans.length, `${query.name} sent no read`).toBeGreaterThan(0);
      for (const plan of plans) {
        const scans = sequentialScans(plan.plan, large).filter((table) => !ALLOWED.some((a) => a.query === query.name && a.table === table && a.statement.test(plan.sql)));
        if (scans.length > 0) found.push(`${query.name}: Seq Scan on ${scans.join(', ')} in\n${plan.sql}\n${planOutline(plan.plan)}`);
        const walks = sortedFullIndexScans(plan.plan, large);
        if (walks.length > 0) found.push(`${query.name}: every row of ${walks.join(', ')} read to be sorted in\n${plan.sql}\n${planOutline(plan.plan)}`);
      }
    }
    expect(found).toEqual([]);
  });
});
