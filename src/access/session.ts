import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import type { Actor } from './actor.js';

/** A session ends after this long without a request (等保: idle sessions must expire)… */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/** …and after this long in any case. */
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;

export const newSessionToken = (): string => randomBytes(32).toString('base64url');
/** Only the token's hash is stored: a leaked sessions table signs no one in. */
export const hashSessionToken = (token: string): Buffer => createHash('sha256').update(token).digest();

/** The actor behind a session token, or undefined when the token is unknown, expired, idle or the user disabled. */
export async function authenticateSession(db: Db, token: string, clock: Clock): Promise<Actor | undefined> {
  const now = clock.now();
  const tokenHash = hashSessionToken(token);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.official_id', 'sessions.last_seen_at', 'sessions.expires_at'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.expires_at <= now || now.getTime() - row.last_seen_at.getTime() > SESSION_IDLE_MS) {
    await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    return undefined;
  }
  // Touch at most once a minute: a write per request would cost more than the idle-timeout precision is worth.
  if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
  }
  const roles = await db
    .selectFrom('user_roles')
    .select(['role', 'organization_id'])
    .where('user_id', '=', row.id)
    .orderBy('role')
    .orderBy('organization_id')
    .execute();
  return {
    userId: row.id,
    username: row.username,
    displayName: row.display_name,
    officialId: row.official_id,
    roles: roles.map((r) => ({ role: r.role, organizationId: r.organization_id })),
  };
}
