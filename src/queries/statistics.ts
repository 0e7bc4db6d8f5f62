import ExcelJS from 'exceljs';
import { sql, type RawBuilder } from 'kysely';
import type { Actor } from '../access/actor.js';
import { CASE_STATES, OUTCOMES, type CaseState } from '../cases/procedure.js';
import type { Db } from '../db/connect.js';
import { visibleCasesWhere } from '../access/case.js';
import { withinClearance } from '../access/clearance.js';
import { managedOfficialsWhere, scopeOf } from '../commands/followup/jurisdiction.js';
import { situationLabel } from './oversight.js';

/**
 * Statistics for leaders (工作台): counts of the cases within the user's jurisdiction opened in [from, to], one
 * set-based query per figure. Dates are read like the case list reads openedFrom/openedTo, so each link to
 * `/cases?…` lists the same cases that were counted.
 */
export interface StatisticsRange {
  from?: string;
  to?: string;
}

export interface Count {
  key: string;
  label: string;
  count: number;
  link: string | null;
}

const DAY_MS = 24 * 3600 * 1000;

function rangeWhere(range: StatisticsRange): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (range.from) parts.push(sql`AND cases.opened_at >= ${new Date(range.from)}`);
  if (range.to) parts.push(sql`AND cases.opened_at < ${new Date(new Date(range.to).getTime() + DAY_MS)}`);
  return sql.join(parts, sql` `);
}

function listLink(range: StatisticsRange, params: Record<string, string>): string {
  const query = new URLSearchParams(params);
  if (range.from) query.set('openedFrom', range.from);
  if (range.to) query.set('openedTo', range.to);
  return `/cases?${query.toString()}`;
}

type Row = { key: string | null; label?: string | null; n: string | number };

/**
 * The cases counted for this actor: those they may see, plus — for the organization department, which works for
 * its party committee (Art. 19(2)) — the cases of every official the committee manages. The department sees the
 * counts, not the cases: its figures carry no links into the case list.
 */
async function countedCases(db: Db, actor: Actor, range: StatisticsRange): Promise<{ vc: RawBuilder<unknown>; linkable: boolean }> {
  const orgDept = await scopeOf(db, actor, ['organization-department']);
  const where =
    orgDept.roots.length === 0
      ? visibleCasesWhere(actor)
      : sql`(${visibleCasesWhere(actor)} OR (cases.official_id IN (SELECT officials.id FROM officials WHERE ${managedOfficialsWhere(orgDept)}) AND ${withinClearance(actor)}))`;
  return { vc: sql`SELECT cases.id, cases.state, cases.outcome, cases.organ_id, cases.opened_at, cases.decided_at FROM cases WHERE ${where} ${rangeWhere(range)}`, linkable: orgDept.roots.length === 0 };
}

