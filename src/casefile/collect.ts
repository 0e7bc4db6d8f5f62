import { canonicalize } from 'json-canonicalize';
import type { Db } from '../db/connect.js';
import type { FileStore } from '../files/store.js';
import { sha256Hex } from '../files/store.js';
import { notFound } from '../errors.js';
import {
  CASE_RECORD_PATH,
  digestHex,
  EVENTS_PATH,
  MANIFEST_FORMAT,
  MANIFEST_PATH,
  manifestHash,
  PathAllocator,
  serializeManifest,
  type HashAlgorithm,
  type Manifest,
  type ManifestItem,
} from './manifest.js';

export const CASE_RECORD_FORMAT = 'rongcuo-case-record/1';
export const CASE_RECORD_MEDIA_TYPE = 'application/json';
export const EVENTS_MEDIA_TYPE = 'application/x-ndjson';
const DOCX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const PDF_MEDIA_TYPE = 'application/pdf';

export interface CollectedCaseFile {
  manifest: Manifest;
  /** The manifest's canonical text, exactly as sealed and exported. */
  text: string;
  manifestSha256: string;
  /** Items generated from the database (case.json, events.jsonl): they must be put in the store to be exported. */
  generated: { path: string; bytes: Buffer; mediaType: string }[];
}

/** JSON-safe copy: dates as ISO 8601 UTC, buffers as hex, bigints as decimal strings. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** A `date` column: node-postgres builds a Date at local midnight, so the calendar day is read in local time. */
function calendarDate(value: Date | string): string {
  if (typeof value === 'string') return value.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}

const userIdOfActor = (actor: string): string | undefined => (actor.startsWith('user:') ? actor.slice('user:'.length) : undefined);

/**
 * Reads everything the case file holds — the case's recorded data, every document version, every evidence
 * attachment and the case's audit events up to now — and builds its manifest. Stored bytes are read back
 * through the store (which checks them against their hash), so a damaged or missing file stops the sealing
 * instead of being sealed. Writes nothing.
 */
