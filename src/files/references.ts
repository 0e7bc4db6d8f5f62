import type { Db } from '../db/connect.js';

/**
 * The stored files the database names: the `files` table, the one register of the store's content. Every column
 * that names a stored file references it by foreign key — evidence_attachments.file_sha256,
 * documents.file_sha256 and pdf_sha256, document_templates.file_sha256, rectification_report_attachments
 * .file_sha256 — so no row can name a file the register lacks; and some stored files have a `files` row only:
 * the items generated when a case file is sealed (its case.json and events.jsonl, listed in case_files
 * .manifest), and a rectification attachment uploaded but not yet cited in a progress report (the report names
 * it later by its hash). test/file-sweep.db.test.ts fails on a new column that names a file without the key.
 *
 * What the backup copies and what the orphan sweep keeps. The `files` table has no row-level security, so the
 * answer is complete whichever role asks; pass a transaction to read it in that transaction's snapshot.
 */
export async function referencedFiles(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('files').select('sha256').execute();
  return new Set(rows.map((row) => row.sha256));
}
