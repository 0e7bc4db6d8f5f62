import { sql, type SqlBool } from 'kysely';
import type { Actor } from '../access/actor.js';
import { canSee, findCaseRelations, grantsOf, subtreeOf } from '../access/case.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { forbidden, notFound } from '../errors.js';
import { canSeePlan, findPlanRelations, SUPERVISING_ROLES, visiblePlansWhere, type PlanRelations } from '../commands/rectification/access.js';
import { assertMayReport, isOverdue, type ItemStatus } from '../rectification/rules.js';

/** Reads of rectification (Art. 18): a plan with everything recorded on it, lists, and the overdue reminders. */

export interface PlanView {
  id: string;
  caseId: string | null;
  unitId: string | null;
  /** The unit a unit plan is for (null for a case's plan). */
  unitName: string | null;
  organId: string;
  /** The organ that made the plan and whose supervisors check it. */
  organName: string;
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
  const plan = await db
    .selectFrom('rectification_plans')
    .innerJoin('organizations as organ', 'organ.id', 'rectification_plans.organ_id')
    .leftJoin('organizations as unit', 'unit.id', 'rectification_plans.unit_id')
    .selectAll('rectification_plans')
    .select(['organ.name as organ_name', 'unit.name as unit_name'])
    .where('rectification_plans.id', '=', planId)
    .executeTakeFirstOrThrow();
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
    unitName: plan.unit_name,
    organId: plan.organ_id,
    organName: plan.organ_name,
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
  /** The unit a unit plan is for (null for a case's plan). */
  unitName: string | null;
  organId: string;
  organName: string;
  title: string;
  version: number;
  createdAt: string;
  items: number;
  done: number;
  /** Reported and waiting for the supervisors' check. */
  reported: number;
  overdue: number;
  /** The earliest deadline among the items not yet done. */
  nextDeadline: string | null;
}

export interface PlanListFilter {
  caseId?: string | undefined;
  unitId?: string | undefined;
  /** Only the plans of cases, or only those of units. */
  subject?: 'case' | 'unit' | undefined;
}

/** The plans in the user's jurisdiction, newest first, optionally of one case or unit, or of one kind. */
export async function listPlans(db: Db, actor: Actor, filter: PlanListFilter, clock: Clock): Promise<PlanSummary[]> {
  let query = db
    .selectFrom('rectification_plans')
    .innerJoin('organizations as organ', 'organ.id', 'rectification_plans.organ_id')
    .leftJoin('organizations as unit', 'unit.id', 'rectification_plans.unit_id')
    .selectAll('rectification_plans')
    .select(['organ.name as organ_name', 'unit.name as unit_name'])
    .where(visiblePlansWhere(actor));
  if (filter.caseId) query = query.where('rectification_plans.case_id', '=', filter.caseId);
  if (filter.unitId) query = query.where('rectification_plans.unit_id', '=', filter.unitId);
  if (filter.subject === 'case') query = query.where('rectification_plans.case_id', 'is not', null);
  if (filter.subject === 'unit') query = query.where('rectification_plans.unit_id', 'is not', null);
  const plans = await query.orderBy('rectification_plans.created_at', 'desc').orderBy('rectification_plans.id').limit(200).execute();
  const ids = plans.map((p) => p.id);
  const items = ids.length === 0 ? [] : await db.selectFrom('rectification_items').select(['plan_id', 'status', 'deadline']).where('plan_id', 'in', ids).execute();
  const now = clock.now();
  return plans.map((p) => {
    const own = items.filter((i) => i.plan_id === p.id);
    const pending = own.filter((i) => i.status !== 'done').map((i) => i.deadline).sort();
    return {
      id: p.id,
      caseId: p.case_id,
      unitId: p.unit_id,
      unitName: p.unit_name,
      organId: p.organ_id,
      organName: p.organ_name,
      title: p.title,
      version: p.version,
      createdAt: p.created_at.toISOString(),
      items: own.length,
      done: own.filter((i) => i.status === 'done').length,
      reported: own.filter((i) => i.status === 'reported').length,
      overdue: own.filter((i) => isOverdue(i, now)).length,
      nextDeadline: pending[0] ?? null,
    };
  });
}

export interface PlanUnit {
  id: string;
  parentId: string | null;
  name: string;
  shortName: string | null;
  type: string;
}

/**
 * The units this user may make a rectification plan for, as createUnitPlan decides it: as a handler, the units
 * at or below their organ, and the units whose officials their organ (or one below it) manages. Empty for anyone
 * who is no handler.
 */
export async function listPlanUnits(db: Db, actor: Actor): Promise<PlanUnit[]> {
  const handlerOrgs = grantsOf(actor, 'handler');
  if (handlerOrgs.length === 0) return [];
  return db
    .selectFrom('organizations')
    .select(['id', 'parent_id as parentId', 'name', 'short_name as shortName', 'type'])
    .where(
      sql<SqlBool>`(organizations.id IN ${subtreeOf(handlerOrgs)}
        OR EXISTS (SELECT 1 FROM officials WHERE officials.organization_id = organizations.id AND officials.managing_org_id IN ${subtreeOf(handlerOrgs)}))`,
    )
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/**
 * May this user attach a file to a progress report on the item: the same people who may report on it (a
 * handler of the plan's organ, or the owning official), while the item is not done. 404 when the user may not
 * see the plan or there is no such item.
 */
export async function assertMayAttach(db: Db, actor: Actor, itemId: string): Promise<void> {
  const item = await db.selectFrom('rectification_items').select(['plan_id', 'status', 'owner_official_id']).where('id', '=', itemId).executeTakeFirst();
  if (!item) throw notFound('整改事项');
  const relations = await relationsOfPlan(db, actor, item.plan_id);
  if (!relations) throw notFound('整改事项');
  const ownOfficial = actor.officialId !== null && actor.officialId === item.owner_official_id;
  if (!relations.manager && !ownOfficial) throw forbidden('只有该整改事项的责任干部本人或经办人可以上传进展附件', 'only the item\'s owner or a handler of the plan\'s organ attaches files to its progress');
  assertMayReport(item.status);
}

/**
 * A file attached to a progress report on the item, for a user who may see the plan; undefined (404) when the
 * file is not attached to that item, so a hash alone never opens a file.
 */
export async function findReportAttachment(db: Db, actor: Actor, itemId: string, sha256: string): Promise<{ sha256: string; mediaType: string } | undefined> {
  const item = await db.selectFrom('rectification_items').select('plan_id').where('id', '=', itemId).executeTakeFirst();
  if (!item || !(await relationsOfPlan(db, actor, item.plan_id))) return undefined;
  const file = await db
    .selectFrom('rectification_report_attachments')
    .innerJoin('rectification_reports', 'rectification_reports.id', 'rectification_report_attachments.report_id')
    .innerJoin('files', 'files.sha256', 'rectification_report_attachments.file_sha256')
    .select(['files.sha256', 'files.media_type'])
    .where('rectification_reports.item_id', '=', itemId)
    .where('rectification_report_attachments.file_sha256', '=', sha256)
    .executeTakeFirst();
  return file ? { sha256: file.sha256, mediaType: file.media_type } : undefined;
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
