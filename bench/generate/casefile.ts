import { createHash } from 'node:crypto';
import { auditActor } from '../../src/access/actor.js';
import { EVENTS_PATH, MANIFEST_FORMAT, MANIFEST_PATH, manifestHash, PathAllocator, serializeManifest, type Manifest, type ManifestItem } from '../../src/casefile/manifest.js';
import { kindSpec, type DocumentKind } from '../../src/documents/kinds.js';
import type { ChainedEvent } from './chain.js';
import type { CaseRun, CaseWorld } from './cases.js';
import type { Recorder } from './story.js';

/**
 * What closeCase does between its state change and its `case.closed` event: issue the documents the case file
 * must hold (issueMissingCaseDocuments: each with its 文号 and a `case.document-generated` event), seal the case
 * file (sealCaseFile: the manifest of every item with its hash, stored in `case_files`) and append
 * `case.file-sealed` carrying the manifest's hash.
 *
 * Two things differ from a real close, on purpose, and both are about bytes rather than rows:
 * - The documents are not rendered: rendering a .docx per document would cost more than the whole rest of the
 *   generation. Each document row points at placeholder content (its own text, hashed), whose `files` row is
 *   written but whose bytes are not in any file store, so downloading a generated document fails.
 * - The manifest lists the documents, the evidence attachments and the case's events (events.jsonl, built as
 *   collect.ts builds it, over the real chained events, so eventsThroughSeq and the hashes are true), but not the
 *   case record (case.json): that is a rendering of the whole record, and a made-up copy would be a false item.
 *   Exporting or verifying a generated case file is therefore not expected to succeed.
 */
const DOCX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const EVENTS_MEDIA_TYPE = 'application/x-ndjson';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * One line of events.jsonl as collect.ts writes it: canonicalize({seq, at, actor, case_id, type, payload,
 * prev_hash, hash}). Spelled out in canonical key order around the payload, which the chain already holds in
 * canonical form: parsing and canonicalizing every event of every closed case again was a third of the
 * generator's time. The test checks these lines against canonicalize over what the database holds.
 */
export function eventLine(e: ChainedEvent): string {
  const seq = e.seq.toString();
  return `{"actor":${JSON.stringify(e.actor)},"at":"${e.at.toISOString()}","case_id":${JSON.stringify(e.case_id)},"hash":"${e.hash.toString('hex')}","payload":${e.payload},"prev_hash":"${e.prev_hash.toString('hex')}","seq":"${seq}","type":${JSON.stringify(e.type)}}\n`;
}

/**
 * A case's events.jsonl as its events are appended: hashed line by line, so that the thousands of cases open at
 * any moment do not each keep their events in memory until they are sealed. Sealed once; later events (a
 * follow-up visit after closing) are not in the case file, as they are not in a real one.
 */
export class CaseEventLog {
  private readonly hash = createHash('sha256');
  private size = 0;
  private count = 0;
  private lastSeq = 0n;
  private sealed = false;

  add(event: ChainedEvent): void {
    if (this.sealed) return;
    const line = eventLine(event);
    this.hash.update(line, 'utf8');
    this.size += Buffer.byteLength(line, 'utf8');
    this.count += 1;
    this.lastSeq = event.seq;
  }

  seal(): { sha256: string; size: number; count: number; lastSeq: bigint } {
    if (this.sealed || this.count === 0) throw new Error('a case file is sealed once, over the events of its case');
    this.sealed = true;
    return { sha256: this.hash.digest('hex'), size: this.size, count: this.count, lastSeq: this.lastSeq };
  }
}

