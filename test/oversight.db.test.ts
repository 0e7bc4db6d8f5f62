import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock.js';
import { DEMO_PASSWORD, seedDemo } from '../src/db/seed-demo.js';
import type { Oversight } from '../src/queries/oversight.js';
import type { Statistics } from '../src/queries/statistics.js';
import { buildTestApp, signInAs, tempFileStore, type SignedIn } from './helpers/app.js';
import { createUser } from './helpers/factories.js';
import { useTestDatabase } from './helpers/db.js';

/**
 * Oversight (Art. 20 ¶2, R15) and statistics on the demo data: each figure against a direct SQL count, the
 * departure with its reason, a district supervisor seeing only the district, the workbook with the same numbers.
 */
describe('oversight and statistics', () => {
  const database = useTestDatabase();
  const clock = fixedClock('2026-06-30T02:00:00Z');
  let app: FastifyInstance;
  let jiandu: SignedIn;
  let district: SignedIn;
  let districtOrganId: string;

  beforeAll(async () => {
    const db = database.current.db;
    const files = await tempFileStore();
    expect(await seedDemo(db, clock, files)).toBe(true);
    app = await buildTestApp(db, clock, { files });
    jiandu = await signInAs(app, { username: 'jiandu', password: DEMO_PASSWORD });
    const dc = await db.selectFrom('organizations').select('id').where('short_name', '=', '东城区纪委监委').executeTakeFirstOrThrow();
    districtOrganId = dc.id;
    district = await signInAs(app, await createUser(db, { username: 'dc-jiandu', roles: [{ role: 'supervisor', organizationId: dc.id }] }));
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  const oversightOf = async (who: SignedIn) => {
    const response = await who.inject({ method: 'GET', url: '/api/v1/oversight' });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { data: Oversight }).data;
  };
  const statisticsOf = async (who: SignedIn, query = '') => {
    const response = await who.inject({ method: 'GET', url: `/api/v1/statistics${query}` });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { data: Statistics }).data;
  };
  const count = async (query: ReturnType<typeof sql<{ n: string }>>) => Number((await query.execute(database.current.db)).rows[0]!.n);

  it('counts tolerance by organ and by situation as the tables do', async () => {
    const db = database.current.db;
    const data = await oversightOf(jiandu);
    const decided = await count(sql<{ n: string }>`SELECT count(*) AS n FROM cases WHERE outcome IN ('exempt', 'reduced', 'not_tolerated')`);
    const tolerated = await count(sql<{ n: string }>`SELECT count(*) AS n FROM cases WHERE outcome IN ('exempt', 'reduced')`);
    expect(decided).toBeGreaterThan(0);
    expect(data.toleranceByOrgan.reduce((s, r) => s + r.decided, 0)).toBe(decided);
    expect(data.toleranceByOrgan.reduce((s, r) => s + r.tolerated, 0)).toBe(tolerated);
    for (const row of data.toleranceByOrgan) {
      expect(row.caseIds).toHaveLength(row.decided);
      expect(row.rate).toBeCloseTo(row.tolerated / row.decided, 3);
      const n = await count(sql<{ n: string }>`SELECT count(*) AS n FROM cases WHERE organ_id = ${row.organId} AND outcome IN ('exempt', 'reduced')`);
      expect(row.tolerated).toBe(n);
    }
    const { rows } = await sql<{ situation: string; n: string }>`
      SELECT s AS situation, count(*) AS n FROM cases c
      JOIN LATERAL (SELECT input FROM assessments WHERE case_id = c.id ORDER BY position DESC LIMIT 1) a ON true
      CROSS JOIN LATERAL jsonb_array_elements_text(a.input->'situations') s
      WHERE c.outcome IN ('exempt', 'reduced', 'not_tolerated') GROUP BY s`.execute(db);
    expect(Object.fromEntries(data.toleranceBySituation.map((r) => [r.situation, r.decided]))).toEqual(Object.fromEntries(rows.map((r) => [r.situation, Number(r.n)])));
    for (const row of data.toleranceBySituation) expect(row.link).toContain(`situation=${row.situation}`);
  });

  it('lists a departure from the recommendation with its reason (R15), and the other figures as the tables do', async () => {
    const data = await oversightOf(jiandu);
    expect(data.departures.length).toBeGreaterThan(0);
    const departure = data.departures.find((d) => d.reason?.includes('损失金额较大'));
    expect(departure).toBeDefined();
    expect(departure!.outcome).not.toBe(departure!.recommendation);
    const departed = await count(sql<{ n: string }>`
      SELECT count(*) AS n FROM decisions d JOIN deliberations del ON del.id = d.deliberation_id JOIN assessments a ON a.id = del.assessment_id
      WHERE d.outcome <> a.engine_output->>'recommendation'`);
    expect(data.departures).toHaveLength(departed);

    const repeated = await count(sql<{ n: string }>`SELECT count(*) AS n FROM (SELECT official_id FROM cases WHERE outcome IN ('exempt', 'reduced') GROUP BY official_id HAVING count(*) > 1) x`);
    expect(data.repeatedTolerance).toHaveLength(repeated);
    const recusal = await count(sql<{ n: string }>`
      SELECT count(*) AS n FROM decisions d JOIN cases c ON c.id = d.case_id LEFT JOIN deliberations del ON del.id = d.deliberation_id
      WHERE d.current AND (c.opened_by = d.decided_by OR del.recorded_by = d.decided_by)`);
    expect(data.recusalWarnings).toHaveLength(recusal);
    const unanswered = await count(sql<{ n: string }>`
      SELECT count(*) AS n FROM applications ap
      JOIN LATERAL (SELECT application_answers FROM deliberations WHERE case_id = ap.case_id ORDER BY position DESC LIMIT 1) ld ON true
      WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(ld.application_answers) x WHERE x->>'applicationId' = ap.id::text)`);
    expect(data.unansweredApplications).toHaveLength(unanswered);
    const overdue = await count(sql<{ n: string }>`
      SELECT count(*) AS n FROM rectification_items i JOIN rectification_plans p ON p.id = i.plan_id
      WHERE p.case_id IS NOT NULL AND i.deadline < DATE '2026-06-30' AND i.status <> 'done'`);
    expect(data.overdueRectification).toHaveLength(overdue);
  });

  it('counts statistics by state, outcome, situation, organ and month as the tables do', async () => {
    const db = database.current.db;
    const stats = await statisticsOf(jiandu);
    const total = await count(sql<{ n: string }>`SELECT count(*) AS n FROM cases`);
    expect(stats.total).toBe(total);
    const byState = await sql<{ state: string; n: string }>`SELECT state, count(*) AS n FROM cases GROUP BY state`.execute(db);
    expect(Object.fromEntries(stats.byState.map((r) => [r.key, r.count]))).toEqual(Object.fromEntries(byState.rows.map((r) => [r.state, Number(r.n)])));
    const byOutcome = await sql<{ outcome: string | null; n: string }>`SELECT outcome, count(*) AS n FROM cases GROUP BY outcome`.execute(db);
    expect(Object.fromEntries(stats.byOutcome.map((r) => [r.key, r.count]))).toEqual(Object.fromEntries(byOutcome.rows.map((r) => [r.outcome ?? 'none', Number(r.n)])));
    for (const key of ['byState', 'byOrgan', 'byMonth'] as const) expect(stats[key].reduce((s, r) => s + r.count, 0)).toBe(total);
    expect(stats.byState.every((r) => r.link?.startsWith(`/cases?state=${r.key}`))).toBe(true);
    const timing = (await sql<{ decided: string; mean: number | null }>`
      SELECT count(*) AS decided, avg(extract(epoch FROM decided_at - opened_at) / 86400.0)::float8 AS mean FROM cases WHERE decided_at IS NOT NULL`.execute(db)).rows[0]!;
    expect(stats.decisionDays.decided).toBe(Number(timing.decided));
    if (timing.mean !== null) expect(stats.decisionDays.meanDays).toBeCloseTo(timing.mean, 0);
    const rect = (await sql<{ total: string; done: string }>`
      SELECT count(*) AS total, count(*) FILTER (WHERE i.status = 'done') AS done FROM rectification_items i JOIN rectification_plans p ON p.id = i.plan_id WHERE p.case_id IS NOT NULL`.execute(db)).rows[0]!;
    expect(stats.rectification).toMatchObject({ total: Number(rect.total), done: Number(rect.done) });

    // A date range reads like the case list's openedFrom/openedTo.
    const first = stats.byMonth[0]!.key;
    const [year, month] = first.split('-').map(Number) as [number, number];
    const lastDay = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
    const ranged = await statisticsOf(jiandu, `?from=${first}-01&to=${lastDay}`);
    expect(ranged.total).toBe(stats.byMonth[0]!.count);
  });

  it('shows a district supervisor only the district', async () => {
    const db = database.current.db;
    const data = await oversightOf(district);
    const districtCases = new Set((await db.selectFrom('cases').select('id').where('organ_id', '=', districtOrganId).execute()).map((r) => r.id));
    expect(districtCases.size).toBeGreaterThan(0);
    const seen = [
      ...data.toleranceByOrgan.flatMap((r) => r.caseIds),
      ...data.toleranceBySituation.flatMap((r) => r.caseIds),
      ...data.departures.map((r) => r.caseId),
      ...data.repeatedTolerance.flatMap((r) => r.caseIds),
      ...data.unansweredApplications.map((r) => r.caseId),
      ...data.recusalWarnings.map((r) => r.caseId),
      ...data.overdueRectification.map((r) => r.caseId),
    ];
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((id) => districtCases.has(id))).toBe(true);
    expect(data.toleranceByOrgan.every((r) => r.organId === districtOrganId)).toBe(true);
    const stats = await statisticsOf(district);
    expect(stats.total).toBe(districtCases.size);
    expect(stats.total).toBeLessThan((await statisticsOf(jiandu)).total);
  });

  it('counts, for the organization department, the cases of every official its committee manages — without links to them', async () => {
    const zuzhibu = await signInAs(app, { username: 'zuzhibu', password: DEMO_PASSWORD });
    const stats = await statisticsOf(zuzhibu);
    const expected = await count(sql<{ n: string }>`
      WITH RECURSIVE down(id) AS (
        SELECT parent_id FROM organizations WHERE short_name = '市委组织部'
        UNION SELECT o.id FROM organizations o JOIN down ON o.parent_id = down.id)
      SELECT count(*) AS n FROM cases JOIN officials ON officials.id = cases.official_id WHERE officials.managing_org_id IN (SELECT id FROM down)`);
    expect(expected).toBeGreaterThan(0);
    expect(stats.total).toBe(expected);
    expect(stats.byState.reduce((sum, r) => sum + r.count, 0)).toBe(expected);
    // The department may not open these cases, so no figure links into the case list.
    const list = await zuzhibu.inject({ method: 'GET', url: '/api/v1/cases' });
    expect((list.json() as { data: unknown[] }).data).toHaveLength(0);
    expect([...stats.byState, ...stats.byOutcome, ...stats.bySituation].every((r) => r.link === null)).toBe(true);
  });

  it('exports the statistics as a workbook with the same numbers, one sheet per figure', async () => {
    const stats = await statisticsOf(jiandu);
    const response = await jiandu.inject({ method: 'GET', url: '/api/v1/statistics.xlsx' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['概况', '按阶段', '按结果', '按情形', '按单位', '按月份', '办理用时', '整改完成']);
    const rowsOf = (name: string) => {
      const out: [string, number][] = [];
      workbook.getWorksheet(name)!.eachRow((row, i) => {
        if (i > 1) out.push([String(row.getCell(1).value), Number(row.getCell(2).value)]);
      });
      return out;
    };
    expect(workbook.getWorksheet('按阶段')!.getRow(1).getCell(1).value).toBe('阶段');
    expect(rowsOf('按阶段')).toEqual(stats.byState.map((r) => [r.label, r.count]));
    expect(rowsOf('按结果')).toEqual(stats.byOutcome.map((r) => [r.label, r.count]));
    expect(rowsOf('按情形')).toEqual(stats.bySituation.map((r) => [r.label, r.count]));
    expect(rowsOf('按单位')).toEqual(stats.byOrgan.map((r) => [r.label, r.count]));
    expect(rowsOf('按月份')).toEqual(stats.byMonth.map((r) => [r.label, r.count]));
    expect(rowsOf('概况')[2]).toEqual(['案件总数', stats.total]);
    expect(Number(workbook.getWorksheet('整改完成')!.getRow(2).getCell(1).value)).toBe(stats.rectification.total);
  });

  it('refuses oversight to anyone but a supervisor, and statistics to roles without them', async () => {
    for (const username of ['jiwei', 'zuzhibu', 'hanmingzhe']) {
      const who = await signInAs(app, { username, password: DEMO_PASSWORD });
      const response = await who.inject({ method: 'GET', url: '/api/v1/oversight' });
      expect(response.statusCode, username).toBe(403);
    }
    const handler = await signInAs(app, { username: 'jiwei', password: DEMO_PASSWORD });
    expect((await handler.inject({ method: 'GET', url: '/api/v1/statistics' })).statusCode).toBe(200);
    const official = await signInAs(app, { username: 'hanmingzhe', password: DEMO_PASSWORD });
    expect((await official.inject({ method: 'GET', url: '/api/v1/statistics' })).statusCode).toBe(403);
    expect((await official.inject({ method: 'GET', url: '/api/v1/statistics.xlsx' })).statusCode).toBe(403);
    expect((await jiandu.inject({ method: 'GET', url: '/api/v1/statistics?from=2026-02-01&to=2026-01-01' })).statusCode).toBe(400);
  });
});
