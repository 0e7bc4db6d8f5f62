import type { Actor } from '../../access/actor.js';
import { grantsOf } from '../../access/case.js';
import { managedAccountsWhere } from '../security/jurisdiction.js';
import type { Db, Tx } from '../../db/connect.js';
import { forbidden, notFound } from '../../errors.js';

/** The organs this actor administers; refused when none. */
export function requireAdministrator(actor: Actor): string[] {
  const organs = grantsOf(actor, 'system-administrator');
  if (organs.length === 0) throw forbidden('只有系统管理员可以管理账号', 'only administrators manage accounts');
  return organs;
}

// The same accounts the security administrator manages: those with a role in these organs' subtrees, and new ones.
const administeredBy = (organs: string[]) => managedAccountsWhere(organs);

/**
 * The account, locked FOR UPDATE, when the actor administers it; an account outside their organs does not exist
 * for them (404, as for a missing one).
 */
export async function requireAdministeredUser(tx: Tx, actor: Actor, userId: string) {
  const organs = requireAdministrator(actor);
  const user = await tx
    .selectFrom('users')
    .select(['id', 'username', 'disabled_at', 'expires_at'])
    .where('id', '=', userId)
    .where(administeredBy(organs))
    .forUpdate()
    .executeTakeFirst();
  if (!user) throw notFound('账号');
  return user;
}

export interface AdministeredUser {
  id: string;
  username: string;
  displayName: string;
  disabled: boolean;
  expiresAt: string | null;
  lockedUntil: string | null;
  totpEnrolled: boolean;
  sm2KeyRegistered: boolean;
  /** The password was set by someone else and must be changed at the next sign-in. */
  passwordChangeRequired: boolean;
}

/** The accounts the actor administers, with their identity status (no hashes, no secrets). */
export async function findAdministeredUsers(db: Db, actor: Actor, only?: { userId: string }): Promise<AdministeredUser[]> {
  const organs = requireAdministrator(actor);
  let query = db
    .selectFrom('users')
    .leftJoin('user_totp', (join) => join.onRef('user_totp.user_id', '=', 'users.id').on('user_totp.confirmed_at', 'is not', null))
    .leftJoin('user_sm2_keys', 'user_sm2_keys.user_id', 'users.id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.disabled_at', 'users.expires_at', 'users.locked_until', 'users.password_changed_at', 'user_totp.user_id as totp', 'user_sm2_keys.user_id as sm2'])
    .where(administeredBy(organs))
    .orderBy('users.username');
  if (only) query = query.where('users.id', '=', only.userId);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    disabled: r.disabled_at !== null,
    expiresAt: r.expires_at?.toISOString() ?? null,
    lockedUntil: r.locked_until?.toISOString() ?? null,
    totpEnrolled: r.totp !== null,
    sm2KeyRegistered: r.sm2 !== null,
    passwordChangeRequired: r.password_changed_at === null,
  }));
}
