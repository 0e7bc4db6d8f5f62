import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Actor } from '../access/actor.js';
import { grantsOf, strictlyBelow, subtreeOf, visibleCasesWhere } from '../access/case.js';
import { MEASURES_ALLOWED_WITH_EXEMPTION } from '../cases/settings.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { managedOfficialsWhere, scopeOf } from '../commands/followup/jurisdiction.js';
import { SUPERVISING_ROLES } from '../commands/rectification/access.js';
import { findAssessmentsDue } from './followup.js';
import { beijingDay } from '../followup/dates.js';

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
  'rectification-overdue',
  'rectification-item',
  'visit-due',
  'assessment-due',
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

/** The states in which each relation has a task of the case procedure (the parts of getCaseWork). */
const RELATION_STATES = {
  handler: ['investigating', 'deliberated', 'decided', 'served', 'appeal-decided'],
  appealHandler: ['under-appeal'],
  member: ['investigating', 'deliberated'],
  approver: ['awaiting-approval'],
  official: ['investigating', 'deliberated', 'served'],
  partyOrganization: ['investigating', 'deliberated'],
  expert: ['investigating', 'deliberated'],
} as const;

/**
 * The user's to-do list, computed in the database. Every task is the intersection of three things: the case is
 * visible to the user (visibleCasesWhere, the same filter as every list), the user holds the relation that may
 * take the action (the same rules as findCaseRelations and ACTION_ROLES), and the case is at the step where the
 * action is possible — with the cheap rule checks a command would make first (a participant in the decision may
 * not decide its appeal, nobody approves their own decision, the appeal window).
 */
export async function getWorkbench(db: Db, actor: Actor, clock: Clock): Promise<Workbench> {
  const cases = await getCaseWork(db, actor, clock);
  const later = await getAfterDecisionWork(db, actor, clock);
  if (later.items.length === 0) return cases;
  const counts = { ...cases.counts };
  for (const [task, n] of Object.entries(later.counts) as [TaskKind, number][]) counts[task] += n;
  // The case items come sorted and limited; a stable sort keeps their order among equal times.
  const items = [...cases.items, ...later.items].sort((a, b) => b.since.localeCompare(a.since)).slice(0, WORKBENCH_LIMIT);
  return { items, counts };
}

