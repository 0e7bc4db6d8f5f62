import { auditActor, type Actor } from '../../access/actor.js';
import { levelLabel, type Level } from '../../access/clearance.js';
import { appendEvent } from '../../audit/chain.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connect.js';
import { invalidInput } from '../../errors.js';
import { requireManagedAccount, requireSecurityAdministrator } from './jurisdiction.js';

/** The security administrator sets an account's clearance (密级许可); label changes are audited with old and new. */
export async function setClearance({ db, clock, actor, userId, level }: { db: Db; clock: Clock; actor: Actor; userId: string; level: Level }): Promise<void> {
  const organs = requireSecurityAdministrator(actor);
  if (userId === actor.userId) throw invalidInput('userId', '不能修改本人的密级许可', 'you cannot change your own clearance');
  await db.transaction().execute(async (tx) => {
    const account = await requireManagedAccount(tx, organs, userId);
    if (account.clearance === level) return;
    await tx.updateTable('users').set({ clearance: level }).where('id', '=', userId).execute();
    await appendEvent(tx, { type: 'user.clearance-set', actor: auditActor(actor), payload: { userId, from: account.clearance, to: level, label: levelLabel(level) } }, clock);
  });
}
