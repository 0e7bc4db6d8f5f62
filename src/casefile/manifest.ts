import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { cleanFilename } from '../files/filename.js';

/**
 * The case file (问责追责案卷, Art. 14, R8): the manifest that lists every item of a sealed case with its hash.
 *
 * The manifest is serialized as RFC 8785 canonical JSON (UTF-8); its hash is the plain digest of exactly those
 * bytes — what `sha256sum manifest.json` prints for the exported file — so anyone can reproduce it. That hash is
 * stored in `case_files` and carried by the `case.file-sealed` event of the audit chain.
 */
export const MANIFEST_FORMAT = 'rongcuo-case-file/1';
export const MANIFEST_PATH = 'manifest.json';
export const CASE_RECORD_PATH = 'case.json';
export const EVENTS_PATH = 'events.jsonl';

/**
 * Hash algorithms a case file may be sealed with. Only SHA-256 today; the `gm` crypto provider will add 'sm3'
 * (a 256-bit digest too, so the 64-hex columns still fit). Each item carries its digest under the algorithm's
 * name (`sha256`, later `sm3`); `sha256` is always present because it is also the item's address in the store.
 */
export const HASH_ALGORITHMS = ['sha256'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

export function isHashAlgorithm(value: unknown): value is HashAlgorithm {
  return typeof value === 'string' && (HASH_ALGORITHMS as readonly string[]).includes(value);
}

/** The one place that picks a hash function by name: lower-case hex digest of the bytes. */
export function digestHex(algorithm: HashAlgorithm, data: Buffer | string): string {
  switch (algorithm) {
    case 'sha256':
      return createHash('sha256').update(data).digest('hex');
    default: {
      const unknown: never = algorithm;
      throw new Error(`unsupported case-file hash algorithm "${String(unknown)}"`);
    }
  }
}

export const HEX_256 = /^[0-9a-f]{64}$/;

export type ManifestItemKind = 'document' | 'document-pdf' | 'evidence' | 'events' | 'case';

interface ItemBase {
  /** Where the item lies inside the exported zip (forward slashes, no `..`, unique ignoring case). */
  path: string;
  kind: ManifestItemKind;
  /** SHA-256 of the bytes (lower-case hex); also their address in the file store. */
  sha256: string;
  size: number;
}

export interface DocumentItem extends ItemBase {
  kind: 'document' | 'document-pdf';
  documentId: string;
  documentKind: string;
  version: number;
  number: string | null;
  mediaType: string;
}

export interface EvidenceItem extends ItemBase {
  kind: 'evidence';
  evidenceId: string;
  attachmentId: string;
  title: string;
  /** The name the file was uploaded under (cleaned), which the path may have had to alter. */
  filename: string;
  mediaType: string;
}

export interface EventsItem extends ItemBase {
  kind: 'events';
  count: number;
  mediaType: string;
}

export interface CaseRecordItem extends ItemBase {
  kind: 'case';
  mediaType: string;
}

export type ManifestItem = DocumentItem | EvidenceItem | EventsItem | CaseRecordItem;

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  caseId: string;
  caseTitle: string;
  organ: { id: string; name: string };
  official: { id: string; name: string };
  /** ISO 8601 UTC with milliseconds. */
  sealedAt: string;
  /** The user id of whoever closed (and so sealed) the case. */
  sealedBy: string;
  algorithm: HashAlgorithm;
  /**
   * events.jsonl holds the case's events up to and including this seq (a decimal string: seq is a bigint).
   * The sealing events themselves (`case.file-sealed`, and `case.closed` when the close command seals) come
   * after it, since they carry this manifest's hash.
   */
  eventsThroughSeq: string;
  items: ManifestItem[];
}

/** The manifest's exact text: RFC 8785 canonical JSON. */
export function serializeManifest(manifest: Manifest): string {
  return canonicalize(JSON.parse(JSON.stringify(manifest)) as unknown);
}

