import type { SessionState } from '../../access/session.js';
import { pendingTotpSecret, totpUri } from '../../access/second-factor/totp.js';
import type { SecretSealer } from '../../access/second-factor/index.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connect.js';
import { wrongSignInStage } from './errors.js';

export interface EnrolmentProps {
  db: Db;
  clock: Clock;
  secrets: SecretSealer;
  session: SessionState;
}

/**
 * The authenticator enrolment of an account without a second factor: the secret to scan (otpauth URI) or type.
 * Not audited: an unconfirmed secret grants nothing, and the confirmation is what the chain records.
 */
export async function getTotpEnrolment({ db, clock, secrets, session }: EnrolmentProps): Promise<{ uri: string; secret: string }> {
  if (session.stage !== 'enrol-totp') throw wrongSignInStage(session.stage);
  const secret = await db.transaction().execute((tx) => pendingTotpSecret(tx, secrets, session.userId, clock.now()));
  if (!secret) throw wrongSignInStage('second-factor');
  return totpUri(secret, session.username);
}
