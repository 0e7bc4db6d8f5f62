import { sql } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { referencedFiles } from './references.js';
import type { LocalFileStore } from './store.js';

/**
 * How long a stored file no row names is left alone: far longer than any command takes from storing its file
 * to writing the `files` row for it, so the file of an upload whose transaction is still in flight is never
 * taken for an orphan.
 */
export const DEFAULT_GRACE_MINUTES = 60;

/** How long the sweep waits for transactions writing `files` rows before it gives up for this run. */
const LOCK_TIMEOUT = '10s';

/** What the sweep needs of a store: listing with modification times, and atomic removal. */
export type SweepableStore = Pick<LocalFileStore, 'listStored' | 'listTemporary' | 'removeIfOlderThan' | 'removeTemporary' | 'restoreSetAside'>;

export interface SweepOrphanFilesProps {
  db: Db;
  files: SweepableStore;
  clock?: Clock;
  /** Files younger than this are kept even when no row names them (default 60). */
  graceMinutes?: number;
  /** Count what would be removed; remove nothing. */
  dryRun?: boolean;
  /** Called after the store is listed, before the database is read (lets a test commit a row in between). */
  onListed?: () => Promise<void> | void;
}

export interface SweepOrphanFilesResult {
  /** Stored files looked at. */
  examined: number;
  /** Of those, named by the database. */
  referenced: number;
  /** Named by no row and older than the grace period: removed (with `dryRun`: would be removed). */
  removed: number;
  /** Named by no row but younger than the grace period (or reused by an upload during the sweep): kept. */
  kept: number;
  /** Temporary files of interrupted writes, older than the grace period: removed (with `dryRun`: would be). */
  temporary: number;
  dryRun: boolean;
}

/** The sweep stopped before removing anything; the message says why (Chinese), `messageEn` for logs. */
export class SweepRefusedError extends Error {
  constructor(
    message: string,
    readonly messageEn: string,
  ) {
    super(message);
    this.name = 'SweepRefusedError';
  }
}

/**
 * Removes orphan files: stored files that no database row names, left by a transaction that rolled back after
 * its file was stored, or by a server killed in the middle of a command (security.md, Faults: "orphan files
 * after cleanup: 0"). Also removes the temporary files of writes a crash interrupted.
 *
 * The order is what makes it safe beside a running server:
 * 1. The cutoff (now − grace) is fixed first.
 * 2. The store is listed BEFORE the database is read. A file whose row committed before the read is then seen
 *    as referenced however old it is, so the grace period only has to cover transactions still in flight at
 *    the read. (The other way round, a file stored and committed between the read and the listing would look
 *    like an orphan and be saved by its age alone.)
 * 3. The references are read under a SHARE lock on `files`, which waits until every transaction that has
 *    already inserted a `files` row has committed or rolled back (and for a restore, which holds every table),
 *    so the read sees them. A transaction that commits a row after the read inserts it after the read too, and
 *    stored its file (or reused an existing copy, which `put` touches) less than the grace period before that:
 *    after the cutoff.
 * 4. So a file is removed only when the read does not name it AND its modification time, read from the file as
 *    it goes (`removeIfOlderThan` sets it aside first, so a concurrent `put` cannot slip in between), is before
 *    the cutoff. A file set aside by a sweep that was killed is put back first and judged again.
 */
export async function sweepOrphanFiles(props: SweepOrphanFilesProps): Promise<SweepOrphanFilesResult> {
  const clock = props.clock ?? systemClock;
  const graceMinutes = props.graceMinutes ?? DEFAULT_GRACE_MINUTES;
  if (!Number.isFinite(graceMinutes) || graceMinutes < 0) throw new RangeError('graceMinutes must be a non-negative number');
  const dryRun = props.dryRun ?? false;
  const cutoff = new Date(clock.now().getTime() - graceMinutes * 60_000);

  if (!dryRun) await props.files.restoreSetAside();
  const stored = await props.files.listStored();
  const temporary = await props.files.listTemporary();
  await props.onListed?.();
  const referenced = await readReferencesLocked(props.db);
  if (referenced.size === 0 && stored.length > 0) {
    // The one misconfiguration that would be ruinous: the store of one installation, the database of another.
    throw new SweepRefusedError(
      `数据库中没有登记任何文件，而文件存储中有 ${stored.length} 个文件：可能连接了错误的数据库（或尚未恢复备份），未删除任何文件`,
      `the database registers no file while the store holds ${stored.length}: possibly the wrong database; nothing removed`,
    );
  }

  const result: SweepOrphanFilesResult = { examined: stored.length, referenced: 0, removed: 0, kept: 0, temporary: 0, dryRun };
  for (const file of stored) {
    if (referenced.has(file.sha256)) {
      result.referenced += 1;
    } else if (file.modifiedAt.getTime() >= cutoff.getTime()) {
      result.kept += 1;
    } else if (dryRun) {
      result.removed += 1;
    } else {
      const outcome = await props.files.removeIfOlderThan(file.sha256, cutoff);
      if (outcome === 'removed') result.removed += 1;
      else if (outcome === 'young') result.kept += 1;
    }
  }
  for (const file of temporary) {
    if (file.modifiedAt.getTime() >= cutoff.getTime()) continue;
    if (dryRun || (await props.files.removeTemporary(file.name, cutoff))) result.temporary += 1;
  }
  return result;
}

async function readReferencesLocked(db: Db): Promise<Set<string>> {
  try {
    return await db.transaction().execute(async (tx) => {
      // Uploads queue behind a waiting SHARE request, so it waits only so long; the next run tries again.
      await sql`SET LOCAL lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(tx);
      await sql`LOCK TABLE files IN SHARE MODE`.execute(tx);
      return referencedFiles(tx);
    });
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') {
      throw new SweepRefusedError(
        '有登记文件的事务长时间未结束（例如正在恢复备份），本次未删除任何文件，请稍后再试',
        'a transaction writing `files` rows did not finish in time (a restore?); nothing removed, try again later',
      );
    }
    throw error;
  }
}
