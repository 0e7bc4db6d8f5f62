import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { outsideRowScope } from '../db/row-security.js';
import { appendEvents, type NewEvent } from './chain.js';
import { isEventType } from './event-types.js';

/** Events per transaction at most: a batch stays a few hundred kilobytes and one INSERT. */
const MAX_BATCH = 500;

interface Waiting {
  event: NewEvent;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the events that change nothing but the trail: reads of case content, downloads, searches,
 * refusals. Each must be committed before its answer leaves, but each in a transaction of its own would queue
 * every read of the server behind the chain head's lock, one commit (one WAL flush) at a time. Here the events
 * that arrive while a batch commits wait together and go into the chain in the next transaction, under one lock
 * and one INSERT; `append` resolves only once its batch has committed (and rejects if it failed, so the request
 * answers with an error, never with unaudited content). The chain is the same as if each had been appended alone.
 *
 * Writes do not come here: their event must commit in the same transaction as their change (appendEvent).
 */
export class GroupAppender {
  private queue: Waiting[] = [];
  private flushing = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  append(event: NewEvent): Promise<void> {
    // Refused here, alone, rather than failing the batch it would have joined.
    if (!isEventType(event.type)) return Promise.reject(new Error(`unknown audit event type "${event.type}"`));
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // The audit trail is the application's own work: never inside a request's row scope.
        outsideRowScope(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          await this.db.transaction().execute((tx) =>
            appendEvents(
              tx,
              batch.map((w) => w.event),
              this.clock,
            ),
          );
          for (const waiting of batch) waiting.resolve();
        } catch (error) {
          for (const waiting of batch) waiting.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
