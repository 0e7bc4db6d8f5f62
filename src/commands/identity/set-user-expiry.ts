import { auditActor, type Actor } from '../../access/actor.js';
import { appendEvent } from '../../audit/chain.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connect.js';
import { requireAdministeredUser } from './administered-users.js';

/**
 * Sets when an account expires (a temporary expert's), or clears it. From that moment the account cannot sign in
 * and its sessions stop working; an expiry already past ends them here, in the same transaction.
 */
export async function setUserExpiry({ db, clock, actor, userId, expiresAt }: { db: Db; clock: Clock; actor: Actor; userId: string; expiresAt: Date | null }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await requireAdministeredUser(tx, actor, userId);
    await tx.updateTable('users').set({ expires_at: expiresAt }).where('id', '=', userId).execute();
    if (expiresAt !== null && expiresAt <= clock.now()) await tx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await appendEvent(tx, { type: 'user.expiry-set', actor: auditActor(actor), payload: { userId, expiresAt: expiresAt?.toISOString() ?? null } }, clock);
  });
}
