import { sql } from 'kysely';
import type { Actor } from '../access/actor.js';
import { manageableOfficialsWhere, subtreeOf } from '../access/case.js';
import type { Db } from '../db/connect.js';
import { officialNameContains } from './text-search.js';

/** Organizations the user works in and those below them (for filters and pickers). */
export async function findOrganizations(db: Db, actor: Actor) {
  const orgs = [...new Set(actor.roles.map((g) => g.organizationId))];
  if (orgs.length === 0) return [];
  return db
    .selectFrom('organizations')
    .select(['id', 'parent_id as parentId', 'name', 'short_name as shortName', 'type'])
    .where(sql<boolean>`id IN ${subtreeOf(orgs)}`)
    .orderBy('name')
    .execute();
}

/** Officials the user may open a case against (R14), optionally searched by name. */
export async function findManageableOfficials(db: Db, actor: Actor, q: string | undefined, limit: number) {
  let query = db
    .selectFrom('officials')
    .innerJoin('organizations', 'organizations.id', 'officials.organization_id')
    .select(['officials.id', 'officials.name', 'officials.position', 'officials.rank', 'officials.category', 'organizations.name as organizationName', 'officials.managing_org_id as managingOrgId'])
    .where(manageableOfficialsWhere(actor));
  if (q) query = query.where(officialNameContains(q));
  return query.orderBy('officials.name').limit(limit).execute();
}

/** The people a handler picks from in a case: the deciding organ's deliberation members and the experts. */
export async function findCaseParticipants(db: Db, organId: string) {
  const people = (role: string, organization?: string) => {
    let query = db
      .selectFrom('user_roles')
      .innerJoin('users', 'users.id', 'user_roles.user_id')
      .select(['users.id', 'users.display_name as displayName'])
      .where('user_roles.role', '=', role)
      .where('users.disabled_at', 'is', null);
    if (organization) query = query.where('user_roles.organization_id', '=', organization);
    return query.distinct().orderBy('users.display_name').execute();
  };
  return { members: await people('deliberation-member', organId), experts: await people('expert') };
}
