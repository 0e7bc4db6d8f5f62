import { appendEvent } from '../audit/chain.js';
import { hashSessionToken } from '../access/session.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';

/** Ends the session behind this token, complete or still pending (a sign-in given up). */
export async function signOut({ db, clock, userId, token }: { db: Db; clock: Clock; userId: string; token: string }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('sessions').where('token_hash', '=', hashSessionToken(token)).execute();
    await appendEvent(tx, { type: 'user.signed-out', actor: `user:${userId}` }, clock);
  });
}
