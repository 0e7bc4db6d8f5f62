import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { sql } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import type { HashAlgorithm } from '../crypto/index.js';
import type { Tx } from '../db/connect.js';
import { isEventType, type EventType } from './event-types.js';
import { queueEvents, requestEventQueue } from './event-queue.js';

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
  const body = eventBody({ actor: event.actor, at: event.at.toISOString(), caseId: event.caseId, payload: event.payload, type: event.type });
  return hashEventBody(algorithm, event.seq, body, prevHash);
}

/** The canonical JSON an event's hash covers, `at` already written as ISO 8601 UTC with milliseconds. */
export function eventBody(event: { actor: string; at: string; caseId: string | null; payload: unknown; type: string }): string {
  return canonicalJson({ actor: event.actor, at: event.at, caseId: event.caseId, payload: event.payload, type: event.type });
}

/** H(domain ‖ 0x00 ‖ seq ‖ body ‖ prevHash), H the chain's algorithm: an event's hash from its canonical body. */
export function hashEventBody(algorithm: ChainAlgorithm, seq: bigint, body: string, prevHash: Buffer): Buffer {
  // A value read from the database is not trusted to be one of ours: createHash would accept 'md5' as well.
  if (!isChainAlgorithm(algorithm)) throw new Error(`unknown audit chain algorithm "${String(algorithm)}"`);
  // The bytes are laid out in one reused buffer and hashed with a single update: verifying a long chain hashes
  // hundreds of thousands of events, and allocating and concatenating five buffers for each was a good part of it.
  const bodyStart = DOMAIN_PREFIX.length + 8;
  const needed = bodyStart + body.length * 3 + prevHash.length;
  if (scratch.length < needed) {
    scratch = Buffer.allocUnsafe(Math.max(needed, scratch.length * 2));
    DOMAIN_PREFIX.copy(scratch);
  }
  scratch.writeBigUInt64BE(seq, DOMAIN_PREFIX.length);
  const bodyEnd = bodyStart + scratch.write(body, bodyStart, 'utf8');
  const end = bodyEnd + prevHash.copy(scratch, bodyEnd);
  return createHash(algorithm).update(scratch.subarray(0, end)).digest();
}

const DOMAIN_PREFIX = Buffer.from(`${CHAIN_DOMAIN}\0`, 'utf8');
// Always starts with the domain prefix; the rest is rewritten for each event.
let scratch = Buffer.concat([DOMAIN_PREFIX, Buffer.alloc(4096)]);

/**
 * RFC 8785 canonical JSON, byte for byte what json-canonicalize's `canonicalize` gives (keys sorted by UTF-16 code
 * units, undefined properties left out, numbers and strings as JSON.stringify writes them), only faster on what
 * the chain holds: JSON values as JSON.parse gives them. Their objects are rebuilt with the keys in sorted order
 * where they are not already, and the whole value is written by one JSON.stringify; anything on which that could
 * differ from the library goes to the library itself. The verifier canonicalizes every event it reads, and the
 * library's walk (a WeakMap entry and a path string for every object and property) cost more than hashing them.
 */
export function canonicalJson(value: unknown): string {
  const sorted = inSortedKeyOrder(value);
  if (sorted !== UNSUPPORTED) {
    const text = JSON.stringify(sorted) as string | undefined;
    if (text !== undefined) return text;
  }
  return canonicalize(value);
}

const UNSUPPORTED = Symbol('unsupported');

/**
 * The value with every object's keys in sorted order (the objects already in order are kept, the others copied),
 * or UNSUPPORTED where JSON.stringify could write something else than the library: an object with a toJSON (the
 * library hands it to JSON.stringify whole), anything but a plain object or array, an array with holes (the
 * library skips them, JSON.stringify writes null), functions, symbols and bigints, a key an integer could be
 * (JavaScript orders those first, whatever the insertion order) and `__proto__` (which assignment would not copy).
 */
