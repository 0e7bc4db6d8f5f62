import type { Db } from '../db/connect.js';
import { AppError } from '../errors.js';
import type { FileStore } from '../files/store.js';
import { parseManifest } from './manifest.js';
import { buildCaseFileZip, type ZipItem } from './zip.js';

/** The case has no sealed file yet: it is sealed when the case closes. */
export const caseFileNotSealed = () =>
  new AppError({
    code: 'CASE_FILE_NOT_SEALED',
    status: 409,
    message: '本案案卷尚未封存（结案时封存），暂不能导出',
    messageEn: 'the case file is not sealed yet (it is sealed when the case closes)',
  });

/**
 * The sealed case file as one .zip: `manifest.json` — the exact text whose hash was sealed — and every item
 * at its path. Bytes come back from the store, which refuses any whose hash no longer matches, so an export
 * never carries a silently damaged file. Access control is the caller's (the route or the CLI).
 */
export async function exportCaseFile(db: Db, caseId: string, files: FileStore): Promise<Buffer> {
  const sealed = await db.selectFrom('case_files').select(['manifest', 'sealed_at']).where('case_id', '=', caseId).executeTakeFirst();
  if (!sealed) throw caseFileNotSealed();
  const parsed = parseManifest(sealed.manifest);
  if (!parsed.ok) throw new Error(`the sealed manifest of case ${caseId} cannot be read: ${parsed.reason}`);
  const items: ZipItem[] = [];
  for (const item of parsed.manifest.items) items.push({ path: item.path, bytes: await files.get(item.sha256) });
  return buildCaseFileZip(sealed.manifest, items, sealed.sealed_at);
}
