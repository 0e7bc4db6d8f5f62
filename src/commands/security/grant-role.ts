import { auditActor, type Actor } from '../../access/actor.js';
import { ROLES, type Role } from '../../access/roles.js';
import { appendEvent } from '../../audit/chain.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connect.js';
import { AppError, invalidInput } from '../../errors.js';
import { requireManagedAccount, requireSecurityAdministrator, withinOrgans } from './jurisdiction.js';

export const GRANTABLE_ROLES = ROLES;
export type GrantableRole = Role;

export interface RoleChangeProps {
  db: Db;
  clock: Clock;
  actor: Actor;
  userId: string;
  role: GrantableRole;
  organizationId: string;
}

const combinedDuties = () =>
  new AppError({
    code: 'SEPARATION_OF_DUTIES',
    status: 422,
    key: 'role',
    message: '三权分立：系统管理员、安全管理员、审计管理员不得由同一账号兼任，也不得兼任业务角色',
    messageEn: 'separation of duties: the three administrators are separate accounts and hold no business role',
  });

/** The security administrator grants a role at an organization of their subtree (permission changes are audited). */
export async function grantRole({ db, clock, actor, userId, role, organizationId }: RoleChangeProps): Promise<void> {
  const organs = requireSecurityAdministrator(actor);
  if (userId === actor.userId) throw invalidInput('userId', '不能为本人授予角色', 'you cannot grant roles to yourself');
  await db.transaction().execute(async (tx) => {
    await requireManagedAccount(tx, organs, userId);
    if (!(await withinOrgans(tx, organs, organizationId))) throw invalidInput('organizationId', '只能在本单位及下级单位授予角色', 'the organization is outside your jurisdiction');
    try {
      // The database refuses combined duties (trigger of migration 0013), whoever inserts the row.
      const inserted = await tx.insertInto('user_roles').values({ user_id: userId, role, organization_id: organizationId }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return;
    } catch (error) {
      if ((error as { constraint?: string }).constraint === 'user_roles_separation_of_duties') throw combinedDuties();
      throw error;
    }
    await appendEvent(tx, { type: 'role.granted', actor: auditActor(actor), payload: { userId, role, organizationId } }, clock);
  });
}

/** The security administrator takes a role back; the account's sessions end, so the change applies at once. */
export async function revokeRole({ db, clock, actor, userId, role, organizationId }: RoleChangeProps): Promise<void> {
  const organs = requireSecurityAdministrator(actor);
  await db.transaction().execute(async (tx) => {
    await requireManagedAccount(tx, organs, userId);
    if (!(await withinOrgans(tx, organs, organizationId))) throw invalidInput('organizationId', '只能在本单位及下级单位撤销角色', 'the organization is outside your jurisdiction');
    const deleted = await tx.deleteFrom('user_roles').where('user_id', '=', userId).where('role', '=', role).where('organization_id', '=', organizationId).executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw invalidInput('role', '该账号在该单位没有此角色', 'the account holds no such role there');
    await tx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await appendEvent(tx, { type: 'role.revoked', actor: auditActor(actor), payload: { userId, role, organizationId } }, clock);
  });
}
