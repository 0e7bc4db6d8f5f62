import { auditActor, type Actor } from '../../access/actor.js';
import { appendEvent } from '../../audit/chain.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connect.js';
import { requireAdministeredUser } from './administered-users.js';

/** Enables a disabled account again, with its failure count and any lock cleared. */
export async function enableUser({ db, clock, actor, userId }: { db: Db; clock: Clock; actor: Actor; userId: string }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await requireAdministeredUser(tx, actor, userId);
    await tx.updateTable('users').set({ disabled_at: null, failed_sign_ins: 0, locked_until: null }).where('id', '=', userId).execute();
    await appendEvent(tx, { type: 'user.enabled', actor: auditActor(actor), payload: { userId } }, clock);
  });
}
