import { sql, type Expression, type SqlBool } from 'kysely';
import type { CaseAction } from '../cases/procedure.js';
import type { Db, Tx } from '../db/connect.js';
import type { Actor } from './actor.js';
import { withinClearance } from './clearance.js';
import { notFound } from '../errors.js';

/**
 * Who may see and act on a case (R14). One place answers both the single check (`findCaseRelations`) and the
 * list filter (`visibleCasesWhere`), so lists and pages never disagree.
 *
 * - Handlers of the deciding organ conduct its cases; handlers and supervisors of a superior organ see them
 *   (the organ manages those officials or is their superior), and a superior handler may decide an appeal.
 * - An approver is the higher authority: a strict ancestor of the case's organ (Art. 13 ¶2).
 * - Deliberation members are those of the deciding organ itself (its collective body).
 * - The official sees their own case; their party organization sees the cases of its officials; an invited
 *   expert sees only the case they were invited to. What each of them sees is cut down by the presenter.
 */
export interface CaseRelations {
  /** A handler of the deciding organ itself: "谁问责追责、谁容错" — only they conduct the case. */
  handler: boolean;
  /** A handler of a superior organ: sees the case (oversight) and may decide an appeal, but does not conduct it. */
  superiorHandler: boolean;
  member: boolean;
  approver: boolean;
  supervisor: boolean;
  official: boolean;
  partyOrganization: boolean;
  expert: boolean;
}

export const grantsOf = (actor: Actor, role: string): string[] => [...new Set(actor.roles.filter((g) => g.role === role).map((g) => g.organizationId))];