export function closeAndSeal(rec: Recorder, run: CaseRun, world: CaseWorld): string {
  const served = run.decisions.find((d) => d.id === run.service!.decisionId)!;
  const appealDecided = run.appeal?.outcome ? run.appeal : undefined;
  const required: { kind: DocumentKind; decisionId: string }[] = [
    { kind: 'decision', decisionId: served.id },
    ...(served.outcome === 'exempt' || served.outcome === 'reduced' ? [{ kind: 'tolerance-reasons' as const, decisionId: served.id }] : []),
    { kind: 'explanation-official', decisionId: served.id },
    { kind: 'explanation-party-org', decisionId: served.id },
    { kind: 'service-receipt', decisionId: served.id },
    ...(appealDecided ? [{ kind: 'appeal-decision' as const, decisionId: appealDecided.new_decision_id as string }] : []),
  ];
  const actor = auditActor({ userId: run.handler.id });
  const documents: { id: string; kind: DocumentKind; number: string | null; sha256: string; size: number }[] = [];
  for (const { kind, decisionId } of required) {
    const id = run.random.uuid();
    const number = kindSpec(kind).numbered ? rec.documentNumber(run.official.managing.org) : null;
    const bytes = Buffer.from(`rongcuo-bench placeholder document ${id} (${kind})`, 'utf8');
    const content = { sha256: sha256(bytes), size: bytes.length, mediaType: DOCX_MEDIA_TYPE };
    rec.storeNewFile(content);
    const templateSha256 = world.templates[kind];
    rec.write('documents', { id, case_id: run.id, kind, version: 1, number, decision_id: decisionId, file_sha256: content.sha256, pdf_sha256: null, template_sha256: templateSha256, generated_by: run.handler.id, generated_at: rec.now });
    rec.event('case.document-generated', actor, run.id, { documentId: id, kind, version: 1, number, sha256: content.sha256, templateSha256, decisionId });
    documents.push({ id, kind, number, sha256: content.sha256, size: content.size });
  }

  // The manifest, in collect.ts's order: documents by kind, then evidence by recording, attachments by file name.
  const paths = new PathAllocator([MANIFEST_PATH]);
  const documentItems: ManifestItem[] = [...documents]
    .sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0))
    .map((doc) => ({
      path: paths.reserve(`documents/${doc.kind}-v1.docx`),
      kind: 'document',
      sha256: doc.sha256,
      size: doc.size,
      documentId: doc.id,
      documentKind: doc.kind,
      version: 1,
      number: doc.number,
      mediaType: DOCX_MEDIA_TYPE,
    }));
  const evidenceItems: ManifestItem[] = [];
  for (const item of run.evidence) {
    const attachments = [...item.attachments].sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : a.id < b.id ? -1 : 1));
    for (const attachment of attachments) {
      evidenceItems.push({
        path: paths.allocate(`evidence/${item.id}`, attachment.filename, 'attachment'),
        kind: 'evidence',
        sha256: attachment.content.sha256,
        size: attachment.content.size,
        evidenceId: item.id,
        attachmentId: attachment.id,
        title: item.title,
        filename: attachment.filename,
        mediaType: attachment.content.mediaType,
      });
    }
  }
  const events = rec.caseEventLog(run.id).seal();
  const eventsContent = { sha256: events.sha256, size: events.size, mediaType: EVENTS_MEDIA_TYPE };
  rec.storeNewFile(eventsContent);
  const eventsThroughSeq = events.lastSeq.toString();
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    caseId: run.id,
    caseTitle: run.title,
    organ: { id: run.official.managing.org.id, name: run.official.managing.org.name },
    official: { id: run.official.id, name: run.official.name },
    sealedAt: rec.now.toISOString(),
    sealedBy: run.handler.id,
    algorithm: 'sha256',
    eventsThroughSeq,
    items: [{ path: paths.reserve(EVENTS_PATH), kind: 'events', ...eventsContent, count: events.count }, ...documentItems, ...evidenceItems],
  };
  const manifestText = serializeManifest(manifest);
  const manifestSha256 = manifestHash(manifestText);
  rec.write('case_files', { case_id: run.id, manifest: manifestText, manifest_sha256: manifestSha256, sealed_by: run.handler.id, sealed_at: rec.now });
  rec.event('case.file-sealed', actor, run.id, { manifestSha256, items: manifest.items.length, eventsThroughSeq });
  return manifestSha256;
}
