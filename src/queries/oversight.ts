import { sql, type RawBuilder } from 'kysely';
import type { Actor } from '../access/actor.js';
import { visibleCasesWhere } from '../access/case.js';
import type { Db } from '../db/connect.js';
import { listPacks } from '../policy/registry.js';

/**
 * Oversight for supervisors (Art. 20 ¶2; R15): where tolerance may be used as cover. Every figure is one
 * set-based query over the cases the supervisor may see (visibleCasesWhere), and carries the case ids behind it —
 * plus a `/cases?…` link where the case list's filters express the same set exactly.
 */

/** Outcomes that count as a tolerance decision (a revoked accountability is not one). */
export const DECIDED_OUTCOMES = ['exempt', 'reduced', 'not_tolerated'] as const;
export const TOLERATED_OUTCOMES = ['exempt', 'reduced'] as const;

/** The cases this actor may see, as a CTE body (`WITH vc AS (…)`). */
export function visibleCases(actor: Actor, extra: RawBuilder<unknown> = sql``): RawBuilder<unknown> {
  return sql`SELECT cases.* FROM cases WHERE ${visibleCasesWhere(actor)} ${extra}`;
}

/** The Art. 8 situations of every pack, by id, for labels ("第八条（一） …"). */
export function situationLabel(id: string): string {
  for (const pack of listPacks()) {
    const found = pack.situations.find((s) => s.id === id);
    if (found) return `${found.article}：${found.text.length > 24 ? `${found.text.slice(0, 24)}…` : found.text}`;
  }
  return id;
}

/** Latest assessment of each visible case (the one the list's situation filter reads). */
const LATEST_ASSESSMENT = sql`SELECT DISTINCT ON (a.case_id) a.case_id, a.input FROM assessments a JOIN vc ON vc.id = a.case_id ORDER BY a.case_id, a.position DESC`;

const rate = (tolerated: number, decided: number) => (decided === 0 ? 0 : Math.round((tolerated / decided) * 1000) / 1000);
const ids = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : []);

export async function toleranceByOrgan(db: Db, actor: Actor) {
  const { rows } = await sql<{ organ_id: string; organ_name: string; decided: string; tolerated: string; case_ids: string[]; tolerated_ids: string[] }>`
    WITH vc AS (${visibleCases(actor)})
    SELECT vc.organ_id, o.name AS organ_name,
           count(*) AS decided,
           count(*) FILTER (WHERE vc.outcome IN ('exempt', 'reduced')) AS tolerated,
           array_agg(vc.id ORDER BY vc.opened_at) AS case_ids,
           coalesce(array_agg(vc.id ORDER BY vc.opened_at) FILTER (WHERE vc.outcome IN ('exempt', 'reduced')), '{}') AS tolerated_ids
    FROM vc JOIN organizations o ON o.id = vc.organ_id
    WHERE vc.outcome IN ('exempt', 'reduced', 'not_tolerated')
    GROUP BY vc.organ_id, o.name
    ORDER BY o.name`.execute(db);
  return rows.map((r) => ({
    organId: r.organ_id,
    organName: r.organ_name,
    decided: Number(r.decided),
    tolerated: Number(r.tolerated),
    rate: rate(Number(r.tolerated), Number(r.decided)),
    caseIds: ids(r.case_ids),
    toleratedCaseIds: ids(r.tolerated_ids),
  }));
}

