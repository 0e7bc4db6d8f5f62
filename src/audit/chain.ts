import { canonicalize } from 'json-canonicalize';
import { sql } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import { hashWith, type HashAlgorithm } from '../crypto/index.js';
import type { Tx } from '../db/connect.js';
import { isEventType, type EventType } from './event-types.js';

/**
 * The audit chain (R16). Each event's hash covers, in this order:
 *   the domain string "rongcuo/audit-chain/v1" (UTF-8) ‖ 0x00
 *   ‖ seq as an unsigned 64-bit big-endian integer
 *   ‖ the RFC 8785 canonical JSON of {actor, at, caseId, payload, type} (UTF-8; `at` as ISO 8601 UTC with ms)
 *   ‖ prev_hash (the previous event's hash; 32 zero bytes before the first event).
 * The domain string keeps these hashes from ever colliding with hashes made for another purpose.
 * H is the chain's algorithm, recorded in `chain_head.algorithm`: SM3 under the `gm` provider, SHA-256 under
 * `intl`, chosen when the database is created and fixed from the first event on (databases made before the
 * choice existed keep SHA-256). Both give 32 bytes, so links and checkpoints look the same under either.
 */
export const CHAIN_DOMAIN = 'rongcuo/audit-chain/v1';
export const GENESIS_HASH = Buffer.alloc(32);
export type ChainAlgorithm = HashAlgorithm;
export const CHAIN_ALGORITHMS: readonly ChainAlgorithm[] = ['sm3', 'sha256'];

export interface ChainEvent {
  seq: bigint;
  at: Date;
  actor: string;
  caseId: string | null;
  type: string;
  payload: unknown;
}

export function isChainAlgorithm(value: unknown): value is ChainAlgorithm {
  return (CHAIN_ALGORITHMS as readonly unknown[]).includes(value);
}

export function eventHash(algorithm: ChainAlgorithm, event: ChainEvent, prevHash: Buffer): Buffer {
  // A value read from the database is not trusted to be one of ours: createHash would accept 'md5' as well.
  if (!isChainAlgorithm(algorithm)) throw new Error(`unknown audit chain algorithm "${String(algorithm)}"`);
  const seq = Buffer.alloc(8);
  seq.writeBigUInt64BE(event.seq);
  const body = canonicalize({
    actor: event.actor,
    at: event.at.toISOString(),
    caseId: event.caseId,
    payload: event.payload,
    type: event.type,
  });
  return hashWith(algorithm, Buffer.concat([Buffer.from(CHAIN_DOMAIN, 'utf8'), Buffer.from([0]), seq, Buffer.from(body, 'utf8'), prevHash]));
}

export interface NewEvent {
  type: EventType;
  /** `user:<id>` for a signed-in user, `system` for the server itself, `cli` for an operator's command. */
  actor: string;
  caseId?: string | null;
  payload?: Record<string, unknown>;
}

export interface AppendedEvent {
  seq: bigint;
  hash: Buffer;
  at: Date;
}

/**
 * Appends one event inside the caller's transaction, so the event commits or rolls back with the change it
 * records. The head row is locked FOR UPDATE: concurrent writers queue here and form one linear chain with no
 * gaps. Call it last in a command, so the lock is held only until commit.
 */
export async function appendEvent(tx: Tx, event: NewEvent, clock: Clock = systemClock): Promise<AppendedEvent> {
  return (await appendEvents(tx, [event], clock))[0]!;
}

/**
 * Appends several events, in order, under one lock of the head: the group commit of access events
 * (group-append.ts) writes a batch of many requests' reads in one transaction this way. Row by row, the head
 * advancing with each: the database refuses an event that does not extend the head and a head that moves by more
 * than one (migration 0001), so the chain is exactly what appending each alone would have made.
 */
export async function appendEvents(tx: Tx, events: readonly NewEvent[], clock: Clock = systemClock): Promise<AppendedEvent[]> {
  for (const event of events) if (!isEventType(event.type)) throw new Error(`unknown audit event type "${event.type}"`);
  if (events.length === 0) return [];
  const head = await sql<{ seq: string; hash: Buffer; algorithm: ChainAlgorithm }>`
    SELECT seq, hash, algorithm FROM chain_head WHERE singleton FOR UPDATE`.execute(tx);
  const row = head.rows[0];
  if (!row) throw new Error('the audit chain has no head row: the database was not migrated');
  let seq = BigInt(row.seq);
  let prevHash = row.hash;
  const appended: AppendedEvent[] = [];
  for (const event of events) {
    // What jsonb gives back is what gets verified later: drop undefined and other non-JSON values up front.
    const payload = JSON.parse(JSON.stringify(event.payload ?? {})) as unknown;
    seq += 1n;
    const chained: ChainEvent = { seq, at: clock.now(), actor: event.actor, caseId: event.caseId ?? null, type: event.type, payload };
    const hash = eventHash(row.algorithm, chained, prevHash);
    await tx
      .insertInto('events')
      .values({ seq: seq.toString(), at: chained.at, actor: chained.actor, case_id: chained.caseId, type: chained.type, payload: canonicalize(payload), prev_hash: prevHash, hash })
      .execute();
    await tx.updateTable('chain_head').set({ seq: seq.toString(), hash }).where('singleton', '=', true).execute();
    appended.push({ seq, hash, at: chained.at });
    prevHash = hash;
  }
  return appended;
}
