import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'kysely';
import type { Db, Tx } from '../db/connect.js';
import { outsideRowScope } from '../db/row-security.js';
import type { PreparedEvents } from './chain.js';

/**
 * Group commit for the writes of requests (migration 0019 says why). Inside a request, a command's event goes
 * into the event queue in the command's own transaction — the change and its event commit or vanish together,
 * and no lock is taken, so concurrent commands commit side by side — and before the request answers, its
 * EventChainer moves every queued event into the chain in one short transaction under the head's lock, together
 * with those of every request that committed meanwhile. The answer leaves only once its events are in the chain,
 * as when each was appended alone; the chain is the same kind of chain, checked by the same verification.
 */

/** A request's events in the queue: whether any went in (then it must be chained before the answer). */
export interface RequestEventQueue {
  queued: boolean;
}

const requests = new AsyncLocalStorage<RequestEventQueue>();

/** Runs a request's handler with its command events going into the queue. */
export function withRequestEventQueue<T>(queue: RequestEventQueue, fn: () => T): T {
  return requests.run(queue, fn);
}

/** The queue of the request this code runs in, if any. */
export function requestEventQueue(): RequestEventQueue | undefined {
  return requests.getStore();
}

/** Adds the events to the queue inside the command's transaction: one INSERT, no lock. */
export async function queueEvents(tx: Tx, queue: RequestEventQueue, events: PreparedEvents): Promise<void> {
  await sql`
    INSERT INTO event_queue (at, actor, case_id, type, payload, body)
    SELECT e.at, e.actor, e.case_id, e.type, e.payload, e.body FROM unnest(${events.ats}::timestamptz[], ${events.actors}::text[], ${events.caseIds}::uuid[], ${events.types}::text[],
                         ${events.payloads}::jsonb[], ${events.bodies}::text[]) WITH ORDINALITY AS e(at, actor, case_id, type, payload, body, n)
    ORDER BY n`.execute(tx);
  queue.queued = true;
}

/** Events chained per statement at most: a pass of a busy moment is a few statements, each a few hundred kB. */
const CHAIN_BATCH = 500;
const ignore = () => undefined;

/**
 * Moves queued events into the chain. `flush` resolves once every event committed to the queue before it was
 * called is chained: a pass under way may have read the queue before the caller's event committed, so callers
 * arriving during a pass share the next one — many requests, one transaction.
 */
export class EventChainer {
  private current: Promise<void> | undefined;
  private following: Promise<void> | undefined;

  constructor(private readonly db: Db) {}

  flush(): Promise<void> {
    if (!this.current) return this.start();
    this.following ??= this.current.then(ignore, ignore).then(() => {
      this.following = undefined;
      return this.start();
    });
    return this.following;
  }

  private start(): Promise<void> {
    // The chain is the application's own work: never inside a request's row scope.
    const pass = outsideRowScope(() => chainQueuedEvents(this.db)).then(ignore);
    this.current = pass;
    void pass.then(ignore, ignore).then(() => {
      if (this.current === pass) this.current = undefined;
    });
    return pass;
  }
}

/** Chains everything in the queue (each statement its own transaction); returns how many events it chained. */
export async function chainQueuedEvents(db: Db): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await sql<{ n: number }>`SELECT rongcuo_chain_queued(${CHAIN_BATCH}::int) AS n`.execute(db);
    total += rows[0]!.n;
    if (rows[0]!.n < CHAIN_BATCH) return total;
  }
}

/**
 * Chains everything in the queue inside the caller's transaction, the transaction's own queued events included
 * (they are visible to it alone): for a command that must see its case's events in the chain before it commits.
 */
export async function chainQueuedEventsIn(tx: Tx): Promise<void> {
  await sql`SELECT rongcuo_chain_queued(2147483647)`.execute(tx);
}
