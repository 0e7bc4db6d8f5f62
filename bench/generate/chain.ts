import { canonicalize } from 'json-canonicalize';
import type pg from 'pg';
import { eventHash, GENESIS_HASH, type ChainAlgorithm } from '../../src/audit/chain.js';
import { isEventType, type EventType } from '../../src/audit/event-types.js';
import { COLUMNS, copyFile } from './copy.js';

/**
 * The audit chain of the generated world, computed with the product's own hash (eventHash in src/audit/chain.ts)
 * in seq order, as the events are generated in calendar order — and then written through the chain's own
 * triggers, so the generated chain has passed the same checks as one the server built.
 */
export interface GeneratedEvent {
  type: EventType;
  actor: string;
  caseId: string | null;
  at: Date;
  payload: Record<string, unknown>;
}

export interface ChainedEvent {
  seq: bigint;
  at: Date;
  actor: string;
  case_id: string | null;
  type: string;
  /** The canonical JSON stored in `payload` (as appendEvent stores it). */
  payload: string;
  prev_hash: Buffer;
  hash: Buffer;
}

export class ChainBuilder {
  private seq = 0n;
  private head: Buffer = GENESIS_HASH;

  constructor(readonly algorithm: ChainAlgorithm) {}

  get length(): bigint {
    return this.seq;
  }

  append(event: GeneratedEvent): ChainedEvent {
    if (!isEventType(event.type)) throw new Error(`unknown audit event type "${event.type}"`);
    // As appendEvent does: stored canonical, and hashed as read back, non-JSON values dropped up front
    // (canonicalize drops and converts exactly what JSON.stringify does).
    const stored = canonicalize(event.payload);
    const payload = JSON.parse(stored) as unknown;
    const seq = this.seq + 1n;
    const hash = eventHash(this.algorithm, { seq, at: event.at, actor: event.actor, caseId: event.caseId, type: event.type, payload }, this.head);
    const chained: ChainedEvent = { seq, at: event.at, actor: event.actor, case_id: event.caseId, type: event.type, payload: stored, prev_hash: this.head, hash };
    this.seq = seq;
    this.head = hash;
    return chained;
  }
}

/**
 * Events per transaction while replaying. Each event moves the single head row, and PostgreSQL keeps every
 * version of that row a still-open transaction made, so the head lookups of one transaction grow with its length
 * (measured: 10 000 events in one transaction take 2 s, 40 000 take 28 s). A hundred per transaction keeps the
 * chain of versions short, and the commits between them let the page be pruned (measured on generated events:
 * 50, 100, 250 and 1 000 per transaction within 20% of each other, 100 the fastest).
 */
const REPLAY_BATCH = 100;

export type ChainLoad = 'triggers' | 'bulk';

/**
 * Writes the spooled events into `events` and moves the chain head onto the last one.
 *
 * 'triggers' (the default): the events are staged by COPY into a temporary table, then inserted one by one in
 * seq order by a server-side loop that advances the head after each — exactly what restore.ts does, for the same
 * reason: `events_extend_head` refuses an event that does not extend the head by one, and `chain_head_advance`
 * lets the head move only by one onto an existing event. A COPY straight into `events` would be refused at its
 * second row. Nothing is disabled; the cost is one head update per event, in batches (REPLAY_BATCH).
 *
 * 'bulk' (asked for explicitly, never the default): in ONE transaction holding ACCESS EXCLUSIVE locks on events
 * and chain_head — no other session can append, or even read them, until it ends — those two triggers are
 * disabled, the events are copied straight in, the chain is checked in SQL to be exactly what the triggers would
 * have let through (seq 1…n without a gap, each prev_hash the hash before it, the first on the genesis hash), the
 * head is set onto the last event, and the triggers are enabled again before COMMIT. DDL is transactional: a
 * failure at any point rolls the triggers back to enabled with everything else. It needs the table owner (the
 * login that migrated), and it is logged loudly. The append-only triggers (no UPDATE, DELETE or TRUNCATE) stay on
 * throughout either way.
 */
