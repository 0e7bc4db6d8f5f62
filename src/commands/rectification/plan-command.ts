import { appendEvent } from '../../audit/chain.js';
import type { EventType } from '../../audit/event-types.js';
import { auditActor, type Actor } from '../../access/actor.js';
import type { Clock } from '../../clock.js';
import type { Db, Tx } from '../../db/connect.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import { canSeePlan, findPlanRelations, type PlanRelations } from './access.js';

export interface PlanCommandProps {
  db: Db;
  clock: Clock;
  actor: Actor;
  planId: string;
  /** The plan version the user acted on: a concurrent change makes the command fail with a conflict. */
  expectedVersion: number;
}

export interface LoadedPlan {
  id: string;
  caseId: string | null;
  unitId: string | null;
  organId: string;
  version: number;
  caseOfficialId: string | null;
  caseOfficialOrganizationId: string | null;
}

export interface PlanCommandContext {
  tx: Tx;
  plan: LoadedPlan;
  relations: PlanRelations;
  actor: Actor;
  now: Date;
}

export interface PlanEvent {
  type: EventType;
  payload: Record<string, unknown>;
  /** Defaults to the plan's case. */
  caseId?: string | null;
}

export interface PlanCommandOutcome<T> {
  result: T;
  events: PlanEvent[];
}

export const planVersionConflict = (expected: number, actual: number) =>
  new AppError({
    code: 'VERSION_CONFLICT',
    status: 409,
    message: `整改方案已被他人更新（您看到的是第 ${expected} 版，当前为第 ${actual} 版），请刷新后重试`,
    messageEn: `the rectification plan was changed by someone else (expected version ${expected}, found ${actual}); reload and retry`,
    key: 'version',
  });

/**
 * The write path of plan commands, like runCaseCommand: lock and load the plan, 404 unless the actor may see
 * it, 403 unless their relation allows the action, check the version, run the command, bump the plan version
 * and append the audit events — one transaction, so a refusal leaves nothing behind.
 */
export async function runPlanCommand<T>(
  props: PlanCommandProps,
  allowed: readonly (keyof PlanRelations)[],
  body: (context: PlanCommandContext) => Promise<PlanCommandOutcome<T>>,
): Promise<T & { planVersion: number }> {
  const { db, clock, actor, planId, expectedVersion } = props;
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('rectification_plans')
      .leftJoin('cases', 'cases.id', 'rectification_plans.case_id')
      .leftJoin('officials', 'officials.id', 'cases.official_id')
      .select([
        'rectification_plans.id',
        'rectification_plans.case_id',
        'rectification_plans.unit_id',
        'rectification_plans.organ_id',
        'rectification_plans.version',
        'cases.official_id',
        'officials.organization_id as official_organization_id',
      ])
      .where('rectification_plans.id', '=', planId)
      .forUpdate('rectification_plans')
      .executeTakeFirst();
    if (!row) throw notFound('整改方案');
    const relations = await findPlanRelations(tx, actor, { id: row.id, organId: row.organ_id, caseOfficialId: row.official_id });
    if (!canSeePlan(relations)) throw notFound('整改方案');
    if (!allowed.some((r) => relations[r])) throw forbidden('您在该整改方案中没有此项操作的权限', 'your relation to this plan does not allow this action');
    if (row.version !== expectedVersion) throw planVersionConflict(expectedVersion, row.version);
    const now = clock.now();
    const plan: LoadedPlan = {
      id: row.id,
      caseId: row.case_id,
      unitId: row.unit_id,
      organId: row.organ_id,
      version: row.version,
      caseOfficialId: row.official_id,
      caseOfficialOrganizationId: row.official_organization_id,
    };
    const outcome = await body({ tx, plan, relations, actor, now });
    const planVersion = row.version + 1;
    await tx.updateTable('rectification_plans').set({ version: planVersion, updated_at: now }).where('id', '=', planId).execute();
    for (const event of outcome.events) {
      await appendEvent(
        tx,
        { type: event.type, actor: auditActor(actor), caseId: event.caseId === undefined ? plan.caseId : event.caseId, payload: { planId, ...event.payload, planVersion } },
        { now: () => now },
      );
    }
    return { ...outcome.result, planVersion };
  });
}

/** The plan an item belongs to (404 for an unknown item, as for a plan one may not see). */
export async function planOfItem(db: Db, itemId: string): Promise<string> {
  const row = await db.selectFrom('rectification_items').select('plan_id').where('id', '=', itemId).executeTakeFirst();
  if (!row) throw notFound('整改事项');
  return row.plan_id;
}
