import { sql } from 'kysely';
import type { Clock } from '../../clock.js';
import type { Tx } from '../../db/connect.js';
import { appendEvent, type NewEvent } from '../../audit/chain.js';

/** Five failures in a row lock an account for 15 minutes (等保 8.1.4.1 b: 登录失败处理). */
export const MAX_FAILURES = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

/**
 * Counts a failed attempt (password or second factor) and audits it; the fifth in a row locks the account and
 * ends its pending sessions, so the attacker must start over at the password once the lock has passed. One
 * UPDATE: concurrent failures each count.
 */
export async function recordFailure(tx: Tx, clock: Clock, userId: string, event: NewEvent): Promise<void> {
  const now = clock.now();
  const lockedUntil = new Date(now.getTime() + LOCKOUT_MS);
  const row = await tx
    .updateTable('users')
    .set({
      failed_sign_ins: sql<number>`CASE WHEN failed_sign_ins + 1 >= ${MAX_FAILURES} THEN 0 ELSE failed_sign_ins + 1 END`,
      locked_until: sql<Date | null>`CASE WHEN failed_sign_ins + 1 >= ${MAX_FAILURES} THEN ${lockedUntil}::timestamptz ELSE locked_until END`,
    })
    .where('id', '=', userId)
    .returning('locked_until')
    .executeTakeFirstOrThrow();
  const locked = row.locked_until?.getTime() === lockedUntil.getTime();
  if (locked) await tx.deleteFrom('sessions').where('user_id', '=', userId).where('second_factor_at', 'is', null).execute();
  await appendEvent(tx, event, clock);
  if (locked) await appendEvent(tx, { type: 'user.locked', actor: event.actor, payload: { until: lockedUntil.toISOString(), failures: MAX_FAILURES } }, clock);
}

/** Whether the account is locked now. */
export const isLocked = (user: { locked_until: Date | null }, now: Date): boolean => user.locked_until !== null && user.locked_until > now;

/** A full sign-in clears the count. */
export async function clearFailures(tx: Tx, userId: string): Promise<void> {
  await tx.updateTable('users').set({ failed_sign_ins: 0, locked_until: null }).where('id', '=', userId).execute();
}
