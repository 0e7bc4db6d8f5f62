import { hash, verify } from '@node-rs/argon2';
import { checkPasswordRules, reusesRecentPassword, reuseViolation, type PasswordPolicy } from '../../access/password-policy.js';
import type { SessionState } from '../../access/session.js';
import { appendEvent } from '../../audit/chain.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connect.js';
import { passwordPolicyViolated, wrongCurrentPassword, wrongSignInStage } from './errors.js';
import { recordFailure } from './failures.js';

export interface ChangePasswordProps {
  db: Db;
  clock: Clock;
  policy: PasswordPolicy;
  session: SessionState;
  /** Required for a change of one's own accord; a required change follows the password and second factor just given. */
  currentPassword?: string | undefined;
  newPassword: string;
}

/**
 * Sets a new password under the configured policy: when the sign-in requires it (a seeded account's first
 * sign-in, or a password past its maximum age), or of the user's own accord. Only after the second factor: a
 * stolen password alone cannot take over an account by changing it. The user's other sessions end.
 */
export async function changePassword({ db, clock, policy, session, currentPassword, newPassword }: ChangePasswordProps): Promise<void> {
  if (session.stage !== 'change-password' && session.stage !== 'complete') throw wrongSignInStage(session.stage);
  const actor = `user:${session.userId}`;
  const user = await db.selectFrom('users').select(['password_hash', 'username']).where('id', '=', session.userId).executeTakeFirstOrThrow();
  if (session.stage === 'complete') {
    if (!(await verify(user.password_hash, currentPassword ?? '').catch(() => false))) {
      await db.transaction().execute((tx) => recordFailure(tx, clock, session.userId, { type: 'user.password-change-failed', actor }));
      throw wrongCurrentPassword();
    }
  }
  const violations = checkPasswordRules(policy, newPassword, { username: user.username });
  const earlier = await db
    .selectFrom('password_history')
    .select('password_hash')
    .where('user_id', '=', session.userId)
    .orderBy('seq', 'desc')
    .limit(Math.max(policy.historySize - 1, 0))
    .execute();
  if (await reusesRecentPassword(policy, [user.password_hash, ...earlier.map((row) => row.password_hash)], newPassword)) violations.push(reuseViolation(policy));
  if (violations.length > 0) throw passwordPolicyViolated(policy.name, violations);

  const now = clock.now();
  const passwordHash = await hash(newPassword);
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('password_history').values({ user_id: session.userId, password_hash: user.password_hash, replaced_at: now }).execute();
    await tx.updateTable('users').set({ password_hash: passwordHash, password_changed_at: now }).where('id', '=', session.userId).execute();
    // Whoever else held a session of this account (the old password's holder, perhaps) is out.
    const ended = await tx.deleteFrom('sessions').where('user_id', '=', session.userId).where('token_hash', '!=', session.tokenHash).executeTakeFirst();
    await appendEvent(tx, { type: 'user.password-changed', actor, payload: { reason: session.passwordChange ?? 'own-accord', endedSessions: Number(ended.numDeletedRows) } }, clock);
  });
}
