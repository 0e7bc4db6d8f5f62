import { appendEvent } from '../audit/chain.js';
import { auditActor, type Actor } from '../access/actor.js';
import { canSee, findCaseRelations } from '../access/case.js';
import type { Clock } from '../clock.js';
import type { Db, Tx } from '../db/connect.js';
import { loadDocument } from '../documents/data.js';
import { kindSpec, type DocumentKind } from '../documents/kinds.js';
import { defaultTemplate, renderDocument } from '../documents/render.js';
import { forbidden, invalidState, notFound } from '../errors.js';
import { sha256Hex, type FileStore } from '../files/store.js';
import { allocateDocumentNumber } from './document-number.js';

export const DOCX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export interface IssuedDocument {
  id: string;
  kind: DocumentKind;
  version: number;
  number: string | null;
  sha256: string;
}

/**
 * Issues one official document inside the caller's transaction: the organ's own template for the kind (or the
 * shipped default), filled from the case's recorded data; the first version takes the organ's next 文号 (the
 * counter row stays locked until commit, so a failed issue gives the number back), later versions keep it. The
 * document's hash enters the audit chain. The case row must already be locked by the caller.
 */
export async function issueDocumentInTransaction(
  tx: Tx,
  props: { caseId: string; organId: string; kind: DocumentKind; actor: Actor; files: FileStore; now: Date; forDecisionId?: string },
): Promise<IssuedDocument> {
  const { caseId, kind, now } = props;
  const previous = await tx
    .selectFrom('documents')
    .select(['version', 'number'])
    .where('case_id', '=', caseId)
    .where('kind', '=', kind)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  const organ = await tx.selectFrom('organizations').select(['id', 'name', 'short_name']).where('id', '=', props.organId).executeTakeFirstOrThrow();
  const number = kindSpec(kind).numbered ? (previous?.number ?? (await allocateDocumentNumber(tx, { id: organ.id, name: organ.name, shortName: organ.short_name }, now))) : null;
  const { data, decisionId } = await loadDocument(tx, caseId, kind, { number, issuedAt: now, ...(props.forDecisionId ? { forDecisionId: props.forDecisionId } : {}) });

  const custom = await tx
    .selectFrom('document_templates')
    .select('file_sha256')
    .where('organ_id', '=', props.organId)
    .where('kind', '=', kind)
    .orderBy('uploaded_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const template = custom ? await props.files.get(custom.file_sha256) : defaultTemplate(kind);
  const docx = renderDocument(template, data);

  // Bytes first: content-addressed, so a rolled-back issue leaves at most an unreferenced copy.
  const stored = await props.files.put(docx);
  await tx
    .insertInto('files')
    .values({ sha256: stored.sha256, size: String(stored.size), media_type: DOCX_MEDIA_TYPE, stored_at: now })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  const version = (previous?.version ?? 0) + 1;
  const templateSha256 = custom?.file_sha256 ?? sha256Hex(template);
  const row = await tx
    .insertInto('documents')
    .values({
      case_id: caseId,
      kind,
      version,
      number,
      decision_id: decisionId,
      file_sha256: stored.sha256,
      pdf_sha256: null,
      template_sha256: templateSha256,
      generated_by: props.actor.userId,
      generated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendEvent(
    tx,
    {
      type: 'case.document-generated',
      actor: auditActor(props.actor),
      caseId,
      payload: { documentId: row.id, kind, version, number, sha256: stored.sha256, templateSha256, decisionId },
    },
    { now: () => now },
  );
  return { id: row.id, kind, version, number, sha256: stored.sha256 };
}

/**
 * A handler of the deciding organ issues (or reissues, as a new version) a document of the case. Refused once
 * the case is closed: its case file is sealed.
 */
export async function issueDocument(props: { db: Db; clock: Clock; actor: Actor; files: FileStore; caseId: string; kind: DocumentKind }): Promise<IssuedDocument> {
  return props.db.transaction().execute(async (tx) => {
    // FOR UPDATE: issuing and closing (sealing) the same case never interleave.
    const kase = await tx
      .selectFrom('cases')
      .innerJoin('officials', 'officials.id', 'cases.official_id')
      .select(['cases.id', 'cases.organ_id', 'cases.official_id', 'cases.state', 'officials.organization_id'])
      .where('cases.id', '=', props.caseId)
      .forUpdate('cases')
      .executeTakeFirst();
    if (!kase) throw notFound('案件');
    const relations = await findCaseRelations(tx, props.actor, { caseId: kase.id, organId: kase.organ_id, officialId: kase.official_id, officialOrganizationId: kase.organization_id });
    if (!canSee(relations)) throw notFound('案件');
    if (!relations.handler) throw forbidden('只有本机关经办人可以制作文书', 'only a handler of the deciding organ issues documents');
    if (kase.state === 'closed') throw invalidState('本案已结案，案卷已封存，不能再制作文书', 'the case is closed and its case file sealed');
    return issueDocumentInTransaction(tx, { caseId: kase.id, organId: kase.organ_id, kind: props.kind, actor: props.actor, files: props.files, now: props.clock.now() });
  });
}

/**
 * The documents a closing case file must hold (Art. 14, R8), issued now where the organ has not yet issued them:
 * the decision served with the tolerance opinion in it, the separate reasons and basis when tolerance was granted,
 * the explanations to the official and the party organization, the receipt of service, and the appeal decision.
 */
export async function issueMissingCaseDocuments(tx: Tx, props: { caseId: string; organId: string; actor: Actor; files: FileStore; now: Date }): Promise<IssuedDocument[]> {
  const served = await tx
    .selectFrom('services')
    .innerJoin('decisions', 'decisions.id', 'services.decision_id')
    .select(['decisions.id', 'decisions.outcome'])
    .where('services.case_id', '=', props.caseId)
    .orderBy('services.served_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!served) return [];
  const appealDecided = await tx.selectFrom('appeals').select('id').where('case_id', '=', props.caseId).where('outcome', 'is not', null).executeTakeFirst();
  const required: { kind: DocumentKind; forDecisionId?: string }[] = [
    { kind: 'decision', forDecisionId: served.id },
    ...(served.outcome === 'exempt' || served.outcome === 'reduced' ? [{ kind: 'tolerance-reasons' as const, forDecisionId: served.id }] : []),
    { kind: 'explanation-official' },
    { kind: 'explanation-party-org' },
    { kind: 'service-receipt' },
    ...(appealDecided ? [{ kind: 'appeal-decision' as const }] : []),
  ];
  const existing = new Set((await tx.selectFrom('documents').select('kind').where('case_id', '=', props.caseId).execute()).map((d) => d.kind));
  const issued: IssuedDocument[] = [];
  for (const { kind, forDecisionId } of required) {
    if (existing.has(kind)) continue;
    issued.push(await issueDocumentInTransaction(tx, { ...props, kind, ...(forDecisionId ? { forDecisionId } : {}) }));
  }
  return issued;
}
