import { auditActor } from '../access/actor.js';
import { appendEvent } from '../audit/chain.js';
import { chainQueuedEventsIn } from '../audit/event-queue.js';
import { systemClock, type Clock } from '../clock.js';
import { collectCaseFile } from '../casefile/collect.js';
import type { HashAlgorithm } from '../casefile/manifest.js';
import type { Tx } from '../db/connect.js';
import { AppError } from '../errors.js';
import type { FileStore } from '../files/store.js';

export interface SealCaseFileProps {
  caseId: string;
  files: FileStore;
  /** The user whose action seals the file (the one closing the case). */
  sealedBy: string;
  now: Date;
  algorithm?: HashAlgorithm;
}

export interface SealedCaseFile {
  manifestSha256: string;
  /** How many items the manifest lists (case.json and events.jsonl included). */
  items: number;
  /** The last of the case's events the file holds; the sealing events come after it. */
  eventsThroughSeq: string;
}

/** The case file was sealed already: it is sealed once, when the case closes, and never rewritten. */
export const caseFileAlreadySealed = () =>
  new AppError({ code: 'CASE_FILE_SEALED', status: 409, message: '本案案卷已封存，不能再次封存', messageEn: 'the case file is already sealed' });

/**
 * Seals the case file (问责追责案卷, Art. 14, R8) inside the caller's transaction: builds the manifest of every
 * document version, every evidence attachment, the case's recorded data and its audit events up to now, stores
 * the generated items, and writes the `case_files` row. It appends no event: the caller puts the hash into
 * its own event and appends `case.file-sealed` with `appendSealEvent`, after this returns.
 *
 * Run it while holding the case row lock (as a case command does), so no event of the case can be appended
 * between reading the events and sealing them.
 */
export async function sealCaseFile(tx: Tx, props: SealCaseFileProps): Promise<SealedCaseFile> {
  const existing = await tx.selectFrom('case_files').select('case_id').where('case_id', '=', props.caseId).executeTakeFirst();
  if (existing) throw caseFileAlreadySealed();

  // The file seals the case's events up to now, with their place in the chain: those this very transaction
  // queued (documents generated on closing) and any other request's still in the queue are chained first. The
  // head then stays locked until this commit — for closing a case only.
  await chainQueuedEventsIn(tx);
  const collected = await collectCaseFile(tx, props);

  // Bytes go into the store before the rows that name them (as with evidence): a committed seal never points
  // at a missing file; a rolled-back one leaves harmless content-addressed orphans.
  for (const item of collected.generated) {
    const stored = await props.files.put(item.bytes);
    await tx
      .insertInto('files')
      .values({ sha256: stored.sha256, size: String(stored.size), media_type: item.mediaType, stored_at: props.now })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
  }

  await tx
    .insertInto('case_files')
    .values({ case_id: props.caseId, manifest: collected.text, manifest_sha256: collected.manifestSha256, sealed_by: props.sealedBy, sealed_at: props.now })
    .execute();

  return { manifestSha256: collected.manifestSha256, items: collected.manifest.items.length, eventsThroughSeq: collected.manifest.eventsThroughSeq };
}

/**
 * Appends `case.file-sealed` for a sealed case file, carrying the manifest's hash into the audit chain. Call
 * it in the same transaction as `sealCaseFile`, after it (and, like every append, near the end).
 */
export function appendSealEvent(
  tx: Tx,
  props: { caseId: string; sealedBy: string; manifestSha256: string; items: number; eventsThroughSeq?: string },
  clock: Clock = systemClock,
): Promise<void> {
  return appendEvent(
    tx,
    {
      type: 'case.file-sealed',
      actor: auditActor({ userId: props.sealedBy }),
      caseId: props.caseId,
      payload: {
        manifestSha256: props.manifestSha256,
        items: props.items,
        ...(props.eventsThroughSeq !== undefined ? { eventsThroughSeq: props.eventsThroughSeq } : {}),
      },
    },
    clock,
  );
}
