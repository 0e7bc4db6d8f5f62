import { sql } from 'kysely';
import type { Tx } from '../db/connect.js';

/**
 * Allocates the next document number (文号) of an organ for a year, inside the caller's transaction. The
 * counter row is locked by the upsert until commit, so concurrent issues queue and a rolled-back issue gives
 * its number back: numbers have no gaps.
 */
export async function allocateDocumentNumber(tx: Tx, organ: { id: string; name: string; shortName: string | null }, at: Date): Promise<string> {
  // The year as the organ reads its calendar: Beijing time.
  const year = Number(new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(at));
  const { rows } = await sql<{ last: number }>`
    INSERT INTO document_numbers (organ_id, year, last) VALUES (${organ.id}, ${year}, 1)
    ON CONFLICT (organ_id, year) DO UPDATE SET last = document_numbers.last + 1
    RETURNING last`.execute(tx);
  const serial = rows[0]!.last;
  return `${organ.shortName ?? organ.name}容〔${year}〕${serial}号`;
}