export async function getStatistics(db: Db, actor: Actor, range: StatisticsRange) {
  const { vc, linkable } = await countedCases(db, actor, range);
  const link = (r: StatisticsRange, params: Record<string, string>) => (linkable ? listLink(r, params) : null);
  // One statement: the counted cases are read once (MATERIALIZED) and every figure is computed from them — eight
  // statements each reading the jurisdiction's cases again took seconds on a province.
  const { rows: [figures] } = await sql<{
    by_state: Row[] | null;
    by_outcome: Row[] | null;
    by_situation: Row[] | null;
    by_organ: Row[] | null;
    by_month: Row[] | null;
    decided: string;
    median: number | null;
    mean: number | null;
    rect_total: string;
    rect_done: string;
  }>`
    WITH vc AS MATERIALIZED (${vc}),
    -- Each case's latest assessment by its index, only the situations (sorting every assessment's whole input
    -- spilled to disk on a province).
    la AS (SELECT last.situations FROM vc CROSS JOIN LATERAL (SELECT a.input->'situations' AS situations FROM assessments a WHERE a.case_id = vc.id ORDER BY a.position DESC LIMIT 1) last),
    d AS (SELECT extract(epoch FROM (decided_at - opened_at)) / 86400.0 AS days FROM vc WHERE decided_at IS NOT NULL)
    SELECT
      (SELECT json_agg(x) FROM (SELECT state AS key, count(*) AS n FROM vc GROUP BY state) x) AS by_state,
      (SELECT json_agg(x) FROM (SELECT outcome AS key, count(*) AS n FROM vc GROUP BY outcome) x) AS by_outcome,
      (SELECT json_agg(x ORDER BY x.key) FROM (
        SELECT s.situation AS key, count(*) AS n
        FROM la CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(la.situations) = 'array' THEN la.situations ELSE '[]'::jsonb END) AS s(situation)
        GROUP BY s.situation) x) AS by_situation,
      (SELECT json_agg(x ORDER BY x.n DESC, x.label) FROM (
        SELECT g.organ_id::text AS key, o.name AS label, g.n FROM (SELECT organ_id, count(*) AS n FROM vc GROUP BY organ_id) g JOIN organizations o ON o.id = g.organ_id) x) AS by_organ,
      (SELECT json_agg(x ORDER BY x.key) FROM (SELECT to_char(opened_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS key, count(*) AS n FROM vc GROUP BY 1) x) AS by_month,
      (SELECT count(*) FROM d) AS decided,
      (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY days)::float8 FROM d) AS median,
      (SELECT avg(days)::float8 FROM d) AS mean,
      r.total AS rect_total, r.done AS rect_done
    FROM (
      SELECT count(i.id) AS total, count(i.id) FILTER (WHERE i.status = 'done') AS done
      FROM vc JOIN rectification_plans p ON p.case_id = vc.id JOIN rectification_items i ON i.plan_id = p.id) r`.execute(db);
  const byState = { rows: figures!.by_state ?? [] };
  const byOutcome = { rows: figures!.by_outcome ?? [] };
  const bySituation = { rows: figures!.by_situation ?? [] };
  const byOrgan = { rows: figures!.by_organ ?? [] };
  const byMonth = { rows: figures!.by_month ?? [] };
  const timing = { rows: [{ decided: figures!.decided, median: figures!.median, mean: figures!.mean }] };
  const rectification = { rows: [{ total: figures!.rect_total, done: figures!.rect_done }] };
  const total = { rows: [{ n: String(byState.rows.reduce((sum, r) => sum + Number(r.n), 0)) }] };
  const round = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
  const rectTotal = Number(rectification.rows[0]!.total);
  const rectDone = Number(rectification.rows[0]!.done);
  const stateOrder = Object.keys(CASE_STATES);
  const outcomeOrder = [...Object.keys(OUTCOMES), null];
  return {
    range: { from: range.from ?? null, to: range.to ?? null },
    total: Number(total.rows[0]!.n),
    byState: byState.rows
      .sort((a, b) => stateOrder.indexOf(a.key!) - stateOrder.indexOf(b.key!))
      .map((r): Count => ({ key: r.key!, label: CASE_STATES[r.key as CaseState] ?? r.key!, count: Number(r.n), link: link(range, { state: r.key! }) })),
    byOutcome: byOutcome.rows
      .sort((a, b) => outcomeOrder.indexOf(a.key) - outcomeOrder.indexOf(b.key))
      .map((r): Count => ({
        key: r.key ?? 'none',
        label: r.key ? (OUTCOMES as Record<string, string>)[r.key] ?? r.key : '尚未作出决定',
        count: Number(r.n),
        link: r.key ? link(range, { outcome: r.key }) : null,
      })),
    bySituation: bySituation.rows.map((r): Count => ({ key: r.key!, label: situationLabel(r.key!), count: Number(r.n), link: link(range, { situation: r.key! }) })),
    // The list's organ filter takes the organ's subtree, so an organ's own count is not a list filter: no link.
    byOrgan: byOrgan.rows.map((r): Count => ({ key: r.key!, label: r.label ?? r.key!, count: Number(r.n), link: null })),
    byMonth: byMonth.rows.map((r): Count => ({ key: r.key!, label: r.key!, count: Number(r.n), link: null })),
    decisionDays: { decided: Number(timing.rows[0]!.decided), medianDays: round(timing.rows[0]!.median), meanDays: round(timing.rows[0]!.mean) },
    rectification: { total: rectTotal, done: rectDone, rate: rectTotal === 0 ? null : Math.round((rectDone / rectTotal) * 1000) / 1000 },
  };
}

export type Statistics = Awaited<ReturnType<typeof getStatistics>>;

/** The statistics as a workbook: one sheet per figure, Chinese headers. */
export async function statisticsWorkbook(stats: Statistics): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '容错纠错工作平台';
  const countSheet = (name: string, header: string, rows: Count[]) => {
    const sheet = workbook.addWorksheet(name);
    sheet.columns = [
      { header, key: 'label', width: 40 },
      { header: '案件数', key: 'count', width: 12 },
    ];
    for (const r of rows) sheet.addRow({ label: r.label, count: r.count });
    sheet.getRow(1).font = { bold: true };
  };
  const overview = workbook.addWorksheet('概况');
  overview.columns = [
    { header: '项目', key: 'item', width: 30 },
    { header: '数值', key: 'value', width: 20 },
  ];
  overview.addRow({ item: '统计起始日期', value: stats.range.from ?? '不限' });
  overview.addRow({ item: '统计截止日期', value: stats.range.to ?? '不限' });
  overview.addRow({ item: '案件总数', value: stats.total });
  overview.getRow(1).font = { bold: true };
  countSheet('按阶段', '阶段', stats.byState);
  countSheet('按结果', '结果', stats.byOutcome);
  countSheet('按情形', '第八条情形', stats.bySituation);
  countSheet('按单位', '责任追究机关', stats.byOrgan);
  countSheet('按月份', '启动月份', stats.byMonth);
  const timing = workbook.addWorksheet('办理用时');
  timing.columns = [
    { header: '已作出决定案件数', key: 'decided', width: 20 },
    { header: '启动至决定天数中位数', key: 'median', width: 24 },
    { header: '启动至决定平均天数', key: 'mean', width: 24 },
  ];
  timing.addRow({ decided: stats.decisionDays.decided, median: stats.decisionDays.medianDays, mean: stats.decisionDays.meanDays });
  timing.getRow(1).font = { bold: true };
  const rect = workbook.addWorksheet('整改完成');
  rect.columns = [
    { header: '整改事项总数', key: 'total', width: 16 },
    { header: '已完成', key: 'done', width: 12 },
    { header: '完成率', key: 'rate', width: 12 },
  ];
  rect.addRow({ total: stats.rectification.total, done: stats.rectification.done, rate: stats.rectification.rate });
  rect.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
