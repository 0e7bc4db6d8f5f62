import { recordDigest } from '../audit/digest.js';
import { AppError, invalidInput } from '../errors.js';
import { cleanFilename, codePointLength } from '../files/filename.js';
import { ALLOWED_EXTENSIONS, ALLOWED_LABELS, sniffAttachment } from '../files/sniff.js';
import type { FileStore, StoredFile } from '../files/store.js';
import { runCaseCommand, type CaseCommandProps } from './case-command.js';

/** Kinds of evidence (the CHECK on evidence.kind), with the words users see. */
export const EVIDENCE_KINDS = {
  document: '书证（文件材料）',
  testimony: '证人证言',
  photo: '照片、影像',
  record: '笔录、记录',
  other: '其他',
} as const;
export type EvidenceKind = keyof typeof EVIDENCE_KINDS;
export const EVIDENCE_KIND_IDS = Object.keys(EVIDENCE_KINDS) as EvidenceKind[];

export const MAX_ATTACHMENTS = 10;
export const MAX_TITLE_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 10_000;
export const MAX_FILENAME_LENGTH = 255;

export interface EvidenceAttachmentInput {
  /** As the client named it; cleaned before it is kept, and only ever shown, never used as a path. */
  filename: string;
  bytes: Buffer;
}

export interface RecordEvidenceProps extends CaseCommandProps {
  store: FileStore;
  title: string;
  description?: string;
  kind: EvidenceKind;
  attachments: EvidenceAttachmentInput[];
}

export interface RecordedAttachment {
  id: string;
  sha256: string;
  filename: string;
  mediaType: string;
  size: number;
}

/** "20 MB", "64 KB": the limit as users read it. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} 字节`;
}

/** An attachment over the size limit; the HTTP layer throws the same error when the upload stream overruns. */
export function attachmentTooLarge(index: number, maxBytes: number): AppError {
  return invalidInput(
    `attachments[${index}]`,
    `第 ${index + 1} 个附件超过大小上限（${formatBytes(maxBytes)}）`,
    `attachment ${index} exceeds the size limit of ${maxBytes} bytes`,
  );
}

interface CheckedAttachment {
  filename: string;
  mediaType: string;
  bytes: Buffer;
}

function checkAttachment(index: number, attachment: EvidenceAttachmentInput, maxBytes: number): CheckedAttachment {
  const key = `attachments[${index}]`;
  const filename = cleanFilename(attachment.filename);
  if (filename === '') throw invalidInput(key, `第 ${index + 1} 个附件缺少文件名`, `attachment ${index} has no file name`);
  if (codePointLength(filename) > MAX_FILENAME_LENGTH) {
    throw invalidInput(key, `第 ${index + 1} 个附件的文件名超过 ${MAX_FILENAME_LENGTH} 个字符`, `attachment ${index}: file name longer than ${MAX_FILENAME_LENGTH} characters`);
  }
  if (attachment.bytes.length > maxBytes) throw attachmentTooLarge(index, maxBytes);
  const sniffed = sniffAttachment(filename, attachment.bytes);
  if (sniffed.ok) return { filename, mediaType: sniffed.mediaType, bytes: attachment.bytes };
  switch (sniffed.reason) {
    case 'empty':
      throw invalidInput(key, `第 ${index + 1} 个附件“${filename}”是空文件`, `attachment ${index} is empty`);
    case 'extension-not-allowed':
      throw invalidInput(
        key,
        `不接受${sniffed.extension ? `“${sniffed.extension}”类型` : '无扩展名'}的附件（第 ${index + 1} 个），仅接受 ${ALLOWED_LABELS}`,
        `attachment ${index}: extension "${sniffed.extension}" is not allowed`,
        ALLOWED_EXTENSIONS,
      );
    case 'content-not-allowed':
      throw invalidInput(
        key,
        `第 ${index + 1} 个附件“${filename}”的内容不是允许的文件类型，仅接受 ${ALLOWED_LABELS}`,
        `attachment ${index}: content is not ${sniffed.extension} nor any allowed type`,
        ALLOWED_EXTENSIONS,
      );
    case 'mismatch':
      throw invalidInput(
        key,
        `第 ${index + 1} 个附件“${filename}”的扩展名（${sniffed.extension}）与内容（${sniffed.content}）不符`,
        `attachment ${index}: extension ${sniffed.extension} does not match its content (${sniffed.content})`,
        ALLOWED_EXTENSIONS,
      );
  }
}

