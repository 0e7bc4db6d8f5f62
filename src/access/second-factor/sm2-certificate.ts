import { createHash, randomBytes } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import type { Db, Tx } from '../../db/connect.js';
import type { SecondFactor } from './types.js';

/**
 * SM2 certificate / USB key (密评 8.4 a: SM cryptography in identity authentication). The server issues a random
 * challenge for the pending session; the user's key signs it (SM2 with the SM3 digest over Z‖M, the default
 * user id); the server verifies the signature with the public key an administrator registered for the user.
 * The challenge is spent by the first answer, right or wrong, and expires after two minutes: no replay.
 */
export const SM2_CHALLENGE_TTL_MS = 2 * 60 * 1000;
/** Uncompressed public point, lower-case hex: "04" ‖ x ‖ y. */
export const SM2_PUBLIC_KEY_PATTERN = /^04[0-9a-f]{128}$/;
/** Raw r ‖ s, 64 bytes as hex (sm-crypto's default, not DER). */
export const SM2_SIGNATURE_PATTERN = /^[0-9a-fA-F]{128}$/;
const CHALLENGE_PREFIX = 'rongcuo-sign-in:v1:';

/** A registrable key: well-formed and a point on the SM2 curve. */
export function isSm2PublicKey(publicKey: string): boolean {
  if (!SM2_PUBLIC_KEY_PATTERN.test(publicKey)) return false;
  try {
    return sm2.verifyPublicKey(publicKey);
  } catch {
    return false;
  }
}

/** The SM3 fingerprint the audit chain keeps instead of the key itself. */
export const sm2KeyFingerprint = (publicKey: string): string => createHash('sm3').update(publicKey).digest('hex');

/** Issues the pending session's challenge (replacing an earlier unanswered one). The client signs this string's UTF-8 bytes. */
export async function issueSm2Challenge(tx: Tx, sessionTokenHash: Buffer, now: Date): Promise<{ challenge: string; expiresAt: Date }> {
  const challenge = `${CHALLENGE_PREFIX}${randomBytes(32).toString('hex')}`;
  const expiresAt = new Date(now.getTime() + SM2_CHALLENGE_TTL_MS);
  await tx.updateTable('sessions').set({ sm2_challenge: challenge, sm2_challenge_expires_at: expiresAt }).where('token_hash', '=', sessionTokenHash).execute();
  return { challenge, expiresAt };
}

export const sm2CertificateFactor: SecondFactor<{ signature: string }> = {
  method: 'sm2-certificate',
  async isAvailable(db: Db | Tx, userId: string) {
    return (await db.selectFrom('user_sm2_keys').select('user_id').where('user_id', '=', userId).executeTakeFirst()) !== undefined;
  },
  async verify({ tx, clock, userId, sessionTokenHash }, { signature }) {
    const session = await tx
      .selectFrom('sessions')
      .select(['sm2_challenge', 'sm2_challenge_expires_at'])
      .where('token_hash', '=', sessionTokenHash)
      .forUpdate()
      .executeTakeFirst();
    const challenge = session?.sm2_challenge;
    if (!challenge) return false;
    await tx.updateTable('sessions').set({ sm2_challenge: null, sm2_challenge_expires_at: null }).where('token_hash', '=', sessionTokenHash).execute();
    if (!session.sm2_challenge_expires_at || session.sm2_challenge_expires_at <= clock.now()) return false;
    const key = await tx.selectFrom('user_sm2_keys').select('public_key').where('user_id', '=', userId).executeTakeFirst();
    if (!key || !SM2_SIGNATURE_PATTERN.test(signature)) return false;
    try {
      return sm2.doVerifySignature(challenge, signature.toLowerCase(), key.public_key, { hash: true });
    } catch {
      return false;
    }
  },
};