export async function toleranceBySituation(db: Db, actor: Actor) {
  const { rows } = await sql<{ situation: string; decided: string; tolerated: string; case_ids: string[]; tolerated_ids: string[] }>`
    WITH vc AS (${visibleCases(actor)}), la AS (${LATEST_ASSESSMENT})
    SELECT s.situation,
           count(*) AS decided,
           count(*) FILTER (WHERE vc.outcome IN ('exempt', 'reduced')) AS tolerated,
           array_agg(vc.id ORDER BY vc.opened_at) AS case_ids,
           coalesce(array_agg(vc.id ORDER BY vc.opened_at) FILTER (WHERE vc.outcome IN ('exempt', 'reduced')), '{}') AS tolerated_ids
    FROM vc
    JOIN la ON la.case_id = vc.id
    CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(la.input->'situations') = 'array' THEN la.input->'situations' ELSE '[]'::jsonb END) AS s(situation)
    WHERE vc.outcome IN ('exempt', 'reduced', 'not_tolerated')
    GROUP BY s.situation
    ORDER BY s.situation`.execute(db);
  return rows.map((r) => ({
    situation: r.situation,
    label: situationLabel(r.situation),
    decided: Number(r.decided),
    tolerated: Number(r.tolerated),
    rate: rate(Number(r.tolerated), Number(r.decided)),
    caseIds: ids(r.case_ids),
    toleratedCaseIds: ids(r.tolerated_ids),
    link: `/cases?situation=${encodeURIComponent(r.situation)}&outcome=${DECIDED_OUTCOMES.join(',')}`,
    toleratedLink: `/cases?situation=${encodeURIComponent(r.situation)}&outcome=${TOLERATED_OUTCOMES.join(',')}`,
  }));
}

/** Decisions (every version) whose outcome differs from the recommendation of the assessment their deliberation was held on. */
export async function departures(db: Db, actor: Actor) {
  const { rows } = await sql<{
    case_id: string; case_title: string; decision_id: string; version: number; outcome: string; recommendation: string;
    reason: string | null; deliberation_reason: string | null; decided_at: Date; current: boolean;
  }>`
    WITH vc AS (${visibleCases(actor)})
    SELECT vc.id AS case_id, vc.title AS case_title, d.id AS decision_id, d.version, d.outcome,
           a.engine_output->>'recommendation' AS recommendation, d.departure_reason AS reason,
           del.departure_reason AS deliberation_reason, d.decided_at, d.current
    FROM vc
    JOIN decisions d ON d.case_id = vc.id
    JOIN deliberations del ON del.id = d.deliberation_id
    JOIN assessments a ON a.id = del.assessment_id
    WHERE d.outcome IS DISTINCT FROM a.engine_output->>'recommendation'
    ORDER BY d.decided_at DESC, d.id`.execute(db);
  return rows.map((r) => ({
    caseId: r.case_id,
    caseTitle: r.case_title,
    decisionId: r.decision_id,
    version: r.version,
    current: r.current,
    outcome: r.outcome,
    recommendation: r.recommendation,
    reason: r.reason,
    deliberationReason: r.deliberation_reason,
    decidedAt: r.decided_at.toISOString(),
  }));
}

/** Officials tolerated (exempt or reduced) in more than one case. */
export async function repeatedTolerance(db: Db, actor: Actor) {
  const { rows } = await sql<{ official_id: string; official_name: string; position: string | null; n: string; case_ids: string[] }>`
    WITH vc AS (${visibleCases(actor)})
    SELECT vc.official_id, off.name AS official_name, off.position, count(*) AS n, array_agg(vc.id ORDER BY vc.opened_at) AS case_ids
    FROM vc JOIN officials off ON off.id = vc.official_id
    WHERE vc.outcome IN ('exempt', 'reduced')
    GROUP BY vc.official_id, off.name, off.position
    HAVING count(*) > 1
    ORDER BY count(*) DESC, off.name`.execute(db);
  return rows.map((r) => ({ officialId: r.official_id, officialName: r.official_name, position: r.position, count: Number(r.n), caseIds: ids(r.case_ids) }));
}

