import { verify } from '@node-rs/argon2';
import { appendEvent } from '../audit/chain.js';
import { SESSION_MAX_MS, hashSessionToken, newSessionToken } from '../access/session.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { invalidCredentials } from '../errors.js';

export interface SignInProps {
  db: Db;
  clock: Clock;
  username: string;
  password: string;
}

// Verifying against a real hash even for unknown users keeps response times from revealing which names exist.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Hb6H2R0cFt1HMOCx1h6Z+9Qjvn7oUnvd6+cKbvrZvLk';

/** Checks the credentials and opens a session. Failed attempts are audited too. */
export async function signIn({ db, clock, username, password }: SignInProps): Promise<{ token: string; userId: string }> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'password_hash', 'disabled_at'])
    .where('username', '=', username)
    .executeTakeFirst();
  const passwordOk = await verify(user?.password_hash ?? DUMMY_HASH, password).catch(() => false);
  if (!user || !passwordOk || user.disabled_at) {
    await db.transaction().execute((tx) =>
      appendEvent(
        tx,
        { type: 'user.sign-in-failed', actor: user ? `user:${user.id}` : 'anonymous', payload: { reason: !user ? 'unknown-user' : user.disabled_at ? 'disabled' : 'wrong-password' } },
        clock,
      ),
    );
    throw invalidCredentials();
  }
  const token = newSessionToken();
  const now = clock.now();
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('sessions')
      .values({ token_hash: hashSessionToken(token), user_id: user.id, created_at: now, expires_at: new Date(now.getTime() + SESSION_MAX_MS), last_seen_at: now })
      .execute();
    await appendEvent(tx, { type: 'user.signed-in', actor: `user:${user.id}` }, clock);
  });
  return { token, userId: user.id };
}
