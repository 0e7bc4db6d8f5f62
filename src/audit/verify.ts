import type { Db } from '../db/connect.js';
import { eventHash, GENESIS_HASH, type ChainAlgorithm } from './chain.js';

export type ChainBreakReason = 'missing-event' | 'prev-hash-mismatch' | 'hash-mismatch' | 'head-mismatch';

export interface ChainBreak {
  seq: string;
  reason: ChainBreakReason;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  head: { seq: string; hash: string };
  firstBreak?: ChainBreak;
}

/**
 * Walks the whole chain in order and recomputes every link. Reports the first broken link: a missing event
 * (deleted row), an event whose stored prev_hash is not its predecessor's hash (reordered or swapped rows), an
 * event whose content no longer matches its hash (edited row), or a head that disagrees with the last event
 * (removed tail).
 */
export async function verifyChain(db: Db, options: { batchSize?: number } = {}): Promise<VerifyResult> {
  const batchSize = options.batchSize ?? 5000;
  const head = await db.selectFrom('chain_head').select(['seq', 'hash', 'algorithm']).executeTakeFirstOrThrow();
  const algorithm = head.algorithm as ChainAlgorithm;
  const result = (checked: number, firstBreak?: ChainBreak): VerifyResult => ({
    ok: !firstBreak,
    checked,
    head: { seq: head.seq, hash: head.hash.toString('hex') },
    ...(firstBreak ? { firstBreak } : {}),
  });

  let expectedSeq = 1n;
  let prevHash: Buffer = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('events')
      .select(['seq', 'at', 'actor', 'case_id', 'type', 'payload', 'prev_hash', 'hash'])
      .where('seq', '>=', expectedSeq.toString())
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    for (const row of rows) {
      const seq = BigInt(row.seq);
      if (seq !== expectedSeq) {
        const missing = seq - 1n === expectedSeq ? `${expectedSeq}` : `${expectedSeq}–${seq - 1n}`;
        return result(checked, {
          seq: expectedSeq.toString(),
          reason: 'missing-event',
          message: `第 ${missing} 号事件缺失：链从第 ${expectedSeq - 1n} 号直接跳到第 ${seq} 号（event ${missing} is missing）`,
        });
      }
      if (!row.prev_hash.equals(prevHash)) {
        return result(checked, {
          seq: row.seq,
          reason: 'prev-hash-mismatch',
          message: `第 ${row.seq} 号事件与第 ${seq - 1n} 号事件不衔接：前序哈希不符，事件被调换、重排或替换（event ${row.seq} does not link to its predecessor）`,
        });
      }
      const recomputed = eventHash(
        algorithm,
        { seq, at: row.at, actor: row.actor, caseId: row.case_id, type: row.type, payload: row.payload },
        prevHash,
      );
      if (!recomputed.equals(row.hash)) {
        return result(checked, {
          seq: row.seq,
          reason: 'hash-mismatch',
          message: `第 ${row.seq} 号事件被篡改：内容与其哈希不符（event ${row.seq} was altered）`,
        });
      }
      checked++;
      prevHash = row.hash;
      expectedSeq = seq + 1n;
    }
    if (rows.length < batchSize) break;
  }

  const lastSeq = expectedSeq - 1n;
  if (BigInt(head.seq) !== lastSeq || !head.hash.equals(prevHash)) {
    return result(checked, {
      seq: head.seq,
      reason: 'head-mismatch',
      message: `链头记录到第 ${head.seq} 号事件，但链止于第 ${lastSeq} 号：末尾事件被删除或链头被改写（the chain was truncated after event ${lastSeq}）`,
    });
  }
  return result(checked);
}
