import { sql } from 'kysely';
import { Secret, TOTP } from 'otpauth';
import type { Db, Tx } from '../../db/connect.js';
import type { SecondFactor, SecretSealer } from './types.js';

/**
 * TOTP (RFC 6238) with the parameters every authenticator app understands: HMAC-SHA1, 6 digits, 30-second steps
 * (apps such as Google Authenticator ignore any other algorithm). A code is accepted one step either side of the
 * server's clock (±30 s of drift), and only if its step is later than the last one accepted: a code is good once.
 */
export const TOTP_ISSUER = '容错纠错工作平台';
export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;
const ALGORITHM = 'SHA1';
const WINDOW = 1;
const SECRET_BYTES = 20;

export const totpStep = (at: Date): number => Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);

/**
 * The associated data a user's secret is sealed with: the user id. `rongcuo rotate-kek` re-wraps the secrets
 * (src/privacy/sealed-values.ts) with the same.
 */
export const totpSecretObjectId = (userId: string): string => userId;

const secretFrom = (bytes: Uint8Array) => new Secret({ buffer: Uint8Array.from(bytes).buffer });

/** The otpauth:// URI (shown as a QR code) and the base32 secret (typed in by hand) of an enrolment. */
export function totpUri(secret: Uint8Array, username: string): { uri: string; secret: string } {
  const totp = new TOTP({ issuer: TOTP_ISSUER, label: username, secret: secretFrom(secret), algorithm: ALGORITHM, digits: DIGITS, period: TOTP_PERIOD_SECONDS });
  return { uri: totp.toString(), secret: totp.secret.base32 };
}

/** The time step a code belongs to, within the window around `now`; undefined when it matches none. */
export function totpCodeStep(secret: Uint8Array, code: string, now: Date): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = TOTP.validate({ token: code, secret: secretFrom(secret), algorithm: ALGORITHM, digits: DIGITS, period: TOTP_PERIOD_SECONDS, timestamp: now.getTime(), window: WINDOW });
  return delta === null ? undefined : totpStep(now) + delta;
}

/**
 * The user's enrolment waiting for its first code, created with a fresh secret when there is none. Reading it
 * again (a reloaded page) shows the same secret until it is confirmed.
 */
export async function pendingTotpSecret(tx: Tx, secrets: SecretSealer, userId: string, now: Date): Promise<Uint8Array | undefined> {
  const existing = await tx.selectFrom('user_totp').select(['secret_sealed', 'confirmed_at']).where('user_id', '=', userId).forUpdate().executeTakeFirst();
  if (existing?.confirmed_at) return undefined;
  if (existing) return secrets.open(existing.secret_sealed, totpSecretObjectId(userId));
  const secret = new Secret({ size: SECRET_BYTES }).bytes;
  await tx.insertInto('user_totp').values({ user_id: userId, secret_sealed: secrets.seal(secret, totpSecretObjectId(userId)), created_at: now, confirmed_at: null, last_step: null }).execute();
  return secret;
}

/**
 * Records the step as used; false when a step at or after it was used already (the same code again, or an
 * earlier one after a later one). One UPDATE, so two requests racing with the same code cannot both win.
 */
export async function spendTotpStep(tx: Tx, userId: string, step: number): Promise<boolean> {
  const row = await tx
    .updateTable('user_totp')
    .set({ last_step: String(step) })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb(sql<number>`last_step`, '<', step)]))
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Checks a code against the user's secret (confirmed or not) and spends its step. */
export async function checkTotpCode(tx: Tx, secrets: SecretSealer, userId: string, code: string, now: Date, confirmed: boolean): Promise<boolean> {
  let query = tx.selectFrom('user_totp').select('secret_sealed').where('user_id', '=', userId);
  query = confirmed ? query.where('confirmed_at', 'is not', null) : query.where('confirmed_at', 'is', null);
  const row = await query.forUpdate().executeTakeFirst();
  if (!row) return false;
  const step = totpCodeStep(secrets.open(row.secret_sealed, totpSecretObjectId(userId)), code.trim(), now);
  return step !== undefined && spendTotpStep(tx, userId, step);
}

export const totpFactor: SecondFactor<{ code: string }> = {
  method: 'totp',
  async isAvailable(db: Db | Tx, userId: string) {
    return (await db.selectFrom('user_totp').select('user_id').where('user_id', '=', userId).where('confirmed_at', 'is not', null).executeTakeFirst()) !== undefined;
  },
  verify: ({ tx, secrets, userId, clock }, { code }) => checkTotpCode(tx, secrets, userId, code, clock.now(), true),
};