function inSortedKeyOrder(value: unknown): unknown {
  if (typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint' ? UNSUPPORTED : value;
  if (value === null) return value;
  if ((value as { toJSON?: unknown }).toJSON != null) return UNSUPPORTED;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    if (prototype !== Array.prototype) return UNSUPPORTED;
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return UNSUPPORTED;
      const item: unknown = value[i];
      const sorted = inSortedKeyOrder(item);
      if (sorted === UNSUPPORTED) return UNSUPPORTED;
      if (sorted !== item && !copy) copy = value.slice(0, i);
      copy?.push(sorted);
    }
    return copy ?? value;
  }
  if (prototype !== Object.prototype) return UNSUPPORTED;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let inOrder = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const first = key.charCodeAt(0);
    if ((first >= 0x30 && first <= 0x39) || key === '__proto__') return UNSUPPORTED;
    if (i > 0 && keys[i - 1]! > key) inOrder = false;
  }
  if (!inOrder) keys.sort();
  let copy: Record<string, unknown> | undefined = inOrder ? undefined : {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = record[key];
    const sorted = inSortedKeyOrder(item);
    if (sorted === UNSUPPORTED) return UNSUPPORTED;
    if (!copy && sorted !== item) {
      copy = {};
      for (let j = 0; j < i; j++) copy[keys[j]!] = record[keys[j]!];
    }
    if (copy) copy[key] = sorted;
  }
  return copy ?? value;
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
 * records. Within a request (event-queue.ts) it goes into the event queue, which its request chains before it
 * answers; elsewhere (the CLI, the seed, the scheduler) straight into the chain, the head locked FOR UPDATE until
 * the commit: concurrent writers queue there and form one linear chain with no gaps. Call it last in a command,
 * so that lock is held only until commit.
 */
export async function appendEvent(tx: Tx, event: NewEvent, clock: Clock = systemClock): Promise<void> {
  const queue = requestEventQueue();
  if (queue) await queueEvents(tx, queue, prepareEvents([event], clock));
  else await appendEvents(tx, [event], clock);
}

/** Events as the database takes them: one array per column, and the canonical body each hash covers. */
export interface PreparedEvents {
  ats: Date[];
  actors: string[];
  caseIds: (string | null)[];
  types: string[];
  /** Canonical JSON of each payload. */
  payloads: string[];
  bodies: string[];
}

export function prepareEvents(events: readonly NewEvent[], clock: Clock): PreparedEvents {
  for (const event of events) if (!isEventType(event.type)) throw new Error(`unknown audit event type "${event.type}"`);
  const prepared: PreparedEvents = { ats: [], actors: [], caseIds: [], types: [], payloads: [], bodies: [] };
  for (const event of events) {
    // What jsonb gives back is what gets verified later: drop undefined and other non-JSON values up front.
    const payload = JSON.parse(JSON.stringify(event.payload ?? {})) as unknown;
    const at = clock.now();
    const caseId = event.caseId ?? null;
    prepared.ats.push(at);
    prepared.actors.push(event.actor);
    prepared.caseIds.push(caseId);
    prepared.types.push(event.type);
    prepared.payloads.push(canonicalJson(payload));
    prepared.bodies.push(eventBody({ actor: event.actor, at: at.toISOString(), caseId, payload, type: event.type }));
  }
  return prepared;
}

/**
 * Appends several events, in order, under one lock of the head: the group commit of access events
 * (group-append.ts) writes a batch of many requests' reads in one transaction this way. The database locks the
 * head, hashes and inserts (rongcuo_append_events, migration 0018) in one round trip, so the lock is held for that
 * call and the commit only; this side writes each event's canonical body, the part of the hash that does not
 * depend on the chain. Row by row in the database, the head advancing with each: its triggers refuse an event
 * that does not extend the head and a head that moves by more than one (migration 0001), so the chain is exactly
 * what appending each alone would have made.
 */
export async function appendEvents(tx: Tx, events: readonly NewEvent[], clock: Clock = systemClock): Promise<AppendedEvent[]> {
  const prepared = prepareEvents(events, clock);
  if (events.length === 0) return [];
  const { ats, actors, caseIds, types, payloads, bodies } = prepared;
  const { rows } = await sql<{ seq: string; hash: Buffer }>`
    SELECT seq, hash FROM rongcuo_append_events(
      ${ats}::timestamptz[], ${actors}::text[], ${caseIds}::uuid[], ${types}::text[], ${payloads}::jsonb[], ${bodies}::text[])`.execute(tx);
  if (rows.length !== events.length) throw new Error(`the database appended ${rows.length} of ${events.length} audit events`);
  return rows.map((row, i) => ({ seq: BigInt(row.seq), hash: row.hash, at: ats[i]! }));
}
