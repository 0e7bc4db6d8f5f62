import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { ancestorsOf, grantsOf, subtreeOf } from '../../access/case.js';
import type { Db, Tx } from '../../db/connect.js';

/**
 * Who may see and act on a rectification plan (R12, R14). The plan's organ is the organ that made it (for a
 * case: the deciding organ).
 *
 * - manager: a handler of the plan's organ — makes the plan, adds items, records progress for a unit, records
 *   poor rectification (which opens a case, a handler's act under R14);
 * - overseer: a handler of a superior organ — reads;
 * - supervisor: a `supervisor` (discipline inspection) or an `organization-department` user at the plan's organ
 *   or above it — checks items off or sends them back, and is reminded of overdue items (Art. 18 ¶2);
 * - owner: the official whose case it is, or who owns an item — reads, and reports progress on their own items.
 *
 * Anyone else gets 404, as if the plan did not exist.
 */
export interface PlanRelations {
  manager: boolean;
  overseer: boolean;
  supervisor: boolean;
  owner: boolean;
}

export const SUPERVISING_ROLES = ['supervisor', 'organization-department'] as const;

export interface PlanFacts {
  id: string;
  organId: string;
  caseOfficialId: string | null;
}

export async function findPlanRelations(db: Db | Tx, actor: Actor, plan: PlanFacts): Promise<PlanRelations> {
  const ancestors = await ancestorsOf(db, plan.organId);
  const handlerOrgs = grantsOf(actor, 'handler');
  const supervising = SUPERVISING_ROLES.flatMap((role) => grantsOf(actor, role));
  let owner = actor.officialId !== null && actor.officialId === plan.caseOfficialId;
  if (!owner && actor.officialId !== null) {
    const owned = await db
      .selectFrom('rectification_items')
      .select('id')
      .where('plan_id', '=', plan.id)
      .where('owner_official_id', '=', actor.officialId)
      .executeTakeFirst();
    owner = owned !== undefined;
  }
  return {
    manager: handlerOrgs.includes(plan.organId),
    overseer: handlerOrgs.some((org) => org !== plan.organId && ancestors.includes(org)),
    supervisor: supervising.some((org) => ancestors.includes(org)),
    owner,
  };
}

export const canSeePlan = (r: PlanRelations): boolean => r.manager || r.overseer || r.supervisor || r.owner;

/** The SQL condition (on `rectification_plans`) for the plans this actor may see; mirrors findPlanRelations. */
export function visiblePlansWhere(actor: Actor): Expression<SqlBool> {
  const staff = [...grantsOf(actor, 'handler'), ...SUPERVISING_ROLES.flatMap((role) => grantsOf(actor, role))];
  const conditions = [
    staff.length > 0 ? sql<SqlBool>`rectification_plans.organ_id IN ${subtreeOf(staff)}` : undefined,
    actor.officialId
      ? sql<SqlBool>`(rectification_plans.case_id IN (SELECT id FROM cases WHERE official_id = ${actor.officialId})
          OR rectification_plans.id IN (SELECT plan_id FROM rectification_items WHERE owner_official_id = ${actor.officialId}))`
      : undefined,
  ].filter((c) => c !== undefined);
  if (conditions.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(conditions, sql` OR `)})`;
}

/** The supervising users to remind for a plan of this organ: supervisors and organization departments at or above it. */
export async function supervisingUsers(db: Db | Tx, organId: string): Promise<string[]> {
  const ancestors = await ancestorsOf(db, organId);
  const rows = await db
    .selectFrom('user_roles')
    .innerJoin('users', 'users.id', 'user_roles.user_id')
    .select('user_roles.user_id')
    .distinct()
    .where('user_roles.role', 'in', [...SUPERVISING_ROLES])
    .where('user_roles.organization_id', 'in', ancestors)
    .where('users.disabled_at', 'is', null)
    .orderBy('user_roles.user_id')
    .execute();
  return rows.map((r) => r.user_id);
}
