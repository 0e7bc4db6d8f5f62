import { sql, type SqlBool } from 'kysely';
import type { Actor } from '../access/actor.js';
import { canSee, findCaseRelations, grantsOf, subtreeOf } from '../access/case.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { notFound } from '../errors.js';
import { canSeePlan, findPlanRelations, SUPERVISING_ROLES, visiblePlansWhere, type PlanRelations } from '../commands/rectification/access.js';
import { isOverdue, type ItemStatus } from '../rectification/rules.js';

/** Reads of rectification (Art. 18): a plan with everything recorded on it, lists, and the overdue reminders. */

export interface PlanView {
  id: string;
  caseId: string | null;
  unitId: string | null;
  organId: string;
  title: string;
  description: string;
  version: number;
  createdAt: string;
  items: ItemView[];
  poorRecords: { id: string; newCaseId: string; officialId: string; finding: string; itemIds: string[]; recordedAt: string }[];
  /** What this user may do on the plan. */
  abilities: { addItems: boolean; check: boolean; recordPoorRectification: boolean };
}

export interface ItemView {
  id: string;
  position: number;
  title: string;
  owner: { kind: 'official'; id: string; name: string } | { kind: 'unit'; id: string; name: string };
  deadline: string;
  mechanism: string;
  status: ItemStatus;
  overdue: boolean;
  doneAt: string | null;
  reports: { id: string; content: string; attachments: string[]; reportedBy: string; reportedAt: string }[];
  checks: { id: string; reportId: string; accepted: boolean; note: string; checkedBy: string; checkedAt: string }[];
  reminders: { id: string; deadline: string; raisedAt: string }[];
}

async function planView(db: Db, planId: string, relations: PlanRelations, clock: Clock): Promise<PlanView> {
  const plan = await db.selectFrom('rectification_plans').selectAll().where('id', '=', planId).executeTakeFirstOrThrow();
  const items = await db
    .selectFrom('rectification_items')
    .leftJoin('officials', 'officials.id', 'rectification_items.owner_official_id')
    .leftJoin('organizations', 'organizations.id', 'rectification_items.owner_unit_id')
    .selectAll('rectification_items')
    .select(['officials.name as official_name', 'organizations.name as unit_name'])
    .where('plan_id', '=', planId)
    .orderBy('position')
    .execute();
  const ids = items.map((i) => i.id);
  const [reports, attachments, checks, reminders, poor] = ids.length === 0
    ? [[], [], [], [], await db.selectFrom('rectification_poor_records').selectAll().where('plan_id', '=', planId).orderBy('recorded_at').execute()]
    : await Promise.all([
        db.selectFrom('rectification_reports').selectAll().where('item_id', 'in', ids).orderBy('reported_at').orderBy('id').execute(),
        db
          .selectFrom('rectification_report_attachments')
          .innerJoin('rectification_reports', 'rectification_reports.id', 'rectification_report_attachments.report_id')
          .select(['rectification_report_attachments.report_id', 'rectification_report_attachments.file_sha256'])
          .where('rectification_reports.item_id', 'in', ids)
          .orderBy('file_sha256')
          .execute(),
        db.selectFrom('rectification_checks').selectAll().where('item_id', 'in', ids).orderBy('checked_at').orderBy('id').execute(),
        db.selectFrom('rectification_reminders').select(['id', 'item_id', 'deadline', 'raised_at']).where('item_id', 'in', ids).orderBy('raised_at').execute(),
        db.selectFrom('rectification_poor_records').selectAll().where('plan_id', '=', planId).orderBy('recorded_at').execute(),
      ]);
  const now = clock.now();
  return {
    id: plan.id,
    caseId: plan.case_id,
    unitId: plan.unit_id,
    organId: plan.organ_id,
    title: plan.title,
    description: plan.description,
    version: plan.version,
    createdAt: plan.created_at.toISOString(),
    items: items.map((item) => ({
      id: item.id,
      position: item.position,
      title: item.title,
      owner: item.owner_official_id
        ? { kind: 'official' as const, id: item.owner_official_id, name: item.official_name ?? '' }
        : { kind: 'unit' as const, id: item.owner_unit_id!, name: item.unit_name ?? '' },
      deadline: item.deadline,
      mechanism: item.mechanism,
      status: item.status as ItemStatus,
      overdue: isOverdue(item, now),
      doneAt: item.done_at?.toISOString() ?? null,
      reports: reports
        .filter((r) => r.item_id === item.id)
        .map((r) => ({ id: r.id, content: r.content, attachments: attachments.filter((a) => a.report_id === r.id).map((a) => a.file_sha256), reportedBy: r.reported_by, reportedAt: r.reported_at.toISOString() })),
      checks: checks
        .filter((c) => c.item_id === item.id)
        .map((c) => ({ id: c.id, reportId: c.report_id, accepted: c.accepted, note: c.note, checkedBy: c.checked_by, checkedAt: c.checked_at.toISOString() })),
      reminders: reminders.filter((r) => r.item_id === item.id).map((r) => ({ id: r.id, deadline: r.deadline, raisedAt: r.raised_at.toISOString() })),
    })),
    poorRecords: poor.map((p) => ({ id: p.id, newCaseId: p.new_case_id, officialId: p.official_id, finding: p.finding, itemIds: p.item_ids, recordedAt: p.recorded_at.toISOString() })),
    abilities: { addItems: relations.manager, check: relations.supervisor, recordPoorRectification: relations.manager },
  };
}

