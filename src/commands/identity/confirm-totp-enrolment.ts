import { promoteSession, type SessionState } from '../../access/session.js';
import { replaceRecoveryCodes } from '../../access/second-factor/recovery-codes.js';
import { checkTotpCode } from '../../access/second-factor/totp.js';
import type { SecretSealer } from '../../access/second-factor/index.js';
import { appendEvent } from '../../audit/chain.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connect.js';
import { invalidSecondFactor, wrongSignInStage } from './errors.js';
import { clearFailures, isLocked, recordFailure } from './failures.js';

interface EnrolmentProps {
  db: Db;
  clock: Clock;
  secrets: SecretSealer;
  session: SessionState;
}

/**
 * Confirms the enrolment with a first code from the app. That code proves the second factor, so the session is
 * signed in (new token) and ten recovery codes are made — returned here once, stored only as hashes.
 */
export async function confirmTotpEnrolment({ db, clock, secrets, session, code }: EnrolmentProps & { code: string }): Promise<{ token: string; recoveryCodes: string[] }> {
  if (session.stage !== 'enrol-totp') throw wrongSignInStage(session.stage);
  const actor = `user:${session.userId}`;
  const now = clock.now();
  const user = await db.selectFrom('users').select('locked_until').where('id', '=', session.userId).executeTakeFirstOrThrow();
  if (isLocked(user, now)) {
    await db.transaction().execute((tx) => appendEvent(tx, { type: 'user.second-factor-failed', actor, payload: { method: 'totp', enrolment: true, reason: 'locked' } }, clock));
    throw invalidSecondFactor();
  }
  const result = await db.transaction().execute(async (tx) => {
    if (!(await checkTotpCode(tx, secrets, session.userId, code, now, false))) {
      await recordFailure(tx, clock, session.userId, { type: 'user.second-factor-failed', actor, payload: { method: 'totp', enrolment: true, reason: 'wrong' } });
      return undefined;
    }
    await tx.updateTable('user_totp').set({ confirmed_at: now }).where('user_id', '=', session.userId).execute();
    const recoveryCodes = await replaceRecoveryCodes(tx, session.userId, now);
    const token = await promoteSession(tx, session.tokenHash, now);
    await clearFailures(tx, session.userId);
    await appendEvent(tx, { type: 'user.totp-enrolled', actor, payload: { recoveryCodes: recoveryCodes.length } }, clock);
    await appendEvent(tx, { type: 'user.signed-in', actor, payload: { method: 'totp' } }, clock);
    return { token, recoveryCodes };
  });
  if (!result) throw invalidSecondFactor();
  return result;
}
