import { hash, verify } from '@node-rs/argon2';
import { randomInt } from 'node:crypto';
import type { Db, Tx } from '../../db/connect.js';
import type { SecondFactor } from './types.js';

/**
 * Recovery codes: ten single-use codes given at TOTP enrolment, for a lost or reset phone. Only their argon2
 * hashes are stored (like passwords); the codes are shown once. 10 characters from a 32-letter alphabet without
 * look-alikes (0/O, 1/I) give 50 bits each, far beyond what the lockout lets anyone try.
 */
export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function newRecoveryCode(): string {
  const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** Case, spaces and the hyphen do not matter when a code is typed back. */
export const normalizeRecoveryCode = (code: string): string => code.toUpperCase().replace(/[\s-]/g, '');

/** Replaces the user's codes with ten new ones and returns them (the only time they are readable). */
export async function replaceRecoveryCodes(tx: Tx, userId: string, now: Date): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const hashes = await Promise.all(codes.map((code) => hash(normalizeRecoveryCode(code))));
  await tx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await tx
    .insertInto('recovery_codes')
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash, created_at: now, used_at: null })))
    .execute();
  return codes;
}

export async function unusedRecoveryCodes(db: Db | Tx, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export const recoveryCodeFactor: SecondFactor<{ code: string }> = {
  method: 'recovery-code',
  isAvailable: async (db, userId) => (await unusedRecoveryCodes(db, userId)) > 0,
  async verify({ tx, userId, clock }, { code }) {
    const normalized = normalizeRecoveryCode(code);
    if (!/^[A-Z2-9]{10}$/.test(normalized)) return false;
    // Locked so that two requests with the same code cannot both spend it.
    const rows = await tx.selectFrom('recovery_codes').select(['id', 'code_hash']).where('user_id', '=', userId).where('used_at', 'is', null).forUpdate().execute();
    for (const row of rows) {
      if (await verify(row.code_hash, normalized).catch(() => false)) {
        await tx.updateTable('recovery_codes').set({ used_at: clock.now() }).where('id', '=', row.id).execute();
        return true;
      }
    }
    return false;
  },
};
