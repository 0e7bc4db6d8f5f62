import { Readable } from 'node:stream';
import type { Db } from '../db/connect.js';
import { AppError } from '../errors.js';
import type { FileStore } from '../files/store.js';
import { parseManifest } from './manifest.js';
import { planCaseFileZip } from './zip.js';

/** The case has no sealed file yet: it is sealed when the case closes. */
export const caseFileNotSealed = () =>
  new AppError({
    code: 'CASE_FILE_NOT_SEALED',
    status: 409,
    message: '本案案卷尚未封存（结案时封存），暂不能导出',
    messageEn: 'the case file is not sealed yet (it is sealed when the case closes)',
  });

/** A sealed case file checked and measured, ready to be written out as its .zip. */
export interface CaseFileExport {
  /** The manifest's items (the manifest itself not counted). */
  items: number;
  /** The items' bytes, uncompressed (the manifest not counted). */
  itemBytes: number;
  /** The .zip's exact length. */
  archiveBytes: number;
  /**
   * The .zip, entry by entry, each stored file read again from the store as a stream: never more than a few
   * chunks in memory. A file that no longer matches its hash, or changed since it was checked, fails the
   * iteration part-way — what was written is a broken archive, never a complete archive with a wrong file.
   */
  chunks(): AsyncGenerator<Buffer>;
  /** The same bytes as a Node stream (a failure destroys it with the error). */
  stream(): Readable;
}

/**
 * The sealed case file as one .zip: `manifest.json` — the exact text whose hash was sealed — and every item at
 * its path. Bytes come back from the store, which refuses any whose hash no longer matches, so an export never
 * carries a silently damaged file. Every stored file is read through once here, checked against its hash and
 * measured for the zip's headers, so that a missing or damaged file (and an unsealed case) fails before a single
 * byte is written; the archive is then written by reading each file a second time. Access control is the
 * caller's (the route).
 */
export async function prepareCaseFileExport(db: Db, caseId: string, files: FileStore): Promise<CaseFileExport> {
  const sealed = await db.selectFrom('case_files').select(['manifest', 'sealed_at']).where('case_id', '=', caseId).executeTakeFirst();
  if (!sealed) throw caseFileNotSealed();
  const parsed = parseManifest(sealed.manifest);
  if (!parsed.ok) throw new Error(`the sealed manifest of case ${caseId} cannot be read: ${parsed.reason}`);
  const { items } = parsed.manifest;
  const plan = await planCaseFileZip(
    sealed.manifest,
    items.map((item) => ({ path: item.path, open: () => files.read(item.sha256) })),
    sealed.sealed_at,
  );
  return {
    items: items.length,
    itemBytes: plan.contentBytes - Buffer.byteLength(sealed.manifest, 'utf8'),
    archiveBytes: plan.archiveBytes,
    chunks: () => plan.chunks(),
    stream: () => Readable.from(plan.chunks(), { objectMode: false }),
  };
}

/** The whole .zip in memory: for small case files and tests (the route and large files stream it). */
export async function exportCaseFile(db: Db, caseId: string, files: FileStore): Promise<Buffer> {
  const exported = await prepareCaseFileExport(db, caseId, files);
  const parts: Buffer[] = [];
  for await (const chunk of exported.chunks()) parts.push(chunk);
  return Buffer.concat(parts, exported.archiveBytes);
}
