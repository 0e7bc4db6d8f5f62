import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { grantsOf, subtreeOf } from '../../access/case.js';
import type { Db, Tx } from '../../db/connect.js';
import { forbidden, notFound } from '../../errors.js';

/**
 * The security administrator (安全管理员) manages roles and clearances of the accounts within their organization's
 * subtree: accounts holding a role there, and accounts holding no role yet (just created by the system
 * administrator). They never see case content.
 */
export function requireSecurityAdministrator(actor: Actor): string[] {
  const organs = grantsOf(actor, 'security-administrator');
  if (organs.length === 0) throw forbidden('只有安全管理员可以管理角色和密级许可', 'only a security administrator manages roles and clearances');
  return organs;
}

/** Accounts the security administrator manages (a condition on `users`). */
export function managedAccountsWhere(organs: readonly string[]): Expression<SqlBool> {
  return sql<SqlBool>`(
    EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = users.id AND r.organization_id IN ${subtreeOf(organs)})
    OR NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = users.id))`;
}

export async function requireManagedAccount(db: Db | Tx, organs: readonly string[], userId: string): Promise<{ id: string; username: string; clearance: number }> {
  const row = await db.selectFrom('users').select(['id', 'username', 'clearance']).where('id', '=', userId).where(managedAccountsWhere(organs)).executeTakeFirst();
  if (!row) throw notFound('账号');
  return row;
}

/** Whether an organization lies within the administrator's subtree (roles are granted only there). */
export async function withinOrgans(db: Db | Tx, organs: readonly string[], organizationId: string): Promise<boolean> {
  const row = await db.selectFrom('organizations').select('id').where('id', '=', organizationId).where(sql<SqlBool>`id IN ${subtreeOf(organs)}`).executeTakeFirst();
  return row !== undefined;
}