/** The manifest's own hash: the digest of its UTF-8 text, as sealed into `case_files` and the chain. */
export function manifestHash(text: string | Buffer, algorithm: HashAlgorithm = 'sha256'): string {
  return digestHex(algorithm, typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
}

/** An item's digest under the manifest's algorithm (its field named after the algorithm). */
export function itemDigest(item: ManifestItem, algorithm: HashAlgorithm): string | undefined {
  const value = (item as unknown as Record<string, unknown>)[algorithm];
  return typeof value === 'string' ? value : undefined;
}

export type ParsedManifest = { ok: true; manifest: Manifest } | { ok: false; reason: string };

/**
 * Reads a manifest back from its text, checking the shape verification relies on (not every meta field):
 * the format, the case id, a known algorithm and items with a path, a hex digest and a size.
 */
export function parseManifest(text: string): ParsedManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: '清单不是有效的 JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: '清单不是 JSON 对象' };
  const m = value as Record<string, unknown>;
  if (m.format !== MANIFEST_FORMAT) return { ok: false, reason: `清单格式不是 ${MANIFEST_FORMAT}` };
  if (typeof m.caseId !== 'string' || m.caseId === '') return { ok: false, reason: '清单缺少案件标识' };
  if (!isHashAlgorithm(m.algorithm)) return { ok: false, reason: `不支持的哈希算法“${String(m.algorithm)}”` };
  const algorithm = m.algorithm;
  if (!Array.isArray(m.items)) return { ok: false, reason: '清单缺少文件列表' };
  const seen = new Set<string>();
  for (const [i, raw] of m.items.entries()) {
    const item = raw as Record<string, unknown> | null;
    if (typeof item !== 'object' || item === null) return { ok: false, reason: `清单第 ${i + 1} 项不是对象` };
    if (typeof item.path !== 'string' || !isSafeZipPath(item.path)) return { ok: false, reason: `清单第 ${i + 1} 项的路径不正确` };
    if (item.path === MANIFEST_PATH) return { ok: false, reason: `清单第 ${i + 1} 项占用了清单自身的路径` };
    const key = pathKey(item.path);
    if (seen.has(key)) return { ok: false, reason: `清单中路径“${item.path}”重复` };
    seen.add(key);
    const digest = item[algorithm];
    if (typeof digest !== 'string' || !HEX_256.test(digest)) return { ok: false, reason: `清单第 ${i + 1} 项（${item.path}）缺少哈希值` };
    if (typeof item.size !== 'number' || !Number.isSafeInteger(item.size) || item.size < 0) {
      return { ok: false, reason: `清单第 ${i + 1} 项（${item.path}）的大小不正确` };
    }
  }
  return { ok: true, manifest: value as Manifest };
}

// --- Paths inside the zip ---------------------------------------------------------------------------------

/** Case- and normalization-insensitive key: two paths with the same key would collide when unpacked on Windows or macOS. */
export const pathKey = (zipPath: string): string => zipPath.normalize('NFC').toLowerCase();

/** Relative, forward slashes, no empty, `.` or `..` segment, no backslash or drive letter, no control characters. */
export function isSafeZipPath(zipPath: string): boolean {
  if (zipPath === '' || zipPath.length > 1024 || zipPath.startsWith('/') || zipPath.includes('\\')) return false;
  if (/[\u0000-\u001f\u007f]/.test(zipPath)) return false;
  return zipPath.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..' && !segment.includes(':'));
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;
const MAX_SEGMENT_CODE_POINTS = 120;

/**
 * A file name made safe as one path segment on every common system: the user's name where it can be kept,
 * with characters Windows refuses replaced, no leading dot (hidden) or trailing dot/space, no reserved device
 * name, and at most 120 characters (the extension kept).
 */
export function safeFilename(raw: string, fallback = 'file'): string {
  let name = cleanFilename(raw)
    .replace(/[<>:"/\\|?*]/g, '_')
    .replace(/[. ]+$/u, '')
    .replace(/^\.+/u, (dots) => '_'.repeat(dots.length));
  if (name === '' || /^_*$/u.test(name)) name = fallback;
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
  const points = [...name];
  if (points.length > MAX_SEGMENT_CODE_POINTS) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 ? [...name.slice(dot)] : [];
    const keepExt = ext.length > 0 && ext.length <= 16 ? ext : [];
    name = points.slice(0, MAX_SEGMENT_CODE_POINTS - keepExt.length).join('').replace(/[. ]+$/u, '') + keepExt.join('');
  }
  return name;
}

/** Hands out paths inside one zip, each unique ignoring case: a repeat becomes "name (2).ext", "name (3).ext"… */
export class PathAllocator {
  private readonly taken = new Set<string>();

  constructor(reserved: readonly string[] = []) {
    for (const p of reserved) this.taken.add(pathKey(p));
  }

  /** `dir` is trusted (built by the caller from ids); `filename` is a user's name and is made safe first. */
  allocate(dir: string, filename: string, fallback = 'file'): string {
    const safe = safeFilename(filename, fallback);
    const dot = safe.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [safe.slice(0, dot), safe.slice(dot)] : [safe, ''];
    for (let n = 1; ; n++) {
      const candidate = `${dir}/${n === 1 ? safe : `${stem} (${n})${ext}`}`;
      if (!this.taken.has(pathKey(candidate))) {
        this.taken.add(pathKey(candidate));
        return candidate;
      }
    }
  }

  /** A path the caller built entirely itself (no user input); refuses a collision rather than renaming. */
  reserve(zipPath: string): string {
    const key = pathKey(zipPath);
    if (this.taken.has(key) || !isSafeZipPath(zipPath)) throw new Error(`case-file path ${zipPath} is unsafe or taken`);
    this.taken.add(key);
    return zipPath;
  }
}
