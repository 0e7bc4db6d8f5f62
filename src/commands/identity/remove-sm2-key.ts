import { auditActor, type Actor } from '../../access/actor.js';
import { sm2KeyFingerprint } from '../../access/second-factor/sm2-certificate.js';
import { appendEvent } from '../../audit/chain.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connect.js';
import { requireAdministeredUser } from './administered-users.js';

interface Sm2KeyProps {
  db: Db;
  clock: Clock;
  actor: Actor;
  userId: string;
}

/** Removes the user's SM2 key (a lost or revoked certificate). */
export async function removeSm2Key({ db, clock, actor, userId }: Sm2KeyProps): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await requireAdministeredUser(tx, actor, userId);
    const removed = await tx.deleteFrom('user_sm2_keys').where('user_id', '=', userId).returning('public_key').executeTakeFirst();
    if (removed) await appendEvent(tx, { type: 'user.sm2-key-removed', actor: auditActor(actor), payload: { userId, fingerprint: sm2KeyFingerprint(removed.public_key) } }, clock);
  });
}
