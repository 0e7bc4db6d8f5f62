import { auditActor, type Actor } from '../../access/actor.js';
import { appendEvent } from '../../audit/chain.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connect.js';
import { requireAdministeredUser } from './administered-users.js';

/**
 * Removes a user's authenticator and recovery codes (a lost phone with the codes gone too): they enrol a new one
 * at their next sign-in. Their sessions end, since whoever holds the old device may hold one of them.
 */
export async function resetTotp({ db, clock, actor, userId }: { db: Db; clock: Clock; actor: Actor; userId: string }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await requireAdministeredUser(tx, actor, userId);
    await tx.deleteFrom('user_totp').where('user_id', '=', userId).execute();
    await tx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    const ended = await tx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    await appendEvent(tx, { type: 'user.totp-reset', actor: auditActor(actor), payload: { userId, endedSessions: Number(ended.numDeletedRows) } }, clock);
  });
}