export async function loadChain(client: pg.ClientBase, spoolFile: string, count: bigint, mode: ChainLoad, log: (line: string) => void): Promise<void> {
  if (count === 0n) return;
  if (mode === 'bulk') return loadChainBulk(client, spoolFile, count, log);
  await client.query('CREATE TEMPORARY TABLE bench_event_stage (LIKE events) ON COMMIT PRESERVE ROWS');
  try {
    const staged = await copyFile(client, spoolFile, 'bench_event_stage', COLUMNS.events);
    if (BigInt(staged) !== count) throw new Error(`staged ${staged} events, generated ${count}`);
    // A primary key on the stage, so each batch below reads its slice by index.
    await client.query('ALTER TABLE bench_event_stage ADD PRIMARY KEY (seq)');
    const started = performance.now();
    for (let from = 1n; from <= count; from += BigInt(REPLAY_BATCH)) {
      const to = from + BigInt(REPLAY_BATCH) - 1n;
      await client.query('BEGIN');
      await client.query(`DO $replay$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM bench_event_stage WHERE seq BETWEEN ${from} AND ${to} ORDER BY seq LOOP
    INSERT INTO events (seq, at, actor, case_id, type, payload, prev_hash, hash)
      VALUES (r.seq, r.at, r.actor, r.case_id, r.type, r.payload, r.prev_hash, r.hash);
    UPDATE chain_head SET seq = r.seq, hash = r.hash WHERE singleton;
  END LOOP;
END
$replay$`);
      await client.query('COMMIT');
      if ((from - 1n) % 500_000n === 0n && from > 1n) {
        const seconds = (performance.now() - started) / 1000;
        log(`  events: ${from - 1n} of ${count} through the chain triggers (${Math.round(Number(from - 1n) / seconds)}/s)`);
      }
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.query('DROP TABLE IF EXISTS bench_event_stage');
  }
}

async function loadChainBulk(client: pg.ClientBase, spoolFile: string, count: bigint, log: (line: string) => void): Promise<void> {
  log('  events: BULK mode — events_extend_head and chain_head_advance are DISABLED inside one locked transaction; the chain is checked in SQL before they are enabled again and the transaction commits');
  await client.query('BEGIN');
  try {
    await client.query('LOCK TABLE events, chain_head IN ACCESS EXCLUSIVE MODE');
    await client.query('ALTER TABLE events DISABLE TRIGGER events_extend_head');
    await client.query('ALTER TABLE chain_head DISABLE TRIGGER chain_head_advance');
    const copied = await copyFile(client, spoolFile, 'events', COLUMNS.events);
    if (BigInt(copied) !== count) throw new Error(`copied ${copied} events, generated ${count}`);
    // What the two triggers guarantee, for the whole chain at once: seq runs 1…n, each event links onto the one
    // before it (the first onto the genesis hash), and nothing else is in the table.
    const { rows } = await client.query<{ n: string; first: string; last: string; broken: string }>(`
      SELECT count(*)::text AS n, min(seq)::text AS first, max(seq)::text AS last,
             count(*) FILTER (WHERE prev_hash IS DISTINCT FROM coalesce(before, decode(repeat('00', 32), 'hex')))::text AS broken
        FROM (SELECT seq, prev_hash, lag(hash) OVER (ORDER BY seq) AS before FROM events) linked`);
    const check = rows[0]!;
    if (BigInt(check.n) !== count || check.first !== '1' || check.last !== count.toString() || check.broken !== '0') {
      throw new Error(`the bulk-loaded chain does not link: ${JSON.stringify(check)}`);
    }
    await client.query('UPDATE chain_head SET seq = e.seq, hash = e.hash FROM events e WHERE singleton AND e.seq = $1', [count.toString()]);
    await client.query('ALTER TABLE chain_head ENABLE TRIGGER chain_head_advance');
    await client.query('ALTER TABLE events ENABLE TRIGGER events_extend_head');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