export async function collectCaseFile(
  db: Db,
  props: { caseId: string; files: FileStore; sealedBy: string; now: Date; algorithm?: HashAlgorithm },
): Promise<CollectedCaseFile> {
  const { caseId, files, sealedBy, now } = props;
  const algorithm = props.algorithm ?? 'sha256';

  const kase = await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
  if (!kase) throw notFound('案件');
  const official = await db.selectFrom('officials').selectAll().where('id', '=', kase.official_id).executeTakeFirstOrThrow();

  const [opinions, applications, invitations, assessments, deliberations, decisions, services, fileEntries, appeals, documents, evidence, attachments, events] =
    await Promise.all([
      db.selectFrom('opinions').selectAll().where('case_id', '=', caseId).orderBy('recorded_at').orderBy('id').execute(),
      db.selectFrom('applications').selectAll().where('case_id', '=', caseId).orderBy('submitted_at').orderBy('id').execute(),
      db.selectFrom('expert_invitations').selectAll().where('case_id', '=', caseId).orderBy('invited_at').orderBy('id').execute(),
      db.selectFrom('assessments').selectAll().where('case_id', '=', caseId).orderBy('position').execute(),
      db.selectFrom('deliberations').selectAll().where('case_id', '=', caseId).orderBy('position').execute(),
      db.selectFrom('decisions').selectAll().where('case_id', '=', caseId).orderBy('version').execute(),
      db.selectFrom('services').selectAll().where('case_id', '=', caseId).orderBy('served_at').orderBy('id').execute(),
      db.selectFrom('file_entries').selectAll().where('case_id', '=', caseId).orderBy('entered_at').orderBy('id').execute(),
      db.selectFrom('appeals').selectAll().where('case_id', '=', caseId).orderBy('lodged_at').orderBy('id').execute(),
      db.selectFrom('documents').selectAll().where('case_id', '=', caseId).orderBy('kind').orderBy('version').execute(),
      db.selectFrom('evidence').selectAll().where('case_id', '=', caseId).orderBy('recorded_at').orderBy('id').execute(),
      db
        .selectFrom('evidence_attachments')
        .innerJoin('evidence', 'evidence.id', 'evidence_attachments.evidence_id')
        .selectAll('evidence_attachments')
        .where('evidence.case_id', '=', caseId)
        // The upload order is not recorded: file name, then id, gives a stable order.
        .orderBy('evidence_attachments.filename')
        .orderBy('evidence_attachments.id')
        .execute(),
      db
        .selectFrom('events')
        .select(['seq', 'at', 'actor', 'case_id', 'type', 'payload', 'prev_hash', 'hash'])
        .where('case_id', '=', caseId)
        .orderBy('seq')
        .execute(),
    ]);

  const paths = new PathAllocator([MANIFEST_PATH]);
  const items: ManifestItem[] = [];
  const storedItem = async (sha256: string) => {
    const bytes = await files.get(sha256);
    return { sha256, size: bytes.length, ...(algorithm === 'sha256' ? {} : { [algorithm]: digestHex(algorithm, bytes) }) };
  };

  const documentItems: ManifestItem[] = [];
  for (const doc of documents) {
    const meta = { documentId: doc.id, documentKind: doc.kind, version: doc.version, number: doc.number };
    const base = `documents/${doc.kind}-v${doc.version}`;
    documentItems.push({ path: paths.reserve(`${base}.docx`), kind: 'document', ...(await storedItem(doc.file_sha256)), ...meta, mediaType: DOCX_MEDIA_TYPE });
    if (doc.pdf_sha256) {
      documentItems.push({ path: paths.reserve(`${base}.pdf`), kind: 'document-pdf', ...(await storedItem(doc.pdf_sha256)), ...meta, mediaType: PDF_MEDIA_TYPE });
    }
  }

  const evidenceItems: ManifestItem[] = [];
  const attachmentPaths = new Map<string, string>();
  for (const item of evidence) {
    for (const attachment of attachments.filter((a) => a.evidence_id === item.id)) {
      const path = paths.allocate(`evidence/${item.id}`, attachment.filename, 'attachment');
      attachmentPaths.set(attachment.id, path);
      evidenceItems.push({
        path,
        kind: 'evidence',
        ...(await storedItem(attachment.file_sha256)),
        evidenceId: item.id,
        attachmentId: attachment.id,
        title: item.title,
        filename: attachment.filename,
        mediaType: attachment.media_type,
      });
    }
  }

  // Events: one canonical JSON object per line, in chain order, with everything needed to recompute each hash.
  const lastEvent = events.at(-1);
  if (!lastEvent) throw new Error(`case ${caseId} has no audit events`);
  const eventsText = events
    .map((e) =>
      canonicalize({
        seq: e.seq,
        at: e.at.toISOString(),
        actor: e.actor,
        case_id: e.case_id,
        type: e.type,
        payload: e.payload,
        prev_hash: e.prev_hash.toString('hex'),
        hash: e.hash.toString('hex'),
      }),
    )
    .map((line) => `${line}\n`)
    .join('');
  const eventsBytes = Buffer.from(eventsText, 'utf8');

  // The people and organizations the record refers to, by name, so the file reads without the database.
  const userIds = new Set<string>([kase.opened_by, sealedBy]);
  const add = (id: string | null | undefined) => id && userIds.add(id);
  for (const e of events) add(userIdOfActor(e.actor));
  for (const r of [...opinions, ...assessments, ...deliberations, ...services, ...evidence]) add(r.recorded_by);
  for (const a of applications) add(a.applicant_id);
  for (const i of invitations) [i.expert_id, i.invited_by].forEach(add);
  for (const d of deliberations) d.members_present.forEach(add);
  for (const d of decisions) [d.decided_by, d.approved_by].forEach(add);
  for (const a of appeals) [a.lodged_by, a.decided_by].forEach(add);
  for (const d of documents) add(d.generated_by);
  const orgIds = new Set<string>([kase.organ_id, official.organization_id, official.managing_org_id]);
  for (const r of [...applications, ...services]) if (r.party_org_id) orgIds.add(r.party_org_id);
  const [users, organizations] = await Promise.all([
    db.selectFrom('users').select(['id', 'username', 'display_name']).where('id', 'in', [...userIds]).orderBy('id').execute(),
    db.selectFrom('organizations').select(['id', 'name', 'short_name', 'type', 'parent_id']).where('id', 'in', [...orgIds]).orderBy('id').execute(),
  ]);
  const organ = organizations.find((o) => o.id === kase.organ_id)!;

  const record = plain({
    format: CASE_RECORD_FORMAT,
    eventsThroughSeq: lastEvent.seq,
    case: kase,
    official: { id: official.id, name: official.name, organization_id: official.organization_id, position: official.position, rank: official.rank, category: official.category, managing_org_id: official.managing_org_id },
    organizations,
    users,
    opinions,
    applications,
    expertInvitations: invitations,
    assessments,
    deliberations: deliberations.map((d) => ({ ...d, held_on: calendarDate(d.held_on) })),
    decisions,
    services,
    fileEntries,
    appeals,
    documents: documents.map((d) => ({ ...d, paths: documentItems.filter((i) => 'documentId' in i && i.documentId === d.id).map((i) => i.path) })),
    evidence: evidence.map((e) => ({
      ...e,
      attachments: attachments.filter((a) => a.evidence_id === e.id).map((a) => ({ ...a, path: attachmentPaths.get(a.id) })),
    })),
  });
  // Indented for people reading the export; the sealed hash covers these exact bytes.
  const recordBytes = Buffer.from(`${JSON.stringify(JSON.parse(canonicalize(record)), null, 2)}\n`, 'utf8');

  const generatedItem = (bytes: Buffer) => ({
    sha256: sha256Hex(bytes),
    size: bytes.length,
    ...(algorithm === 'sha256' ? {} : { [algorithm]: digestHex(algorithm, bytes) }),
  });
  items.push({ path: paths.reserve(CASE_RECORD_PATH), kind: 'case', ...generatedItem(recordBytes), mediaType: CASE_RECORD_MEDIA_TYPE });
  items.push({ path: paths.reserve(EVENTS_PATH), kind: 'events', ...generatedItem(eventsBytes), count: events.length, mediaType: EVENTS_MEDIA_TYPE });
  items.push(...documentItems, ...evidenceItems);

  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    caseId,
    caseTitle: kase.title,
    organ: { id: organ.id, name: organ.name },
    official: { id: official.id, name: official.name },
    sealedAt: now.toISOString(),
    sealedBy,
    algorithm,
    eventsThroughSeq: lastEvent.seq,
    items,
  };
  const text = serializeManifest(manifest);
  return {
    manifest,
    text,
    manifestSha256: manifestHash(text, algorithm),
    generated: [
      { path: CASE_RECORD_PATH, bytes: recordBytes, mediaType: CASE_RECORD_MEDIA_TYPE },
      { path: EVENTS_PATH, bytes: eventsBytes, mediaType: EVENTS_MEDIA_TYPE },
    ],
  };
}
