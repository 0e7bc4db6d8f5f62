import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { eventBody, GENESIS_HASH, hashEventBody, isChainAlgorithm } from './chain.js';

export type ChainBreakReason =
  | 'missing-event'
  | 'duplicate-event'
  | 'prev-hash-mismatch'
  | 'hash-mismatch'
  | 'head-mismatch'
  | 'unknown-algorithm';

export interface ChainBreak {
  seq: string;
  reason: ChainBreakReason;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  head: { seq: string; hash: string };
  /** The chain's hash function as recorded in its head row (sm3 or sha256). */
  algorithm: string;
  firstBreak?: ChainBreak;
}

/** An event as the walk reads it: `at` in milliseconds since 1970, the hashes in hex. */
interface BatchRow {
  seq: string;
  at_ms: string;
  actor: string;
  case_id: string | null;
  type: string;
  payload: unknown;
  prev_hash: string;
  hash: string;
}

export interface VerifyOptions {
  batchSize?: number;
  /**
   * Start after an event already known good (e.g. from a signed checkpoint): the walk then checks that the
   * events after `seq` link onto `hash`. The caller checks that the stored event `seq` has that hash.
   */
  start?: { seq: bigint; hash: Buffer };
  /** Called for each event in order, once its link from the start (by default the genesis hash) is verified. */
  onVerified?: (seq: bigint, hash: Buffer) => void;
}

/**
 * Walks the whole chain in order and recomputes every link. Reports the first broken link: a missing event
 * (deleted row), an event stored twice (a superuser dropped the primary key), an event whose stored prev_hash
 * is not its predecessor's hash (reordered or swapped rows), an event whose content no longer matches its hash
 * (edited row), or a head that disagrees with the last event (removed tail).
 *
 * What it cannot see: someone able to write the table directly who recomputes every hash after the change. A
 * chain is only evidence against a writer who cannot recompute it; signed checkpoints kept outside the
 * database (checkpoint.ts) are what pin the history down.
 */
export async function verifyChain(db: Db, options: VerifyOptions = {}): Promise<VerifyResult> {
  if (db.isTransaction) return walkChain(db, options);
  // One snapshot for the head and every batch: a server appending meanwhile would otherwise make the events
  // run past the head read at the start, which looks exactly like a rewritten head.
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute((tx) => walkChain(tx, options));
}

async function walkChain(db: Db, options: VerifyOptions): Promise<VerifyResult> {
  const batchSize = options.batchSize ?? 5000;
  const head = await db.selectFrom('chain_head').select(['seq', 'hash', 'algorithm']).executeTakeFirstOrThrow();
  const algorithm: unknown = head.algorithm;
  const result = (checked: number, firstBreak?: ChainBreak): VerifyResult => ({
    ok: !firstBreak,
    checked,
    head: { seq: head.seq, hash: head.hash.toString('hex') },
    algorithm: String(algorithm),
    ...(firstBreak ? { firstBreak } : {}),
  });
  if (!isChainAlgorithm(algorithm)) {
    return result(0, {
      seq: head.seq,
      reason: 'unknown-algorithm',
      message: `链头记录的哈希算法“${String(algorithm)}”不是 sm3 或 sha256：链头被改写（the chain head names an unknown hash algorithm）`,
    });
  }

  let expectedSeq = (options.start?.seq ?? 0n) + 1n;
  let prevHash: Buffer = options.start?.hash ?? GENESIS_HASH;
  // The primary key makes seq unique, but a superuser can drop it; a copy sitting at a batch boundary would
  // slip past the keyset paging below, so duplicates are looked for once, up front.
  const duplicate = await db
    .selectFrom('events')
    .select('seq')
    .where('seq', '>=', expectedSeq.toString())
    .groupBy('seq')
    .having((eb) => eb.fn.countAll(), '>', 1)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
  const duplicateSeq = duplicate ? BigInt(duplicate.seq) : undefined;

  const readBatch = (fromSeq: bigint) => {
    // `at` as whole milliseconds since 1970 (exactly what the driver's Date kept of it) and the hashes in hex:
    // cheaper to read than the Date and the two Buffers the driver would make for every event.
    const batch = sql<BatchRow>`
      SELECT seq, floor(extract(epoch FROM at) * 1000)::bigint AS at_ms, actor, case_id, type, payload,
             encode(prev_hash, 'hex') AS prev_hash, encode(hash, 'hex') AS hash
      FROM events WHERE seq >= ${fromSeq.toString()} ORDER BY seq LIMIT ${batchSize}`
      .execute(db)
      .then((r) => r.rows);
    // Awaited below unless a break ends the walk first; a failure then has nobody to report to.
    batch.catch(() => undefined);
    return batch;
  };

  let checked = 0;
  let prevHex = prevHash.toString('hex');
  let next = readBatch(expectedSeq);
  for (;;) {
    const rows = await next;
    // The next batch is asked for before this one is checked, so the database reads it meanwhile. It starts after
    // this batch's last row: where the walk goes on only if every row here is the expected one, in order.
    const last = rows.at(-1);
    const full = rows.length === batchSize;
    if (full && last) next = readBatch(BigInt(last.seq) + 1n);
    for (const row of rows) {
      const seq = BigInt(row.seq);
      if (seq === duplicateSeq || seq < expectedSeq) {
        return result(checked, {
          seq: row.seq,
          reason: 'duplicate-event',
          message: `第 ${row.seq} 号事件出现不止一次：主键被移除后插入了重复事件（event ${row.seq} is stored more than once）`,
        });
      }
      if (seq !== expectedSeq) {
        const missing = seq - 1n === expectedSeq ? `${expectedSeq}` : `${expectedSeq}–${seq - 1n}`;
        return result(checked, {
          seq: expectedSeq.toString(),
          reason: 'missing-event',
          message: `第 ${missing} 号事件缺失：链从第 ${expectedSeq - 1n} 号直接跳到第 ${seq} 号（event ${missing} is missing）`,
        });
      }
      if (row.prev_hash !== prevHex) {
        return result(checked, {
          seq: row.seq,
          reason: 'prev-hash-mismatch',
          message: `第 ${row.seq} 号事件与第 ${seq - 1n} 号事件不衔接：前序哈希不符，事件被调换、重排或替换（event ${row.seq} does not link to its predecessor）`,
        });
      }
      const at = new Date(Number(row.at_ms)).toISOString();
      const recomputed = hashEventBody(algorithm, seq, eventBody({ actor: row.actor, at, caseId: row.case_id, payload: row.payload, type: row.type }), prevHash);
      const recomputedHex = recomputed.toString('hex');
      if (recomputedHex !== row.hash) {
        return result(checked, {
          seq: row.seq,
          reason: 'hash-mismatch',
          message: `第 ${row.seq} 号事件被篡改：内容与其哈希不符（event ${row.seq} was altered）`,
        });
      }
      checked++;
      options.onVerified?.(seq, recomputed);
      prevHash = recomputed;
      prevHex = recomputedHex;
      expectedSeq = seq + 1n;
    }
    if (!full) break;
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