/** The organ and its ancestors, nearest first. */
export async function ancestorsOf(db: Db | Tx, organizationId: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    WITH RECURSIVE up(id, parent_id, depth) AS (
      SELECT id, parent_id, 0 FROM organizations WHERE id = ${organizationId}
      UNION ALL
      SELECT o.id, o.parent_id, up.depth + 1 FROM organizations o JOIN up ON o.id = up.parent_id
    )
    SELECT id FROM up ORDER BY depth`.execute(db);
  return rows.map((r) => r.id);
}

/** The organizations at or below these (the jurisdiction of staff at them). */
export function subtreeOf(organizationIds: readonly string[]) {
  return descendants(sql`id = ANY(${sql.val(organizationIds)}::uuid[])`);
}

/** The organizations strictly below these (where an approver is the higher authority). */
export function strictlyBelow(organizationIds: readonly string[]) {
  return descendants(sql`parent_id = ANY(${sql.val(organizationIds)}::uuid[])`);
}

function descendants(start: ReturnType<typeof sql>) {
  return sql<string>`(
    WITH RECURSIVE down(id) AS (
      SELECT id FROM organizations WHERE ${start}
      UNION
      SELECT o.id FROM organizations o JOIN down ON o.parent_id = down.id
    )
    SELECT id FROM down)`;
}

export interface CaseAccessFacts {
  caseId: string;
  organId: string;
  officialId: string;
  officialOrganizationId: string;
}

const NO_RELATION: CaseRelations = {
  handler: false,
  superiorHandler: false,
  member: false,
  approver: false,
  supervisor: false,
  official: false,
  partyOrganization: false,
  expert: false,
};

export async function findCaseRelations(db: Db | Tx, actor: Actor, facts: CaseAccessFacts): Promise<CaseRelations> {
  // The clearance, the organ's ancestors and an invitation in one round trip: every page and command of a case
  // asks all three first.
  const { rows } = await sql<{ cleared: boolean | null; ancestors: string[]; invited: boolean }>`
    SELECT
      (SELECT c.sensitivity <= u.clearance FROM cases c, users u WHERE c.id = ${facts.caseId} AND u.id = ${actor.userId}) AS cleared,
      ARRAY(
        WITH RECURSIVE up(id, parent_id, depth) AS (
          SELECT id, parent_id, 0 FROM organizations WHERE id = ${facts.organId}
          UNION ALL
          SELECT o.id, o.parent_id, up.depth + 1 FROM organizations o JOIN up ON o.id = up.parent_id
        )
        SELECT id FROM up ORDER BY depth) AS ancestors,
      EXISTS (SELECT 1 FROM expert_invitations WHERE case_id = ${facts.caseId} AND expert_id = ${actor.userId}) AS invited`.execute(db);
  const { cleared, ancestors, invited } = rows[0]!;
  // The label is checked beside the roles: below the case's label, no role reaches it (to them it does not exist).
  if (cleared !== true) return NO_RELATION;
  const atOrAbove = (role: string) => grantsOf(actor, role).some((org) => ancestors.includes(org));
  const handlerOrgs = grantsOf(actor, 'handler');
  return {
    handler: handlerOrgs.includes(facts.organId),
    superiorHandler: handlerOrgs.some((org) => org !== facts.organId && ancestors.includes(org)),
    member: grantsOf(actor, 'deliberation-member').includes(facts.organId),
    approver: grantsOf(actor, 'approver').some((org) => org !== facts.organId && ancestors.includes(org)),
    supervisor: atOrAbove('supervisor'),
    official: actor.officialId !== null && actor.officialId === facts.officialId,
    partyOrganization: grantsOf(actor, 'party-organization').includes(facts.officialOrganizationId),
    expert: invited && grantsOf(actor, 'expert').length > 0,
  };
}

export const canSee = (r: CaseRelations): boolean => Object.values(r).some(Boolean);

/** Internal staff may see everything of a case; the others see what Art. 15 (or their invitation) lets them. */
export const seesInternals = (r: CaseRelations): boolean => r.handler || r.superiorHandler || r.member || r.approver || r.supervisor;

/** Which relation lets an actor take each action (the rules then decide whether it fits the case now). */
export const ACTION_ROLES: Record<CaseAction, readonly (keyof CaseRelations)[]> = {
  recordEvidence: ['handler'],
  recordOpinion: ['handler'],
  recordStatement: ['official'],
  submitApplication: ['official', 'partyOrganization'],
  markProfessional: ['handler'],
  inviteExpert: ['handler'],
  recordExpertOpinion: ['expert'],
  recordAssessment: ['handler'],
  recordDeliberation: ['handler', 'member'],
  decide: ['handler'],
  approveDecision: ['approver'],
  serve: ['handler'],
  lodgeAppeal: ['official'],
  decideAppeal: ['handler', 'superiorHandler', 'approver'],
  close: ['handler'],
};

export const mayTake = (r: CaseRelations, action: CaseAction): boolean => ACTION_ROLES[action].some((relation) => r[relation]);

/** The SQL condition for the cases this actor may see: lists filter in the database with the same rules. */
export function visibleCasesWhere(actor: Actor): Expression<SqlBool> {
  // Each clause mirrors one relation of findCaseRelations, so a listed case always opens.
  const atOrBelow = [...grantsOf(actor, 'handler'), ...grantsOf(actor, 'supervisor')];
  const approverOrgs = grantsOf(actor, 'approver');
  const memberOrgs = grantsOf(actor, 'deliberation-member');
  const partyOrgs = grantsOf(actor, 'party-organization');
  const conditions = [
    atOrBelow.length > 0 ? sql<SqlBool>`cases.organ_id IN ${subtreeOf(atOrBelow)}` : undefined,
    approverOrgs.length > 0 ? sql<SqlBool>`cases.organ_id IN ${strictlyBelow(approverOrgs)}` : undefined,
    memberOrgs.length > 0 ? sql<SqlBool>`cases.organ_id = ANY(${sql.val(memberOrgs)}::uuid[])` : undefined,
    actor.officialId ? sql<SqlBool>`cases.official_id = ${actor.officialId}` : undefined,
    partyOrgs.length > 0
      ? sql<SqlBool>`cases.official_id IN (SELECT id FROM officials WHERE organization_id = ANY(${sql.val(partyOrgs)}::uuid[]))`
      : undefined,
    grantsOf(actor, 'expert').length > 0
      ? sql<SqlBool>`cases.id IN (SELECT case_id FROM expert_invitations WHERE expert_id = ${actor.userId})`
      : undefined,
  ].filter((c) => c !== undefined);
  if (conditions.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`((${sql.join(conditions, sql` OR `)}) AND ${withinClearance(actor)})`;
}

/** R14: the officials an actor may open a case against — those managed at or below an organ where they are a handler. */
export function manageableOfficialsWhere(actor: Actor): Expression<SqlBool> {
  const handlerOrgs = grantsOf(actor, 'handler');
  if (handlerOrgs.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`officials.managing_org_id IN ${subtreeOf(handlerOrgs)}`;
}

/** The actor's relations to a case they may see; a case they may not see is "not found", never "forbidden". */
export async function requireVisibleCase(db: Db | Tx, actor: Actor, caseId: string): Promise<{ relations: CaseRelations; organId: string; version: number }> {
  const row = await db
    .selectFrom('cases')
    .innerJoin('officials', 'officials.id', 'cases.official_id')
    .select(['cases.organ_id', 'cases.official_id', 'cases.version', 'officials.organization_id'])
    .where('cases.id', '=', caseId)
    .executeTakeFirst();
  const relations = row
    ? await findCaseRelations(db, actor, { caseId, organId: row.organ_id, officialId: row.official_id, officialOrganizationId: row.organization_id })
    : undefined;
  if (!row || !relations || !canSee(relations)) throw notFound('案件');
  return { relations, organId: row.organ_id, version: row.version };
}

/**
 * A department of a party committee (组织部, 宣传部) works for its committee: its jurisdiction is rooted at the
 * committee (its parent), not at the department. Any other organization roots its own jurisdiction.
 */
export function committeeRoot(org: { id: string; type: string; parentId: string | null }, departmentType: 'organization-department' | 'publicity-department'): string {
  return org.type === departmentType && org.parentId ? org.parentId : org.id;
}
