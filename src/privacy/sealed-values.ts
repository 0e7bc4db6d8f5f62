import { sql } from 'kysely';
import { totpSecretObjectId } from '../access/second-factor/totp.js';
import type { SecretBox } from '../crypto/envelope.js';
import type { Db } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { smtpPasswordObjectId } from '../notifications/smtp-password.js';
import { identifierObjectId } from './identifiers.js';

/**
 * Every value the database holds sealed (envelopes under the key-encryption keys), in one list: `rongcuo
 * rotate-kek` re-wraps them all with the files, and `--retire` keeps every key one of them still uses — a key
 * retired while a sealed value needs it would make that value unreadable for good. A new sealed column belongs
 * here, with the associated data its writer binds in: test/sealed-values.db.test.ts fails on a bytea column named
 * `*_sealed` that is missing.
 */
interface SealedColumn {
  /** What it holds, as rotate-kek reports it. */
  label: string;
  table: string;
  /** The row's key (a single uuid column), from which the associated data is built. */
  key: string;
  column: string;
  /** The associated data the writer sealed the value with. */
  objectId: (key: string) => string;
}

/** A sealed column, its table and columns checked against the schema. */
const sealedColumn = <T extends keyof Database>(spec: { label: string; table: T; key: keyof Database[T] & string; column: keyof Database[T] & string; objectId: (key: string) => string }): SealedColumn => spec;

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  sealedColumn({ label: '干部公民身份号码', table: 'officials', key: 'id', column: 'id_number_sealed', objectId: (id) => identifierObjectId(id, 'idNumber') }),
  sealedColumn({ label: '干部手机号码', table: 'officials', key: 'id', column: 'phone_sealed', objectId: (id) => identifierObjectId(id, 'phone') }),
  sealedColumn({ label: '邮件服务器密码', table: 'organ_smtp_settings', key: 'organ_id', column: 'password_sealed', objectId: smtpPasswordObjectId }),
  sealedColumn({ label: '身份验证器密钥', table: 'user_totp', key: 'user_id', column: 'secret_sealed', objectId: totpSecretObjectId }),
];

const BATCH = 500;

/** The rows of one table holding a value in this column, a batch at a time in key order. */
async function* sealedRows(db: Db, { table, key, column }: SealedColumn) {
  let after: string | undefined;
  for (;;) {
    const rows = (
      await sql<{ key: string; sealed: Buffer }>`
        SELECT ${sql.ref(key)} AS key, ${sql.ref(column)} AS sealed FROM ${sql.table(table)}
        WHERE ${sql.ref(column)} IS NOT NULL ${after === undefined ? sql`` : sql`AND ${sql.ref(key)} > ${after}`}
        ORDER BY ${sql.ref(key)} LIMIT ${BATCH}`.execute(db)
    ).rows;
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.key;
    if (rows.length < BATCH) return;
  }
}

export interface RewrapCount {
  label: string;
  rewrapped: number;
  unchanged: number;
}

/** Re-wraps every sealed value under the current key-encryption key (the payload is never decrypted), column by column. */
export async function rewrapSealedValues(db: Db, secrets: Pick<SecretBox, 'rewrap'>): Promise<RewrapCount[]> {
  const counts: RewrapCount[] = [];
  for (const spec of SEALED_COLUMNS) {
    const count = { label: spec.label, rewrapped: 0, unchanged: 0 };
    for await (const rows of sealedRows(db, spec)) {
      for (const row of rows) {
        const next = secrets.rewrap(row.sealed, spec.objectId(row.key));
        if (next === row.sealed) {
          count.unchanged += 1;
          continue;
        }
        // Only if nobody replaced the value meanwhile: a newer value is already under the current key.
        const updated = await sql`
          UPDATE ${sql.table(spec.table)} SET ${sql.ref(spec.column)} = ${next}
          WHERE ${sql.ref(spec.key)} = ${row.key} AND ${sql.ref(spec.column)} = ${row.sealed}`.execute(db);
        if ((updated.numAffectedRows ?? 0n) > 0n) count.rewrapped += 1;
        else count.unchanged += 1;
      }
    }
    counts.push(count);
  }
  return counts;
}

/** The key-encryption keys the sealed values are wrapped under. */
export async function sealedValueKekIds(db: Db, secrets: Pick<SecretBox, 'kekIdOf'>): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const spec of SEALED_COLUMNS) {
    for await (const rows of sealedRows(db, spec)) for (const row of rows) ids.add(secrets.kekIdOf(row.sealed));
  }
  return ids;
}