/**
 * Records an evidence item with its attachments during the investigation (Art. 12). Attachments are judged by
 * their content (magic bytes), not by the type the client claims; their hashes go into the audit event, so
 * the chain proves later that the case file holds the very bytes that were recorded (R8, R16).
 */
export function recordEvidence(props: RecordEvidenceProps) {
  return runCaseCommand(props, 'recordEvidence', async ({ tx, actor, now, settings }) => {
    // Kept as given (byte-exact round trip); only a blank title is refused.
    const { title } = props;
    const description = props.description ?? '';
    if (title.trim() === '' || codePointLength(title) > MAX_TITLE_LENGTH) {
      throw invalidInput('title', `请填写证据名称（不超过 ${MAX_TITLE_LENGTH} 个字）`, `title must be 1–${MAX_TITLE_LENGTH} characters`);
    }
    if (codePointLength(description) > MAX_DESCRIPTION_LENGTH) {
      throw invalidInput('description', `证据说明不能超过 ${MAX_DESCRIPTION_LENGTH} 个字`, `description longer than ${MAX_DESCRIPTION_LENGTH} characters`);
    }
    if (!Object.hasOwn(EVIDENCE_KINDS, props.kind)) {
      throw invalidInput('kind', '证据类别不正确', `unknown evidence kind`, EVIDENCE_KIND_IDS);
    }
    if (props.attachments.length === 0) throw invalidInput('attachments', '请至少上传一个附件', 'at least one attachment is required');
    if (props.attachments.length > MAX_ATTACHMENTS) {
      throw invalidInput('attachments', `每项证据最多 ${MAX_ATTACHMENTS} 个附件`, `at most ${MAX_ATTACHMENTS} attachments per evidence item`);
    }
    // Every attachment is checked before anything is stored: one bad file refuses the whole item.
    const checked = props.attachments.map((a, i) => checkAttachment(i, a, settings.maxAttachmentBytes));

    // Bytes are stored before the rows that name them, so a committed row never points at a missing file. If
    // the transaction fails after this, the stored files are orphans: harmless, since they are addressed by
    // content (a retry reuses them and no row refers to them); `rongcuo sweep-files` removes them later.
    const stored: StoredFile[] = [];
    for (const attachment of checked) stored.push(await props.store.put(attachment.bytes));

    const firstBySha = new Map<string, number>();
    stored.forEach((file, i) => firstBySha.has(file.sha256) || firstBySha.set(file.sha256, i));
    await tx
      .insertInto('files')
      .values([...firstBySha.entries()].map(([sha256, i]) => ({ sha256, size: String(stored[i]!.size), media_type: checked[i]!.mediaType, stored_at: now })))
      // The same bytes may already be on file (another item, another case): one row per content.
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();

    const evidence = await tx
      .insertInto('evidence')
      .values({ case_id: props.caseId, title, description, kind: props.kind, recorded_by: actor.userId, recorded_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const attachments: RecordedAttachment[] = [];
    for (const [i, attachment] of checked.entries()) {
      const file = stored[i]!;
      const row = await tx
        .insertInto('evidence_attachments')
        .values({ evidence_id: evidence.id, file_sha256: file.sha256, filename: attachment.filename, media_type: attachment.mediaType, size: String(file.size) })
        .returning('id')
        .executeTakeFirstOrThrow();
      attachments.push({ id: row.id, sha256: file.sha256, filename: attachment.filename, mediaType: attachment.mediaType, size: file.size });
    }

    return {
      result: { id: evidence.id, attachments },
      event: {
        type: 'case.evidence-recorded',
        payload: {
          evidenceId: evidence.id,
          kind: props.kind,
          // Hashes, sizes and types only: file names and content may hold personal data and stay out of the log.
          attachments: attachments.map((a) => ({ sha256: a.sha256, size: a.size, mediaType: a.mediaType })),
          recordHash: recordDigest({ title, description }),
        },
      },
    };
  });
}
