import { appendEvent } from '../audit/chain.js';
import type { Clock } from '../clock.js';
import type { SecretBox } from '../crypto/envelope.js';
import type { Db } from '../db/connect.js';

/**
 * An organ's SMTP password, sealed at rest under the envelope encryption (migration 0015): written sealed by the
 * settings route, opened only by the reminder mailer to sign in to the organ's server, never returned, logged or
 * audited.
 */

/** The envelope's associated data: the password opens only as this organ's SMTP password. */
export const smtpPasswordObjectId = (organId: string): string => `organ:${organId}:smtp-password`;

export function sealSmtpPassword(secrets: Pick<SecretBox, 'seal'>, organId: string, password: string): Buffer {
  return secrets.seal(Buffer.from(password, 'utf8'), smtpPasswordObjectId(organId));
}

export function openSmtpPassword(secrets: Pick<SecretBox, 'open'>, organId: string, sealed: Buffer): string {
  return secrets.open(sealed, smtpPasswordObjectId(organId)).toString('utf8');
}

/**
 * Seals the SMTP passwords an earlier version stored in plaintext (kept by migration 0015 in
 * `password_plaintext_legacy`, since SQL cannot seal) and clears them, in one transaction with an audit event
 * naming the organs. Runs at every start before the server accepts requests; with nothing left it writes nothing.
 * Returns how many it sealed.
 */
export async function sealLegacySmtpPasswords(db: Db, secrets: Pick<SecretBox, 'seal'>, clock: Clock): Promise<number> {
  return db.transaction().execute(async (tx) => {
    // Locked, so that of several servers starting at once one seals and the others find nothing left.
    const rows = await tx.selectFrom('organ_smtp_settings').select(['organ_id', 'password_plaintext_legacy']).where('password_plaintext_legacy', 'is not', null).forUpdate().execute();
    if (rows.length === 0) return 0;
    for (const row of rows) {
      // An empty password meant none (hasPassword was false for it): nothing to seal, only to clear.
      const password = row.password_plaintext_legacy ?? '';
      await tx
        .updateTable('organ_smtp_settings')
        .set({ ...(password === '' ? {} : { password_sealed: sealSmtpPassword(secrets, row.organ_id, password) }), password_plaintext_legacy: null })
        .where('organ_id', '=', row.organ_id)
        .execute();
    }
    await appendEvent(tx, { type: 'system.smtp-passwords-sealed', actor: 'system', payload: { organIds: rows.map((r) => r.organ_id) } }, clock);
    return rows.length;
  });
}