/** Applications the latest deliberation of their case did not answer (R2). */
export async function unansweredApplications(db: Db, actor: Actor) {
  const { rows } = await sql<{ application_id: string; case_id: string; case_title: string; applicant_kind: string; submitted_at: Date; deliberation_id: string }>`
    WITH vc AS (${visibleCases(actor)}),
    ld AS (SELECT DISTINCT ON (del.case_id) del.case_id, del.id, del.application_answers FROM deliberations del JOIN vc ON vc.id = del.case_id ORDER BY del.case_id, del.position DESC)
    SELECT ap.id AS application_id, vc.id AS case_id, vc.title AS case_title, ap.applicant_kind, ap.submitted_at, ld.id AS deliberation_id
    FROM vc
    JOIN ld ON ld.case_id = vc.id
    JOIN applications ap ON ap.case_id = vc.id
    WHERE NOT (ld.application_answers @> jsonb_build_array(jsonb_build_object('applicationId', ap.id::text)))
    ORDER BY ap.submitted_at, ap.id`.execute(db);
  return rows.map((r) => ({
    applicationId: r.application_id,
    caseId: r.case_id,
    caseTitle: r.case_title,
    applicantKind: r.applicant_kind,
    submittedAt: r.submitted_at.toISOString(),
    deliberationId: r.deliberation_id,
  }));
}

/** Current decisions taken by the user who opened the case, or who recorded the deliberation it rests on. */
export async function recusalWarnings(db: Db, actor: Actor) {
  const { rows } = await sql<{ case_id: string; case_title: string; decision_id: string; user_id: string; user_name: string; opened: boolean; deliberated: boolean }>`
    WITH vc AS (${visibleCases(actor)})
    SELECT vc.id AS case_id, vc.title AS case_title, d.id AS decision_id, d.decided_by AS user_id, u.display_name AS user_name,
           (vc.opened_by = d.decided_by) AS opened,
           coalesce(del.recorded_by = d.decided_by, false) AS deliberated
    FROM vc
    JOIN decisions d ON d.case_id = vc.id AND d.current
    JOIN users u ON u.id = d.decided_by
    LEFT JOIN deliberations del ON del.id = d.deliberation_id
    WHERE vc.opened_by = d.decided_by OR del.recorded_by = d.decided_by
    ORDER BY d.decided_at DESC, d.id`.execute(db);
  return rows.map((r) => ({
    caseId: r.case_id,
    caseTitle: r.case_title,
    decisionId: r.decision_id,
    userId: r.user_id,
    userName: r.user_name,
    openedAndDecided: r.opened,
    deliberatedAndDecided: r.deliberated,
  }));
}

/** Rectification items of visible cases whose deadline (a Beijing day) has passed and that are not done. */
export async function overdueRectification(db: Db, actor: Actor, today: string) {
  const { rows } = await sql<{ item_id: string; case_id: string; case_title: string; title: string; deadline: string; status: string }>`
    WITH vc AS (${visibleCases(actor)})
    SELECT i.id AS item_id, vc.id AS case_id, vc.title AS case_title, i.title, to_char(i.deadline, 'YYYY-MM-DD') AS deadline, i.status
    FROM vc
    JOIN rectification_plans p ON p.case_id = vc.id
    JOIN rectification_items i ON i.plan_id = p.id
    WHERE i.deadline < ${today}::date AND i.status <> 'done'
    ORDER BY i.deadline, i.id`.execute(db);
  return rows.map((r) => ({ itemId: r.item_id, caseId: r.case_id, caseTitle: r.case_title, title: r.title, deadline: r.deadline, status: r.status }));
}

export async function getOversight(db: Db, actor: Actor, today: string) {
  const [byOrgan, bySituation, departed, repeated, unanswered, recusal, overdue] = await Promise.all([
    toleranceByOrgan(db, actor),
    toleranceBySituation(db, actor),
    departures(db, actor),
    repeatedTolerance(db, actor),
    unansweredApplications(db, actor),
    recusalWarnings(db, actor),
    overdueRectification(db, actor, today),
  ]);
  return {
    toleranceByOrgan: byOrgan,
    toleranceBySituation: bySituation,
    departures: departed,
    repeatedTolerance: repeated,
    unansweredApplications: unanswered,
    recusalWarnings: recusal,
    overdueRectification: overdue,
  };
}

export type Oversight = Awaited<ReturnType<typeof getOversight>>;
