import { appendEvent } from '../audit/chain.js';
import { auditActor, type Actor } from '../access/actor.js';
import { hashSessionToken } from '../access/session.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';

/** Ends the session behind this token. */
export async function signOut({ db, clock, actor, token }: { db: Db; clock: Clock; actor: Actor; token: string }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('sessions').where('token_hash', '=', hashSessionToken(token)).execute();
    await appendEvent(tx, { type: 'user.signed-out', actor: auditActor(actor) }, clock);
  });
}
