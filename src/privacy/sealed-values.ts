import type { SecretBox } from '../crypto/envelope.js';
import type { Db } from '../db/connect.js';
import { identifierObjectId, type IdentifierKind } from './identifiers.js';

/**
 * The values the database holds sealed (envelopes under the key-encryption keys): today the officials' personal
 * identifiers. `rongcuo rotate-kek` re-wraps them with the files, and `--retire` keeps every key they still use —
 * a key retired while a sealed value needs it would make that value unreadable for good.
 */
const SEALED = [
  { column: 'id_number_sealed', kind: 'idNumber' },
  { column: 'phone_sealed', kind: 'phone' },
] as const satisfies readonly { column: 'id_number_sealed' | 'phone_sealed'; kind: IdentifierKind }[];

const BATCH = 500;

/** Every official holding a sealed value, a batch at a time in id order. */
async function* sealedRows(db: Db) {
  let after: string | undefined;
  for (;;) {
    let query = db
      .selectFrom('officials')
      .select(['id', 'id_number_sealed', 'phone_sealed'])
      .where((eb) => eb.or([eb('id_number_sealed', 'is not', null), eb('phone_sealed', 'is not', null)]))
      .orderBy('id')
      .limit(BATCH);
    if (after !== undefined) query = query.where('id', '>', after);
    const rows = await query.execute();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
    if (rows.length < BATCH) return;
  }
}

/** Re-wraps every sealed value under the current key-encryption key (the payload is untouched). */
export async function rewrapSealedValues(db: Db, secrets: SecretBox): Promise<{ rewrapped: number; unchanged: number }> {
  const counts = { rewrapped: 0, unchanged: 0 };
  for await (const rows of sealedRows(db)) {
    for (const row of rows) {
      for (const { column, kind } of SEALED) {
        const sealed = row[column];
        if (!sealed) continue;
        const next = secrets.rewrap(sealed, identifierObjectId(row.id, kind));
        if (next === sealed) {
          counts.unchanged += 1;
          continue;
        }
        // Only if nobody replaced the value meanwhile: a newer value is already under the current key.
        await db.updateTable('officials').set({ [column]: next }).where('id', '=', row.id).where(column, '=', sealed).execute();
        counts.rewrapped += 1;
      }
    }
  }
  return counts;
}

/** The key-encryption keys the sealed values are wrapped under. */
export async function sealedValueKekIds(db: Db, secrets: SecretBox): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const rows of sealedRows(db)) {
    for (const row of rows) for (const { column } of SEALED) if (row[column]) ids.add(secrets.kekIdOf(row[column]));
  }
  return ids;
}
