import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Clock } from '../clock.js';
import type { Db, Tx } from '../db/connect.js';
import { outsideRowScope, type RowScope } from '../db/row-security.js';
import type { Actor } from './actor.js';
import type { Role } from './roles.js';
import { rowScopeFrom, type ScopeRow } from './row-scope.js';
import { passwordChangeDue, type PasswordPolicy } from './password-policy.js';
import { availableSecondFactors, type SecondFactorMethod } from './second-factor/index.js';

/** A session ends after this long without a request (等保: idle sessions must expire)… */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/** …and after this long from sign-in in any case. */
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;
/** A pending session (password accepted, second factor not yet) has this long to finish signing in. */
export const PENDING_SESSION_MS = 10 * 60 * 1000;

/** 256 random bits: far beyond the 128 that make a session id unguessable. */
export const newSessionToken = (): string => randomBytes(32).toString('base64url');
/** Only the token's hash is stored: a leaked sessions table signs no one in. */
export const hashSessionToken = (token: string): Buffer => createHash('sha256').update(token).digest();

/**
 * Where a sign-in stands. The order is fixed: the second factor first (enrolling one when the account has
 * none), then a required password change, and only then may the session do anything else.
 */
export const SIGN_IN_STAGES = ['enrol-totp', 'second-factor', 'change-password', 'complete'] as const;
export type SignInStage = (typeof SIGN_IN_STAGES)[number];

export interface SessionState {
  tokenHash: Buffer;
  userId: string;
  username: string;
  displayName: string;
  stage: SignInStage;
  /** For stage `second-factor`: the methods the user can answer with. */
  methods: SecondFactorMethod[];
  /** Why the password must change: never chosen by its holder, or past the policy's maximum age. */
  passwordChange: 'initial' | 'expired' | undefined;
  /** The signed-in actor, for a complete session only. */
  actor: Actor | undefined;
  /** The jurisdiction the database's second wall enforces for the actor (access/row-scope.ts), for a complete session only. */
  rowScope?: RowScope;
}

/**
 * The session behind a token and its sign-in stage, or undefined when the token is unknown, the session expired
 * or sat idle, or the account is disabled or past its expiry (the session is then deleted).
 */
export async function loadSession(db: Db, token: string, clock: Clock, policy: PasswordPolicy): Promise<SessionState | undefined> {
  const now = clock.now();
  const tokenHash = hashSessionToken(token);
  // The application's own lookup, as the login role even when a route handler (inside its user's row scope)
  // reloads the session: rongcuo_app may not compute anyone's scope.
  const lookup = db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.official_id',
      'users.expires_at as account_expires_at',
      'users.password_changed_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.second_factor_at',
      // The roles and the row scope come with the session, in the same round trip: every request needs all three,
      // and three queries were a good part of a small request's cost. The scope is computed for every session (a
      // pending one does not use it); it is cheap next to a round trip.
      sql<[string, string][]>`(
        SELECT coalesce(json_agg(json_build_array(r.role, r.organization_id) ORDER BY r.role, r.organization_id), '[]')
          FROM user_roles r WHERE r.user_id = users.id)`.as('roles'),
      sql<ScopeRow>`(SELECT row_to_json(s) FROM rongcuo_row_scope(users.id) s)`.as('row_scope'),
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .where('users.disabled_at', 'is', null);
  const row = await outsideRowScope(() => lookup.executeTakeFirst());
  if (!row) return undefined;
  const accountExpired = row.account_expires_at !== null && row.account_expires_at <= now;
  if (accountExpired || row.expires_at <= now || now.getTime() - row.last_seen_at.getTime() > SESSION_IDLE_MS) {
    await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    return undefined;
  }
  // Touch at most once a minute: a write per request would cost more than the idle-timeout precision is worth.
  if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
  }
  const base = { tokenHash, userId: row.id, username: row.username, displayName: row.display_name };
  const passwordChange = passwordChangeDue(policy, row.password_changed_at, now);
  if (row.second_factor_at === null) {
    const methods = await availableSecondFactors(db, row.id);
    return { ...base, stage: methods.length > 0 ? 'second-factor' : 'enrol-totp', methods, passwordChange, actor: undefined };
  }
  if (passwordChange) return { ...base, stage: 'change-password', methods: [], passwordChange, actor: undefined };
  const actor: Actor = {
    userId: row.id,
    username: row.username,
    displayName: row.display_name,
    officialId: row.official_id,
    roles: row.roles.map(([role, organizationId]) => ({ role: role as Role, organizationId })),
  };
  const rowScope = rowScopeFrom(row.row_scope);
  return { ...base, stage: 'complete', methods: [], passwordChange: undefined, actor, rowScope };
}

/**
 * Marks the pending session as past its second factor under a new token (a new session id whenever the
 * session gains rights: the pending token, had anyone seen it, is worth nothing now). The absolute limit still
 * counts from the sign-in. Returns the new token.
 */
export async function promoteSession(tx: Tx, tokenHash: Buffer, now: Date): Promise<string> {
  const token = newSessionToken();
  const row = await tx
    .updateTable('sessions')
    .set({
      token_hash: hashSessionToken(token),
      second_factor_at: now,
      last_seen_at: now,
      sm2_challenge: null,
      sm2_challenge_expires_at: null,
      expires_at: sql<Date>`created_at + ${SESSION_MAX_MS / 1000}::int * interval '1 second'`,
    })
    .where('token_hash', '=', tokenHash)
    .returning('token_hash')
    .executeTakeFirst();
  if (!row) throw new Error('the pending session vanished while it was being completed');
  return token;
}
