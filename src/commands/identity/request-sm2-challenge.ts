import type { SessionState } from '../../access/session.js';
import { issueSm2Challenge } from '../../access/second-factor/sm2-certificate.js';
import { appendEvent } from '../../audit/chain.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connect.js';
import { invalidState } from '../../errors.js';
import { wrongSignInStage } from './errors.js';

/** A fresh challenge for the pending session to sign with the user's SM2 key; the answer is checked (and audited) later. */
export async function requestSm2Challenge({ db, clock, session }: { db: Db; clock: Clock; session: SessionState }): Promise<{ challenge: string; expiresAt: Date }> {
  if (session.stage !== 'second-factor') throw wrongSignInStage(session.stage);
  if (!session.methods.includes('sm2-certificate')) throw invalidState('本账号未登记 SM2 证书，请使用其他验证方式', 'no SM2 key is registered for this account');
  return db.transaction().execute(async (tx) => {
    const issued = await issueSm2Challenge(tx, session.tokenHash, clock.now());
    await appendEvent(tx, { type: 'user.sm2-challenge-issued', actor: `user:${session.userId}`, payload: { expiresAt: issued.expiresAt.toISOString() } }, clock);
    return issued;
  });
}