async function relationsOfPlan(db: Db, actor: Actor, planId: string): Promise<PlanRelations | undefined> {
  const plan = await db
    .selectFrom('rectification_plans')
    .leftJoin('cases', 'cases.id', 'rectification_plans.case_id')
    .select(['rectification_plans.id', 'rectification_plans.organ_id', 'cases.official_id'])
    .where('rectification_plans.id', '=', planId)
    .executeTakeFirst();
  if (!plan) return undefined;
  const relations = await findPlanRelations(db, actor, { id: plan.id, organId: plan.organ_id, caseOfficialId: plan.official_id });
  return canSeePlan(relations) ? relations : undefined;
}

/** One plan as this user may see it; 404 outside their jurisdiction. */
export async function getPlan(db: Db, actor: Actor, planId: string, clock: Clock): Promise<PlanView> {
  const relations = await relationsOfPlan(db, actor, planId);
  if (!relations) throw notFound('整改方案');
  return planView(db, planId, relations, clock);
}

/**
 * The rectification of a case: its plan, or null when none was made yet. 404 unless the user may see the case
 * or its plan (a supervising organization department sees the plan without the case).
 */
export async function getCasePlan(db: Db, actor: Actor, caseId: string, clock: Clock): Promise<{ plan: PlanView | null; linkedCases: { id: string; title: string }[]; mayCreatePlan: boolean }> {
  const kase = await db
    .selectFrom('cases')
    .innerJoin('officials', 'officials.id', 'cases.official_id')
    .select(['cases.organ_id', 'cases.official_id', 'officials.organization_id'])
    .where('cases.id', '=', caseId)
    .executeTakeFirst();
  if (!kase) throw notFound('案件');
  const caseRelations = await findCaseRelations(db, actor, { caseId, organId: kase.organ_id, officialId: kase.official_id, officialOrganizationId: kase.organization_id });
  const plan = await db.selectFrom('rectification_plans').select('id').where('case_id', '=', caseId).executeTakeFirst();
  const planRelations = plan ? await relationsOfPlan(db, actor, plan.id) : undefined;
  if (!canSee(caseRelations) && !planRelations) throw notFound('案件');
  const { rows: linked } = await sql<{ id: string; title: string }>`SELECT id, title FROM cases WHERE linked_from_case_id = ${caseId} ORDER BY opened_at`.execute(db);
  return {
    plan: plan && planRelations ? await planView(db, plan.id, planRelations, clock) : null,
    linkedCases: canSee(caseRelations) ? linked : [],
    mayCreatePlan: !plan && caseRelations.handler,
  };
}

export interface PlanSummary {
  id: string;
  caseId: string | null;
  unitId: string | null;
  organId: string;
  title: string;
  version: number;
  createdAt: string;
  items: number;
  done: number;
  overdue: number;
}

/** The plans in the user's jurisdiction, newest first, optionally of one case or unit. */
export async function listPlans(db: Db, actor: Actor, filter: { caseId?: string | undefined; unitId?: string | undefined }, clock: Clock): Promise<PlanSummary[]> {
  let query = db.selectFrom('rectification_plans').selectAll().where(visiblePlansWhere(actor));
  if (filter.caseId) query = query.where('case_id', '=', filter.caseId);
  if (filter.unitId) query = query.where('unit_id', '=', filter.unitId);
  const plans = await query.orderBy('created_at', 'desc').orderBy('id').limit(200).execute();
  const ids = plans.map((p) => p.id);
  const items = ids.length === 0 ? [] : await db.selectFrom('rectification_items').select(['plan_id', 'status', 'deadline']).where('plan_id', 'in', ids).execute();
  const now = clock.now();
  return plans.map((p) => {
    const own = items.filter((i) => i.plan_id === p.id);
    return {
      id: p.id,
      caseId: p.case_id,
      unitId: p.unit_id,
      organId: p.organ_id,
      title: p.title,
      version: p.version,
      createdAt: p.created_at.toISOString(),
      items: own.length,
      done: own.filter((i) => i.status === 'done').length,
      overdue: own.filter((i) => isOverdue(i, now)).length,
    };
  });
}

export interface ReminderView {
  id: string;
  itemId: string;
  itemTitle: string;
  planId: string;
  caseId: string | null;
  deadline: string;
  raisedAt: string;
  /** Whether this user was among the supervising users reminded. */
  toMe: boolean;
}

/** Overdue reminders for plans the user supervises (supervisors and organization departments at or above the plan's organ) or handles. */
export async function listReminders(db: Db, actor: Actor): Promise<ReminderView[]> {
  const staff = [...SUPERVISING_ROLES.flatMap((role) => grantsOf(actor, role)), ...grantsOf(actor, 'handler')];
  if (staff.length === 0) return [];
  const rows = await db
    .selectFrom('rectification_reminders')
    .innerJoin('rectification_items', 'rectification_items.id', 'rectification_reminders.item_id')
    .innerJoin('rectification_plans', 'rectification_plans.id', 'rectification_items.plan_id')
    .select([
      'rectification_reminders.id',
      'rectification_reminders.item_id',
      'rectification_items.title',
      'rectification_plans.id as plan_id',
      'rectification_plans.case_id',
      'rectification_reminders.deadline',
      'rectification_reminders.raised_at',
      'rectification_reminders.recipients',
    ])
    .where(sql<SqlBool>`rectification_plans.organ_id IN ${subtreeOf(staff)}`)
    .orderBy('rectification_reminders.raised_at', 'desc')
    .orderBy('rectification_reminders.id')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    itemId: r.item_id,
    itemTitle: r.title,
    planId: r.plan_id,
    caseId: r.case_id,
    deadline: r.deadline,
    raisedAt: r.raised_at.toISOString(),
    toMe: r.recipients.includes(actor.userId),
  }));
}
