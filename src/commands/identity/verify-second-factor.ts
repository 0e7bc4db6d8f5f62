import { promoteSession, type SessionState } from '../../access/session.js';
import { SECOND_FACTORS, type SecondFactorMethod, type SecondFactorProofs, type SecretSealer, type VerifyContext } from '../../access/second-factor/index.js';
import { unusedRecoveryCodes } from '../../access/second-factor/recovery-codes.js';
import { appendEvent } from '../../audit/chain.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connect.js';
import { invalidSecondFactor, wrongSignInStage } from './errors.js';
import { clearFailures, isLocked, recordFailure } from './failures.js';

export type SecondFactorProof = { [M in SecondFactorMethod]: { method: M } & SecondFactorProofs[M] }[SecondFactorMethod];

export interface VerifySecondFactorProps {
  db: Db;
  clock: Clock;
  secrets: SecretSealer;
  session: SessionState;
  proof: SecondFactorProof;
}

/**
 * The second factor of a pending session: a TOTP code, a recovery code or an SM2 signature of the session's
 * challenge. Accepted, the session gets a new token and is signed in (or goes on to a required password change);
 * refused, the failure counts towards the lockout. Either way the proof is spent.
 */
export async function verifySecondFactor({ db, clock, secrets, session, proof }: VerifySecondFactorProps): Promise<{ token: string }> {
  if (session.stage !== 'second-factor') throw wrongSignInStage(session.stage);
  const actor = `user:${session.userId}`;
  const user = await db.selectFrom('users').select('locked_until').where('id', '=', session.userId).executeTakeFirstOrThrow();
  if (isLocked(user, clock.now())) {
    await db.transaction().execute((tx) => appendEvent(tx, { type: 'user.second-factor-failed', actor, payload: { method: proof.method, reason: 'locked' } }, clock));
    throw invalidSecondFactor();
  }
  const token = await db.transaction().execute(async (tx) => {
    const context = { tx, clock, secrets, userId: session.userId, sessionTokenHash: session.tokenHash };
    const accepted = session.methods.includes(proof.method) && (await verifyWith(context, proof));
    if (!accepted) {
      await recordFailure(tx, clock, session.userId, { type: 'user.second-factor-failed', actor, payload: { method: proof.method, reason: 'wrong' } });
      return undefined;
    }
    const newToken = await promoteSession(tx, session.tokenHash, clock.now());
    await clearFailures(tx, session.userId);
    if (proof.method === 'recovery-code') {
      await appendEvent(tx, { type: 'user.recovery-code-used', actor, payload: { remaining: await unusedRecoveryCodes(tx, session.userId) } }, clock);
    }
    await appendEvent(tx, { type: 'user.signed-in', actor, payload: { method: proof.method } }, clock);
    return newToken;
  });
  if (!token) throw invalidSecondFactor();
  return { token };
}

/** The method's check with its own proof (a switch, so each proof type reaches its method checked). */
function verifyWith(context: VerifyContext, proof: SecondFactorProof): Promise<boolean> {
  switch (proof.method) {
    case 'totp':
      return SECOND_FACTORS.totp.verify(context, { code: proof.code });
    case 'recovery-code':
      return SECOND_FACTORS['recovery-code'].verify(context, { code: proof.code });
    case 'sm2-certificate':
      return SECOND_FACTORS['sm2-certificate'].verify(context, { signature: proof.signature });
  }
}
