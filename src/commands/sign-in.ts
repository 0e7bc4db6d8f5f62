import { verify } from '@node-rs/argon2';
import { appendEvent } from '../audit/chain.js';
import { PENDING_SESSION_MS, hashSessionToken, newSessionToken } from '../access/session.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { invalidCredentials } from '../errors.js';
import { isLocked, recordFailure } from './identity/failures.js';

export interface SignInProps {
  db: Db;
  clock: Clock;
  username: string;
  password: string;
  /** The session token the client still carried, if any: it ends, and the sign-in gets a new one. */
  previousToken?: string | undefined;
}

// Verifying against a real hash even for unknown users keeps response times from revealing which names exist.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Hb6H2R0cFt1HMOCx1h6Z+9Qjvn7oUnvd6+cKbvrZvLk';

type FailureReason = 'unknown-user' | 'locked' | 'wrong-password' | 'disabled' | 'expired';

/**
 * The first factor: checks the password and opens a *pending* session, which may only finish signing in (second
 * factor, and a password change when one is due). Unknown user, wrong password, locked, disabled and expired
 * accounts all get the same answer after the same argon2 work; each failure is audited with its reason, and a
 * wrong password counts towards the lockout.
 */
export async function signIn({ db, clock, username, password, previousToken }: SignInProps): Promise<{ token: string; userId: string }> {
  const now = clock.now();
  const user = await db
    .selectFrom('users')
    .select(['id', 'password_hash', 'disabled_at', 'expires_at', 'locked_until'])
    .where('username', '=', username)
    .executeTakeFirst();
  const passwordOk = await verify(user?.password_hash ?? DUMMY_HASH, password).catch(() => false);
  // A locked account is refused even with the right password: otherwise the lock would not slow guessing.
  const reason: FailureReason | undefined = !user
    ? 'unknown-user'
    : isLocked(user, now)
      ? 'locked'
      : !passwordOk
        ? 'wrong-password'
        : user.disabled_at
          ? 'disabled'
          : user.expires_at && user.expires_at <= now
            ? 'expired'
            : undefined;
  if (reason) {
    await db.transaction().execute(async (tx) => {
      const event = { type: 'user.sign-in-failed' as const, actor: user ? `user:${user.id}` : 'anonymous', payload: { reason } };
      if (user && reason === 'wrong-password') await recordFailure(tx, clock, user.id, event);
      else await appendEvent(tx, event, clock);
    });
    throw invalidCredentials();
  }
  const token = newSessionToken();
  await db.transaction().execute(async (tx) => {
    if (previousToken) await tx.deleteFrom('sessions').where('token_hash', '=', hashSessionToken(previousToken)).execute();
    await tx
      .insertInto('sessions')
      .values({ token_hash: hashSessionToken(token), user_id: user!.id, created_at: now, expires_at: new Date(now.getTime() + PENDING_SESSION_MS), last_seen_at: now, second_factor_at: null })
      .execute();
    await appendEvent(tx, { type: 'user.password-verified', actor: `user:${user!.id}` }, clock);
  });
  return { token, userId: user!.id };
}
