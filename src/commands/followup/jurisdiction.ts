import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { ancestorsOf, committeeRoot, grantsOf, subtreeOf } from '../../access/case.js';
import type { Db, Tx } from '../../db/connect.js';
import { notFound } from '../../errors.js';

/**
 * Who does follow-up work for an official (Art. 19): staff of an organ that manages the official (干部管理权限,
 * Art. 6, as R14) — handlers of the managing organ or an organ above it, and the organization department.
 *
 * An organization department (组织人事部门) works for the party committee it belongs to: a grant at an
 * organization of type `organization-department` covers the subtree of its parent (the committee's officials);
 * a grant at any other organization covers that organization's subtree. The official is in scope when their
 * managing organ is. Nobody else (supervisors, the official, their party organization…) is in scope: to them the
 * official's follow-up record does not exist (404).
 */
export type FollowupRole = 'handler' | 'organization-department';

export interface Scope {
  /** Roots of the jurisdiction (subtrees), with the grant each comes from. */
  roots: { root: string; grantOrgId: string; role: FollowupRole }[];
}

export async function scopeOf(db: Db | Tx, actor: Actor, roles: readonly FollowupRole[]): Promise<Scope> {
  const result: Scope['roots'] = [];
  if (roles.includes('handler')) for (const org of grantsOf(actor, 'handler')) result.push({ root: org, grantOrgId: org, role: 'handler' });
  const orgDept = roles.includes('organization-department') ? grantsOf(actor, 'organization-department') : [];
  if (orgDept.length > 0) {
    const rows = await db.selectFrom('organizations').select(['id', 'parent_id', 'type']).where('id', 'in', orgDept).execute();
    for (const row of rows) {
      const root = committeeRoot({ id: row.id, type: row.type, parentId: row.parent_id }, 'organization-department');
      result.push({ root, grantOrgId: row.id, role: 'organization-department' });
    }
  }
  return { roots: result };
}

/** The SQL condition on `officials` for the officials in this scope. */
export function managedOfficialsWhere(scope: Scope): Expression<SqlBool> {
  const roots = [...new Set(scope.roots.map((r) => r.root))];
  if (roots.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`officials.managing_org_id IN ${subtreeOf(roots)}`;
}

export interface ManagedOfficial {
  id: string;
  name: string;
  organizationId: string;
  managingOrgId: string;
  /** The grants through which the actor manages the official (nearest first is not guaranteed). */
  via: { grantOrgId: string; role: FollowupRole }[];
}

/** The official, if the actor manages them in one of these roles; else 404, as if they did not exist. */
export async function requireManagedOfficial(db: Db | Tx, actor: Actor, officialId: string, roles: readonly FollowupRole[]): Promise<ManagedOfficial> {
  const scope = await scopeOf(db, actor, roles);
  const row =
    scope.roots.length > 0
      ? await db
          .selectFrom('officials')
          .select(['officials.id', 'officials.name', 'officials.organization_id', 'officials.managing_org_id'])
          .where('officials.id', '=', officialId)
          .where(managedOfficialsWhere(scope))
          .executeTakeFirst()
      : undefined;
  if (!row) throw notFound('干部');
  const ancestors = await ancestorsOf(db, row.managing_org_id);
  const via = scope.roots.filter((r) => ancestors.includes(r.root)).map((r) => ({ grantOrgId: r.grantOrgId, role: r.role }));
  return { id: row.id, name: row.name, organizationId: row.organization_id, managingOrgId: row.managing_org_id, via };
}
