import { auditActor, type Actor } from '../../access/actor.js';
import { appendEvent } from '../../audit/chain.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connect.js';
import { forbidden } from '../../errors.js';
import { requireAdministeredUser } from './administered-users.js';

/**
 * Disables an account: it can no longer sign in, and every session it holds ends in the same transaction
 * (等保: a disabled account must lose access at once, not at its sessions' expiry).
 */
export async function disableUser({ db, clock, actor, userId }: { db: Db; clock: Clock; actor: Actor; userId: string }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await requireAdministeredUser(tx, actor, userId);
    if (userId === actor.userId) throw forbidden('不能停用本人的账号', 'administrators cannot disable their own account');
    await tx.updateTable('users').set({ disabled_at: clock.now() }).where('id', '=', userId).where('disabled_at', 'is', null).execute();
    const ended = await tx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    await appendEvent(tx, { type: 'user.disabled', actor: auditActor(actor), payload: { userId, endedSessions: Number(ended.numDeletedRows) } }, clock);
  });
}
