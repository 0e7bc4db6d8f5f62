import PizZip from 'pizzip';
import { MANIFEST_PATH } from './manifest.js';

export interface ZipItem {
  path: string;
  bytes: Buffer;
}

// Text compresses well; documents, PDFs and images mostly do not, and kept uncompressed their bytes in the zip
// are the very bytes that were sealed.
const COMPRESSED = /\.(json|jsonl|txt|csv|xml)$/i;

/**
 * The exported case file: `manifest.json` first, then every item at its path. Entries carry the sealing time as
 * their date, so exporting the same case twice gives the same archive.
 */
export function buildCaseFileZip(manifestText: string, items: readonly ZipItem[], date: Date): Buffer {
  const zip = new PizZip();
  zip.file(MANIFEST_PATH, Buffer.from(manifestText, 'utf8'), { binary: true, date, compression: 'DEFLATE' });
  for (const item of items) {
    zip.file(item.path, item.bytes, { binary: true, date, compression: COMPRESSED.test(item.path) ? 'DEFLATE' : 'STORE' });
  }
  return zip.generate({ type: 'nodebuffer', platform: 'UNIX' });
}

export interface ZipEntry {
  path: string;
  /** The entry's bytes, or why they cannot be read (a corrupted compressed stream). */
  read(): { ok: true; bytes: Buffer } | { ok: false; reason: string };
}

export interface OpenedZip {
  /** File entries by name (directories left out). */
  entries: Map<string, ZipEntry>;
  /** Names that occur more than once in the central directory: unpacking tools disagree which copy wins. */
  duplicates: string[];
}

export class NotAZipError extends Error {
  constructor(detail: string) {
    super(`不是有效的 zip 文件：${detail}`);
    this.name = 'NotAZipError';
  }
}

/** Opens a zip for verification. CRC checks are off on purpose: an altered entry must be read and named, not abort the whole check. */
export function openZip(buffer: Buffer): OpenedZip {
  let zip: PizZip;
  try {
    zip = new PizZip(buffer, { checkCRC32: false });
  } catch (error) {
    throw new NotAZipError(error instanceof Error ? error.message : String(error));
  }
  const entries = new Map<string, ZipEntry>();
  for (const [name, file] of Object.entries(zip.files)) {
    if (file.dir) continue;
    entries.set(name, {
      path: name,
      read: () => {
        try {
          return { ok: true, bytes: Buffer.from(file.asNodeBuffer()) };
        } catch (error) {
          return { ok: false, reason: error instanceof Error ? error.message : String(error) };
        }
      },
    });
  }
  return { entries, duplicates: duplicateNames(buffer) };
}

/**
 * Names listed twice in the central directory. PizZip keeps one entry per name, so a second entry of the same
 * name (appended by someone hoping another tool extracts it instead) would go unseen without this walk.
 */
function duplicateNames(buffer: Buffer): string[] {
  const EOCD = 0x06054b50;
  const CENTRAL = 0x02014b50;
  let eocd = -1;
  for (let i = buffer.length - 22; i >= Math.max(0, buffer.length - 22 - 0xffff); i--) {
    if (buffer.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return [];
  const count = buffer.readUInt16LE(eocd + 10);
  let offset = buffer.readUInt32LE(eocd + 16);
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (let i = 0; i < count; i++) {
    if (offset + 46 > buffer.length || buffer.readUInt32LE(offset) !== CENTRAL) break;
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    const name = buffer.subarray(offset + 46, offset + 46 + nameLength).toString('utf8');
    if (seen.has(name)) duplicates.add(name);
    seen.add(name);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return [...duplicates];
}
