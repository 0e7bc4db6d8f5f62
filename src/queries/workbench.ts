import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Actor } from '../access/actor.js';
import { grantsOf, strictlyBelow, subtreeOf, visibleCasesWhere } from '../access/case.js';
import { MEASURES_ALLOWED_WITH_EXEMPTION } from '../cases/settings.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';

/**
 * The kinds of work the 工作台 lists, each for the relation to the case that may do it (ACTION_ROLES):
 * the deciding organ's handler conducts the case; a superior handler may also decide an appeal; members
 * deliberate; the higher authority approves; the invited expert answers; the official states their case and may
 * appeal; the party organization may apply for tolerance.
 */
export const TASK_KINDS = [
  'investigate',
  'deliberate',
  'decide',
  'approve',
  'serve',
  'handle-appeal',
  'close',
  'answer-application',
  'expert-opinion',
  'statement',
  'appeal',
  'application',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export interface WorkItem {
  task: TaskKind;
  caseId: string;
  caseTitle: string;
  official: { name: string; position: string };
  organ: { name: string };
  state: string;
  /** When the task became due (ISO). */
  since: string;
  /** When it must be done by, where a rule sets a time (ISO), else null. */
  deadline: string | null;
}

export interface Workbench {
  items: WorkItem[];
  counts: Record<TaskKind, number>;
}

/** The most items listed; `counts` always counts them all. */
export const WORKBENCH_LIMIT = 100;

interface TaskRow {
  task: TaskKind;
  case_id: string;
  title: string;
  official_name: string;
  official_position: string;
  organ_name: string;
  state: string;
  since: Date;
  deadline: Date | null;
}

const uuids = (ids: readonly string[]) => sql`${sql.val(ids)}::uuid[]`;

/**
 * The user's to-do list, computed in the database. Every task is the intersection of three things: the case is
 * visible to the user (visibleCasesWhere, the same filter as every list), the user holds the relation that may
 * take the action (the same rules as findCaseRelations and ACTION_ROLES), and the case is at the step where the
 * action is possible — with the cheap rule checks a command would make first (a participant in the decision may
 * not decide its appeal, nobody approves their own decision, the appeal window).
 */
export async function getWorkbench(db: Db, actor: Actor, clock: Clock): Promise<Workbench> {
  const counts = Object.fromEntries(TASK_KINDS.map((kind) => [kind, 0])) as Record<TaskKind, number>;
  const now = clock.now();
  const me = sql`${actor.userId}::uuid`;

  const handlerOrgs = grantsOf(actor, 'handler');
  const memberOrgs = grantsOf(actor, 'deliberation-member');
  const approverOrgs = grantsOf(actor, 'approver');
  const partyOrgs = grantsOf(actor, 'party-organization');
  const isExpert = grantsOf(actor, 'expert').length > 0;
  const officialId = actor.officialId;

  const no = sql<SqlBool>`false`;
  // One flag per relation, evaluated once per case in the base set.
  const relations = {
    // "谁问责追责、谁容错": only the deciding organ's own handlers conduct the case.
    handler: handlerOrgs.length > 0 ? sql<SqlBool>`cases.organ_id = ANY(${uuids(handlerOrgs)})` : no,
    // The deciding organ's handlers and those of its superiors may decide an appeal.
    appealHandler: handlerOrgs.length > 0 ? sql<SqlBool>`cases.organ_id IN ${subtreeOf(handlerOrgs)}` : no,
    member: memberOrgs.length > 0 ? sql<SqlBool>`cases.organ_id = ANY(${uuids(memberOrgs)})` : no,
    approver: approverOrgs.length > 0 ? sql<SqlBool>`cases.organ_id IN ${strictlyBelow(approverOrgs)}` : no,
    official: officialId ? sql<SqlBool>`cases.official_id = ${officialId}::uuid` : no,
    partyOrganization: partyOrgs.length > 0 ? sql<SqlBool>`officials.organization_id = ANY(${uuids(partyOrgs)})` : no,
    expert: isExpert ? sql<SqlBool>`EXISTS (SELECT 1 FROM expert_invitations i WHERE i.case_id = cases.id AND i.expert_id = ${me})` : no,
  };
  type Relation = keyof typeof relations;
  const held = (Object.keys(relations) as Relation[]).filter((r) => relations[r] !== no);
  if (held.length === 0) return { items: [], counts };

  const BEFORE_DECISION = sql`('investigating', 'deliberated')`;
  // When the case entered "deliberated": the latest deliberation, or the higher authority returning the decision.
  const deliberatedSince = sql`GREATEST(c.last_deliberation_at, c.returned_at)`;
  const parts: RawBuilder<unknown>[] = [];
  const part = (relation: Relation, task: TaskKind, body: RawBuilder<unknown>) => {
    if (held.includes(relation)) parts.push(sql`SELECT ${sql.lit(task)}::text AS task, c.id AS case_id, t.since, t.deadline FROM c ${body}`);
  };
  const at = (since: RawBuilder<unknown>, deadline: RawBuilder<unknown> = sql`NULL::timestamptz`) => sql`CROSS JOIN LATERAL (SELECT COALESCE(${since}, c.updated_at) AS since, ${deadline} AS deadline) t`;

  part('handler', 'investigate', sql`${at(sql`c.opened_at`)} WHERE c.is_handler AND c.state = 'investigating'`);
  part('handler', 'decide', sql`${at(deliberatedSince)} WHERE c.is_handler AND c.state = 'deliberated'`);
  part('handler', 'serve', sql`${at(sql`COALESCE(c.cur_approved_at, c.cur_decided_at)`)} WHERE c.is_handler AND c.state = 'decided'`);
  part(
    'handler',
    'close',
    sql`${at(sql`CASE WHEN c.state = 'served' THEN COALESCE(c.appeal_deadline, c.served_at) ELSE COALESCE(c.cur_approved_at, c.cur_decided_at) END`)}
      WHERE c.is_handler AND ((c.state = 'served' AND (c.appeal_deadline IS NULL OR c.appeal_deadline < ${now})) OR c.state = 'appeal-decided')`,
  );
  part(
    'handler',
    'answer-application',
    // Unanswered: not answered in the latest deliberation, which must answer every application (R2).
    sql`CROSS JOIN LATERAL (
        SELECT min(a.submitted_at) AS since, NULL::timestamptz AS deadline FROM applications a
        WHERE a.case_id = c.id AND NOT (COALESCE(c.last_answers, '[]'::jsonb) @> jsonb_build_array(jsonb_build_object('applicationId', a.id::text)))
      ) t
      WHERE c.is_handler AND c.state IN ${BEFORE_DECISION} AND t.since IS NOT NULL`,
  );
  part(
    'appealHandler',
    'handle-appeal',
    // Whoever decided, approved, minuted or attended the deliberation of the appealed decision may not decide its appeal (R10).
    sql`CROSS JOIN LATERAL (
        SELECT ap.lodged_at AS since, ap.due_at AS deadline FROM appeals ap
        WHERE ap.case_id = c.id AND ap.outcome IS NULL ORDER BY ap.lodged_at DESC LIMIT 1
      ) t
      WHERE c.is_appeal_handler AND c.state = 'under-appeal' AND NOT c.took_part`,
  );
  part(
    'member',
    'deliberate',
    sql`${at(sql`CASE WHEN c.state = 'investigating' THEN c.last_assessment_at ELSE ${deliberatedSince} END`)}
      WHERE c.is_member AND ((c.state = 'investigating' AND c.last_assessment_at IS NOT NULL) OR c.state = 'deliberated')`,
  );
  part('approver', 'approve', sql`${at(sql`c.cur_decided_at`)} WHERE c.is_approver AND c.state = 'awaiting-approval' AND c.cur_decided_by IS DISTINCT FROM ${me}`);
  part(
    'expert',
    'expert-opinion',
    sql`CROSS JOIN LATERAL (
        SELECT i.invited_at AS since, NULL::timestamptz AS deadline FROM expert_invitations i
        WHERE i.case_id = c.id AND i.expert_id = ${me} AND i.opinion_id IS NULL
      ) t
      WHERE c.is_expert AND c.state IN ${BEFORE_DECISION}`,
  );
  part(
    'official',
    'statement',
    sql`${at(sql`c.opened_at`)} WHERE c.is_official AND c.state IN ${BEFORE_DECISION}
      AND NOT EXISTS (SELECT 1 FROM opinions o WHERE o.case_id = c.id AND o.kind = 'statement' AND o.recorded_by = ${me})`,
  );
  part(
    'official',
    'appeal',
    // R10: not tolerated, reduced, or any measure beyond those an exemption allows; within the window.
    sql`${at(sql`c.served_at`, sql`c.appeal_deadline`)} WHERE c.is_official AND c.state = 'served' AND c.appeal_deadline >= ${now}
      AND (c.cur_outcome IN ('not_tolerated', 'reduced') OR NOT (c.cur_measures <@ ${sql.val([...MEASURES_ALLOWED_WITH_EXEMPTION])}::text[]))`,
  );
  part(
    'partyOrganization',
    'application',
    sql`${at(sql`c.opened_at`)} WHERE c.is_party_org AND c.state IN ${BEFORE_DECISION}
      AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.case_id = c.id AND a.applicant_id = ${me})`,
  );

  const anyRelation = sql.join(
    held.map((r) => relations[r]),
    sql` OR `,
  );
  const base = sql`
    c AS (
      SELECT
        cases.id, cases.title, cases.state, cases.opened_at, cases.updated_at, cases.served_at, cases.appeal_deadline,
        officials.name AS official_name, officials.position AS official_position, organ.name AS organ_name,
        ${relations.handler} AS is_handler,
        ${relations.appealHandler} AS is_appeal_handler,
        ${relations.member} AS is_member,
        ${relations.approver} AS is_approver,
        ${relations.official} AS is_official,
        ${relations.partyOrganization} AS is_party_org,
        ${relations.expert} AS is_expert,
        cur.outcome AS cur_outcome, cur.measures AS cur_measures, cur.decided_at AS cur_decided_at,
        cur.approved_at AS cur_approved_at, cur.decided_by AS cur_decided_by,
        (${me} IN (cur.decided_by, cur.approved_by, cur_del.recorded_by) OR ${me} = ANY(cur_del.members_present)) IS TRUE AS took_part,
        last_del.recorded_at AS last_deliberation_at, last_del.application_answers AS last_answers,
        last_assessment.recorded_at AS last_assessment_at,
        (SELECT max(d.approved_at) FROM decisions d WHERE d.case_id = cases.id AND d.source = 'original' AND d.approval_state = 'returned') AS returned_at
      FROM cases
      JOIN officials ON officials.id = cases.official_id
      JOIN organizations organ ON organ.id = cases.organ_id
      LEFT JOIN decisions cur ON cur.case_id = cases.id AND cur.current
      LEFT JOIN deliberations cur_del ON cur_del.id = cur.deliberation_id
      LEFT JOIN LATERAL (
        SELECT d.recorded_at, d.application_answers FROM deliberations d WHERE d.case_id = cases.id ORDER BY d.position DESC LIMIT 1
      ) last_del ON true
      LEFT JOIN LATERAL (
        SELECT a.recorded_at FROM assessments a WHERE a.case_id = cases.id ORDER BY a.position DESC LIMIT 1
      ) last_assessment ON true
      WHERE cases.state <> 'closed' AND ${visibleCasesWhere(actor)} AND (${anyRelation})
    ),
    tasks AS (${sql.join(parts, sql` UNION ALL `)})`;

  // Both reads see one snapshot, so the counts always agree with the list.
  const [rows, totals] = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (tx) => {
      const list = await sql<TaskRow>`
        WITH ${base}
        SELECT tasks.task, tasks.case_id, c.title, c.official_name, c.official_position, c.organ_name, c.state, tasks.since, tasks.deadline
        FROM tasks JOIN c ON c.id = tasks.case_id
        ORDER BY tasks.since DESC, tasks.case_id DESC, tasks.task
        LIMIT ${WORKBENCH_LIMIT}`.execute(tx);
      const grouped = await sql<{ task: TaskKind; n: string }>`WITH ${base} SELECT task, count(*) AS n FROM tasks GROUP BY task`.execute(tx);
      return [list.rows, grouped.rows] as const;
    });

  for (const { task, n } of totals) counts[task] = Number(n);
  return {
    items: rows.map((r) => ({
      task: r.task,
      caseId: r.case_id,
      caseTitle: r.title,
      official: { name: r.official_name, position: r.official_position },
      organ: { name: r.organ_name },
      state: r.state,
      since: r.since.toISOString(),
      deadline: r.deadline?.toISOString() ?? null,
    })),
    counts,
  };
}
