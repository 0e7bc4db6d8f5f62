import type { Actor } from '../../../access/actor.js';
import { canSee, findCaseRelations, seesInternals, type CaseRelations } from '../../../access/case.js';
import type { EvidenceKind } from '../../../commands/record-evidence.js';
import type { Db } from '../../../db/connect.js';
import { notFound } from '../../../errors.js';

/**
 * Who sees which evidence of a case:
 * - staff of the case (handler, deliberation member, approver, supervisor) see all of it;
 * - an invited expert sees only the items shared in their invitation (Art. 12 ¶2);
 * - the official and their party organization see none: Art. 15 gives them the decision and the
 *   explanation of the tolerance outcome, not the investigation file.
 * A case the user may not see at all is not found (404), never forbidden.
 */
export type EvidenceScope = { all: true } | { all: false; ids: readonly string[] };

export interface CaseAccess {
  version: number;
  relations: CaseRelations;
}

/** The case's version and the actor's relations to it; 404 when the case is invisible to the actor. */
export async function findCaseAccess(db: Db, actor: Actor, caseId: string): Promise<CaseAccess> {
  const row = await db
    .selectFrom('cases')
    .innerJoin('officials', 'officials.id', 'cases.official_id')
    .select(['cases.organ_id', 'cases.official_id', 'cases.version', 'officials.organization_id as official_organization_id'])
    .where('cases.id', '=', caseId)
    .executeTakeFirst();
  if (!row) throw notFound('案件');
  const relations = await findCaseRelations(db, actor, {
    caseId,
    organId: row.organ_id,
    officialId: row.official_id,
    officialOrganizationId: row.official_organization_id,
  });
  if (!canSee(relations)) throw notFound('案件');
  return { version: row.version, relations };
}

export async function evidenceScope(db: Db, actor: Actor, caseId: string, relations: CaseRelations): Promise<EvidenceScope> {
  if (seesInternals(relations)) return { all: true };
  if (!relations.expert) return { all: false, ids: [] };
  const invitation = await db
    .selectFrom('expert_invitations')
    .select('evidence_ids')
    .where('case_id', '=', caseId)
    .where('expert_id', '=', actor.userId)
    .executeTakeFirst();
  return { all: false, ids: invitation?.evidence_ids ?? [] };
}

const inScope = (scope: EvidenceScope, evidenceId: string) => scope.all || scope.ids.includes(evidenceId);

/** The evidence items of a case within the scope, oldest first, each with its attachments. */
export async function findEvidence(db: Db, caseId: string, scope: EvidenceScope) {
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
    .select(['id', 'evidence_id', 'file_sha256', 'filename', 'media_type', 'size'])
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
      .map((a) => ({ id: a.id, sha256: a.file_sha256, filename: a.filename, mediaType: a.media_type, size: Number(a.size) })),
  }));
}

/** One attachment of an evidence item of this case, if it exists and lies within the scope. */
export async function findAttachment(db: Db, ids: { caseId: string; evidenceId: string; attachmentId: string }, scope: EvidenceScope) {
  if (!inScope(scope, ids.evidenceId)) return undefined;
  return db
    .selectFrom('evidence_attachments')
    .innerJoin('evidence', 'evidence.id', 'evidence_attachments.evidence_id')
    .select(['evidence_attachments.file_sha256', 'evidence_attachments.filename', 'evidence_attachments.media_type'])
    .where('evidence_attachments.id', '=', ids.attachmentId)
    .where('evidence.id', '=', ids.evidenceId)
    .where('evidence.case_id', '=', ids.caseId)
    .executeTakeFirst();
}
