import { appendEvent } from '../../audit/chain.js';
import { recordDigest } from '../../audit/digest.js';
import { auditActor, type Actor } from '../../access/actor.js';
import { ancestorsOf, canSee, findCaseRelations, grantsOf } from '../../access/case.js';
import type { CaseState } from '../../cases/procedure.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connect.js';
import { forbidden, invalidInput, notFound } from '../../errors.js';
import { assertCaseMayGetPlan, rectificationError } from '../../rectification/rules.js';

interface PlanText {
  title: string;
  description: string;
}

export interface CreateCasePlanProps extends PlanText {
  db: Db;
  clock: Clock;
  actor: Actor;
  caseId: string;
}

/**
 * Makes the rectification plan of a decided case (Art. 18): by a handler of the deciding organ, once per case.
 * The case itself is not changed (its version stays): the plan has its own version from here on.
 */
export async function createCasePlan({ db, clock, actor, caseId, title, description }: CreateCasePlanProps) {
  return db.transaction().execute(async (tx) => {
    // FOR SHARE: the case cannot change step while its plan is being made.
    const kase = await tx
      .selectFrom('cases')
      .innerJoin('officials', 'officials.id', 'cases.official_id')
      .select(['cases.id', 'cases.organ_id', 'cases.official_id', 'cases.state', 'officials.organization_id'])
      .where('cases.id', '=', caseId)
      .forShare('cases')
      .executeTakeFirst();
    if (!kase) throw notFound('案件');
    const relations = await findCaseRelations(tx, actor, { caseId, organId: kase.organ_id, officialId: kase.official_id, officialOrganizationId: kase.organization_id });
    if (!canSee(relations)) throw notFound('案件');
    if (!relations.handler) throw forbidden('只有作出决定机关的经办人可以制定整改方案', 'only a handler of the deciding organ makes the rectification plan');
    assertCaseMayGetPlan(kase.state as CaseState);
    const existing = await tx.selectFrom('rectification_plans').select('id').where('case_id', '=', caseId).executeTakeFirst();
    if (existing) throw rectificationError('PLAN_EXISTS', '本案已有整改方案，请在原方案中增加整改事项', 'the case already has a rectification plan', 409);
    const now = clock.now();
    const plan = await tx
      .insertInto('rectification_plans')
      .values({ case_id: caseId, unit_id: null, organ_id: kase.organ_id, title, description, created_by: actor.userId, created_at: now, updated_at: now })
      .returning(['id', 'version'])
      .executeTakeFirstOrThrow();
    await appendEvent(
      tx,
      { type: 'rectification.plan-created', actor: auditActor(actor), caseId, payload: { planId: plan.id, subject: 'case', organId: kase.organ_id, recordHash: recordDigest({ title, description }), planVersion: plan.version } },
      { now: () => now },
    );
    return { id: plan.id, planVersion: plan.version };
  });
}

export interface CreateUnitPlanProps extends PlanText {
  db: Db;
  clock: Clock;
  actor: Actor;
  unitId: string;
  /** The organ making the plan, when the handler works for several. */
  organId?: string;
}

/** Makes a rectification plan for a unit (Art. 18: "干部所在单位…建立健全长效机制"), by a handler of an organ at or above the unit or managing its officials. */
export async function createUnitPlan({ db, clock, actor, unitId, organId, title, description }: CreateUnitPlanProps) {
  return db.transaction().execute(async (tx) => {
    const unit = await tx.selectFrom('organizations').select('id').where('id', '=', unitId).executeTakeFirst();
    const handlerOrgs = grantsOf(actor, 'handler');
    if (handlerOrgs.length === 0) throw forbidden('只有经办人可以制定整改方案', 'only a handler makes a rectification plan');
    // An organ may make a unit's plan when the unit lies at or below it, or when it (or an organ below it)
    // manages the unit's officials (R14: a district commission supervises the bureaus whose officials it manages).
    const managing = unit
      ? (await tx.selectFrom('officials').select('managing_org_id').distinct().where('organization_id', '=', unit.id).orderBy('managing_org_id').execute()).map((o) => o.managing_org_id)
      : [];
    const above: string[] = [];
    for (const anchor of unit ? [unit.id, ...managing] : []) above.push(...(await ancestorsOf(tx, anchor)));
    // Nearest first: the handler's own organ closest to the unit makes the plan unless another one is named.
    const eligible = [...new Set(above.filter((org) => handlerOrgs.includes(org)))];
    if (!unit || eligible.length === 0) throw invalidInput('unitId', '所选单位（unitId）不存在或不在本机关管辖范围内', 'no such unit in your jurisdiction');
    if (organId !== undefined && !eligible.includes(organId)) {
      throw invalidInput('organId', '所选机关（organId）不是您任经办人且管辖该单位的机关', 'you are not a handler of an organ above that unit', eligible);
    }
    const organ = organId ?? eligible[0]!;
    const now = clock.now();
    const plan = await tx
      .insertInto('rectification_plans')
      .values({ case_id: null, unit_id: unitId, organ_id: organ, title, description, created_by: actor.userId, created_at: now, updated_at: now })
      .returning(['id', 'version'])
      .executeTakeFirstOrThrow();
    await appendEvent(
      tx,
      { type: 'rectification.plan-created', actor: auditActor(actor), caseId: null, payload: { planId: plan.id, subject: 'unit', unitId, organId: organ, recordHash: recordDigest({ title, description }), planVersion: plan.version } },
      { now: () => now },
    );
    return { id: plan.id, planVersion: plan.version };
  });
}
