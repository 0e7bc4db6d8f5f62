/**
 * What an attachment is, judged by its bytes (magic numbers), never by the type the client claims. The
 * extension must agree with the content (security.md: "extension and magic bytes must agree"), so a program
 * renamed `.pdf` is refused, and a file is always served as the type its content proved.
 */

type ContentKind = 'pdf' | 'png' | 'jpeg' | 'zip' | 'text';

interface AllowedType {
  extension: string;
  content: ContentKind;
  mediaType: string;
  label: string;
}

export const ALLOWED_TYPES: readonly AllowedType[] = [
  { extension: '.pdf', content: 'pdf', mediaType: 'application/pdf', label: 'PDF' },
  { extension: '.png', content: 'png', mediaType: 'image/png', label: 'PNG' },
  { extension: '.jpg', content: 'jpeg', mediaType: 'image/jpeg', label: 'JPEG' },
  { extension: '.jpeg', content: 'jpeg', mediaType: 'image/jpeg', label: 'JPEG' },
  // A DOCX/XLSX is a ZIP; telling them apart would mean reading the archive, so the extension decides which.
  { extension: '.docx', content: 'zip', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word (DOCX)' },
  { extension: '.xlsx', content: 'zip', mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel (XLSX)' },
  { extension: '.txt', content: 'text', mediaType: 'text/plain; charset=utf-8', label: '纯文本 (UTF-8)' },
];

/** The extensions accepted, as shown in an error's `allowed`. */
export const ALLOWED_EXTENSIONS: readonly string[] = ALLOWED_TYPES.map((t) => t.extension);

/** For messages: 「PDF、PNG、JPEG、Word (DOCX)、Excel (XLSX)、纯文本 (UTF-8)」. */
export const ALLOWED_LABELS: string = [...new Set(ALLOWED_TYPES.map((t) => t.label))].join('、');

const CONTENT_LABELS: Record<ContentKind, string> = { pdf: 'PDF', png: 'PNG', jpeg: 'JPEG', zip: 'ZIP (DOCX/XLSX)', text: '纯文本' };

export type SniffResult =
  | { ok: true; mediaType: string; extension: string }
  | { ok: false; reason: 'empty' }
  | { ok: false; reason: 'extension-not-allowed'; extension: string }
  | { ok: false; reason: 'content-not-allowed'; extension: string }
  | { ok: false; reason: 'mismatch'; extension: string; content: string };

const startsWith = (bytes: Buffer, signature: readonly number[]) =>
  bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte);

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const ZIP = [0x50, 0x4b, 0x03, 0x04]; // PK\3\4: a local file header, as every DOCX/XLSX begins

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Valid UTF-8 without control characters other than tab, line feed, form feed and carriage return. */
function isPlainText(bytes: Buffer): boolean {
  try {
    utf8.decode(bytes);
  } catch {
    return false;
  }
  for (const byte of bytes) {
    // Multi-byte UTF-8 sequences never contain bytes below 0x80, so a byte scan finds every C0 control.
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) || byte === 0x7f) return false;
  }
  return true;
}

function detectContent(bytes: Buffer): ContentKind | null {
  // Magic numbers first: a PDF header is plain ASCII, and must not pass as text under a .txt name.
  if (startsWith(bytes, PDF)) return 'pdf';
  if (startsWith(bytes, PNG)) return 'png';
  if (startsWith(bytes, JPEG)) return 'jpeg';
  if (startsWith(bytes, ZIP)) return 'zip';
  if (isPlainText(bytes)) return 'text';
  return null;
}

/** The extension of a file name, lower-case with its dot ('' when there is none). */
export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot <= 0 ? '' : filename.slice(dot).toLowerCase();
}

/** Decides the media type of an attachment from its content, checked against its file name's extension. */
export function sniffAttachment(filename: string, bytes: Buffer): SniffResult {
  if (bytes.length === 0) return { ok: false, reason: 'empty' };
  const extension = extensionOf(filename);
  const allowed = ALLOWED_TYPES.find((t) => t.extension === extension);
  if (!allowed) return { ok: false, reason: 'extension-not-allowed', extension };
  const content = detectContent(bytes);
  if (content === null) return { ok: false, reason: 'content-not-allowed', extension };
  if (content !== allowed.content) return { ok: false, reason: 'mismatch', extension, content: CONTENT_LABELS[content] };
  return { ok: true, mediaType: allowed.mediaType, extension };
}