/** The case procedure's tasks (investigate … application). */
async function getCaseWork(db: Db, actor: Actor, clock: Clock): Promise<Workbench> {
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

  // Only the cases at a step where a held relation has work (the parts above ask no other): a superior handler
  // sees every case below, but of those only the appeals under way are work of theirs.
  const anyRelation = sql.join(
    held.map((r) => sql`(${relations[r]} AND cases.state = ANY(${sql.val([...RELATION_STATES[r]])}::text[]))`),
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

  // One statement, so the counts always agree with the list (one snapshot) and the cases are read once.
  const { rows: [result] } = await sql<{ items: (Omit<TaskRow, 'since' | 'deadline'> & { since: string; deadline: string | null })[]; counts: Record<string, number> | null }>`
    WITH ${base},
    listed AS (
      SELECT tasks.task, tasks.case_id, c.title, c.official_name, c.official_position, c.organ_name, c.state, tasks.since, tasks.deadline
      FROM tasks JOIN c ON c.id = tasks.case_id
      ORDER BY tasks.since DESC, tasks.case_id DESC, tasks.task
      LIMIT ${WORKBENCH_LIMIT}),
    counted AS (SELECT task, count(*) AS n FROM tasks GROUP BY task)
    SELECT
      (SELECT COALESCE(json_agg(listed ORDER BY listed.since DESC, listed.case_id DESC, listed.task), '[]'::json) FROM listed) AS items,
      (SELECT json_object_agg(counted.task, counted.n) FROM counted) AS counts`.execute(db);
  const rows = result!.items.map((r) => ({ ...r, since: new Date(r.since), deadline: r.deadline === null ? null : new Date(r.deadline) }));
  const totals = Object.entries(result!.counts ?? {}).map(([task, n]) => ({ task: task as TaskKind, n }));

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

/** The end of a Beijing day (YYYY-MM-DD) as an ISO instant: the last moment of a deadline day. */
const endOfDay = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`) + 24 * 3_600_000 - 1).toISOString();
/** The start of a Beijing day as an ISO instant. */
const startOfDay = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString();
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 24 * 3_600_000).toISOString().slice(0, 10);

/** Visits due within this many days (overdue ones included) are on the 工作台. */
export const VISIT_LOOKAHEAD_DAYS = 7;

const VISIT_LABELS: Record<string, string> = { visit: '回访教育', talk: '谈心谈话' };
const REMINDER_FOLLOW_UP_LABELS: Record<string, string> = { reminder: '预防提醒跟踪', talk: '提醒谈话跟踪' };
const BASIS_LABELS: Record<string, string> = { exemption: '综合研判（容错免责）', 'penalty-ended': '综合研判（处分影响期满）' };

/**
 * Work after the decision (Art. 18, 19), not tied to a case's step:
 * - rectification-overdue: supervisors and organization departments at or above the plan's organ (R12), for
 *   every unfinished item past its deadline day;
 * - rectification-item: unfinished items, for the official who owns them and the handlers of the plan's organ;
 * - visit-due: follow-up visits due within 7 days or overdue, for handlers and organization departments managing
 *   the official (R13); and, for the same staff, the follow-ups of prevention reminders due within 7 days or
 *   overdue (Art. 19(1), prevention_reminders.follow_up_on: set at the reminder, moved or cleared by each
 *   recorded follow-up). They share the kind because the task kinds are a closed vocabulary of the API and the
 *   web app; the title tells them apart (预防提醒跟踪, 提醒谈话跟踪);
 * - assessment-due: comprehensive assessments due (R13, Art. 19(4)), for the organization department.
 * Items without a case carry caseId ''. Follow-up items never carry the case title (see queries/followup.ts).
 */
export async function getAfterDecisionWork(db: Db, actor: Actor, clock: Clock): Promise<{ items: WorkItem[]; counts: Partial<Record<TaskKind, number>> }> {
  const now = clock.now();
  const today = beijingDay(now);
  const items: WorkItem[] = [];
  const counts: Partial<Record<TaskKind, number>> = {};
  // Each source gives its newest WORKBENCH_LIMIT items (by the key its `since` is made of) and how many it has in
  // all: across a province thousands of visits and items are due, and only the newest hundred are listed.
  const total = (task: TaskKind, rows: readonly { total: string }[]) => (counts[task] = (counts[task] ?? 0) + Number(rows[0]?.total ?? 0));
  const countAll = sql<string>`count(*) OVER ()`.as('total');

  const supervising = SUPERVISING_ROLES.flatMap((role) => grantsOf(actor, role));
  const handlerOrgs = grantsOf(actor, 'handler');
  const itemQuery = () =>
    db
      .selectFrom('rectification_items as i')
      .innerJoin('rectification_plans as p', 'p.id', 'i.plan_id')
      .innerJoin('organizations as organ', 'organ.id', 'p.organ_id')
      .leftJoin('officials as owner', 'owner.id', 'i.owner_official_id')
      .leftJoin('organizations as unit', 'unit.id', 'i.owner_unit_id')
      .select(['i.id', 'i.title', 'i.status', 'i.deadline', 'i.added_at', 'p.case_id', 'organ.name as organ_name', 'owner.name as owner_name', 'owner.position as owner_position', 'unit.name as unit_name'])
      .where('i.status', 'in', ['open', 'returned']);
  type ItemRow = Awaited<ReturnType<ReturnType<typeof itemQuery>['execute']>>[number];
  const rectificationItem = (task: TaskKind, r: ItemRow, since: string): WorkItem => ({
    task,
    caseId: r.case_id ?? '',
    caseTitle: r.title,
    official: { name: r.owner_name ?? r.unit_name ?? '', position: r.owner_position ?? '' },
    organ: { name: r.organ_name },
    state: r.status,
    since,
    deadline: endOfDay(r.deadline),
  });

  if (supervising.length > 0) {
    const rows = await itemQuery()
      .select(countAll)
      .where('i.deadline', '<', today)
      .where(sql<SqlBool>`p.organ_id IN ${subtreeOf(supervising)}`)
      .orderBy('i.deadline', 'desc')
      .orderBy('i.id')
      .limit(WORKBENCH_LIMIT)
      .execute();
    total('rectification-overdue', rows);
    for (const r of rows) items.push(rectificationItem('rectification-overdue', r, startOfDay(addDays(r.deadline, 1))));
  }
  if (handlerOrgs.length > 0 || actor.officialId) {
    const mine = [
      handlerOrgs.length > 0 ? sql<SqlBool>`p.organ_id = ANY(${uuids(handlerOrgs)})` : undefined,
      actor.officialId ? sql<SqlBool>`i.owner_official_id = ${actor.officialId}::uuid` : undefined,
    ].filter((c) => c !== undefined);
    const rows = await itemQuery()
      .select(countAll)
      .where(sql<SqlBool>`(${sql.join(mine, sql` OR `)})`)
      .orderBy('i.added_at', 'desc')
      .orderBy('i.id')
      .limit(WORKBENCH_LIMIT)
      .execute();
    total('rectification-item', rows);
    for (const r of rows) items.push(rectificationItem('rectification-item', r, r.added_at.toISOString()));
  }

  const scope = await scopeOf(db, actor, ['handler', 'organization-department']);
  if (scope.roots.length > 0) {
    const rows = await db
      .selectFrom('followup_visits as v')
      .innerJoin('officials', 'officials.id', 'v.official_id')
      .innerJoin('organizations as organ', 'organ.id', 'officials.managing_org_id')
      .select(['v.id', 'v.case_id', 'v.kind', 'v.due_on', 'officials.name', 'officials.position', 'organ.name as organ_name', countAll])
      .where('v.done_at', 'is', null)
      .where('v.due_on', '<=', addDays(today, VISIT_LOOKAHEAD_DAYS))
      .where(managedOfficialsWhere(scope))
      .orderBy('v.due_on', 'desc')
      .orderBy('v.id')
      .limit(WORKBENCH_LIMIT)
      .execute();
    total('visit-due', rows);
    for (const r of rows) {
      items.push({
        task: 'visit-due',
        caseId: r.case_id ?? '',
        caseTitle: VISIT_LABELS[r.kind] ?? r.kind,
        official: { name: r.name, position: r.position },
        organ: { name: r.organ_name },
        state: r.due_on! < today ? 'overdue' : 'due',
        since: startOfDay(addDays(r.due_on!, -VISIT_LOOKAHEAD_DAYS)),
        deadline: endOfDay(r.due_on!),
      });
    }
    const reminders = await db
      .selectFrom('prevention_reminders as r')
      .innerJoin('officials', 'officials.id', 'r.official_id')
      .innerJoin('organizations as organ', 'organ.id', 'r.organ_id')
      .select(['r.kind', 'r.follow_up_on', 'officials.name', 'officials.position', 'organ.name as organ_name', countAll])
      .where('r.follow_up_on', 'is not', null)
      .where('r.follow_up_on', '<=', addDays(today, VISIT_LOOKAHEAD_DAYS))
      .where(managedOfficialsWhere(scope))
      .orderBy('r.follow_up_on', 'desc')
      .orderBy('r.id')
      .limit(WORKBENCH_LIMIT)
      .execute();
    total('visit-due', reminders);
    for (const r of reminders) {
      items.push({
        task: 'visit-due',
        caseId: '',
        caseTitle: REMINDER_FOLLOW_UP_LABELS[r.kind] ?? r.kind,
        official: { name: r.name, position: r.position },
        organ: { name: r.organ_name },
        state: r.follow_up_on! < today ? 'overdue' : 'due',
        since: startOfDay(addDays(r.follow_up_on!, -VISIT_LOOKAHEAD_DAYS)),
        deadline: endOfDay(r.follow_up_on!),
      });
    }
  }

  // Comprehensive assessment is the organization department's work (Art. 19(4)).
  const orgDeptGrants = actor.roles.filter((g) => g.role === 'organization-department');
  if (orgDeptGrants.length > 0) {
    const { items: due } = await findAssessmentsDue(db, { ...actor, roles: orgDeptGrants }, clock);
    counts['assessment-due'] = (counts['assessment-due'] ?? 0) + due.length;
    for (const a of due) {
      items.push({
        task: 'assessment-due',
        caseId: a.caseId,
        caseTitle: a.penalty ? `${BASIS_LABELS[a.basis]}：${a.penalty.label}` : BASIS_LABELS[a.basis]!,
        official: { name: a.official.name, position: a.official.position },
        organ: { name: '' },
        state: 'due',
        since: startOfDay(a.dueOn),
        deadline: null,
      });
    }
  }
  return { items: items.sort((a, b) => b.since.localeCompare(a.since)), counts };
}
