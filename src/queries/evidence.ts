import { inScope, type EvidenceScope } from '../access/evidence.js';
import type { EvidenceKind } from '../commands/record-evidence.js';
import type { Db } from '../db/connect.js';

/** The evidence items of a case within the scope, oldest first, each with its attachments. */
export async function findEvidence(db: Db, caseId: string, scope: EvidenceScope, clearance: number) {
  if (!scope.all && scope.ids.length === 0) return [];
  let query = db
    .selectFrom('evidence')
    .select(['id', 'title', 'description', 'kind', 'recorded_by', 'recorded_at'])
    .where('case_id', '=', caseId);
  if (!scope.all) query = query.where('id', 'in', scope.ids);
  const items = await query.orderBy('recorded_at').orderBy('id').execute();
  if (items.length === 0) return [];
  const attachments = await db
    .selectFrom('evidence_attachments')
    .select(['id', 'evidence_id', 'file_sha256', 'filename', 'media_type', 'size', 'sensitivity'])
    .where(
      'evidence_id',
      'in',
      items.map((item) => item.id),
    )
    // The table keeps no upload position; name order is stable and what a reader scans for.
    .orderBy('filename')
    .orderBy('id')
    .execute();
  return items.map((item) => ({
    id: item.id,
    title: item.title,
    description: item.description,
    kind: item.kind as EvidenceKind,
    recordedAt: item.recorded_at.toISOString(),
    recordedBy: item.recorded_by,
    attachments: attachments
      .filter((a) => a.evidence_id === item.id)
      // Above the reader's clearance an attachment shows its label, not its name (the name can tell too much).
      .map((a) =>
        a.sensitivity > clearance
          ? { id: a.id, sha256: null, filename: null, mediaType: null, size: null, sensitivity: a.sensitivity, aboveClearance: true }
          : { id: a.id, sha256: a.file_sha256, filename: a.filename, mediaType: a.media_type, size: Number(a.size), sensitivity: a.sensitivity, aboveClearance: false },
      ),
  }));
}

/** One attachment of an evidence item of this case, if it exists and lies within the scope. */
export async function findAttachment(db: Db, ids: { caseId: string; evidenceId: string; attachmentId: string }, scope: EvidenceScope) {
  if (!inScope(scope, ids.evidenceId)) return undefined;
  return db
    .selectFrom('evidence_attachments')
    .innerJoin('evidence', 'evidence.id', 'evidence_attachments.evidence_id')
    .select(['evidence_attachments.file_sha256', 'evidence_attachments.filename', 'evidence_attachments.media_type', 'evidence_attachments.sensitivity'])
    .where('evidence_attachments.id', '=', ids.attachmentId)
    .where('evidence.id', '=', ids.evidenceId)
    .where('evidence.case_id', '=', ids.caseId)
    .executeTakeFirst();
}
