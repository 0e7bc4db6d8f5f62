import type { Actor } from '../access/actor.js';
import { levelLabel } from '../access/clearance.js';
import { managedAccountsWhere, requireSecurityAdministrator } from '../commands/security/jurisdiction.js';
import type { Db } from '../db/connect.js';

/** The accounts a security administrator manages, with their roles and clearance — no case content. */
export async function listManagedAccounts(db: Db, actor: Actor) {
  const organs = requireSecurityAdministrator(actor);
  const users = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'clearance', 'disabled_at'])
    .where(managedAccountsWhere(organs))
    .orderBy('username')
    .execute();
  const roles =
    users.length === 0
      ? []
      : await db
          .selectFrom('user_roles')
          .innerJoin('organizations', 'organizations.id', 'user_roles.organization_id')
          .select(['user_roles.user_id', 'user_roles.role', 'user_roles.organization_id', 'organizations.name as organization_name'])
          .where(
            'user_roles.user_id',
            'in',
            users.map((u) => u.id),
          )
          .orderBy('user_roles.role')
          .execute();
  return users.map((u) => ({
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    clearance: u.clearance,
    clearanceLabel: levelLabel(u.clearance),
    disabled: u.disabled_at !== null,
    roles: roles.filter((r) => r.user_id === u.id).map((r) => ({ role: r.role, organizationId: r.organization_id, organizationName: r.organization_name })),
  }));
}
