import { crc32 } from 'node:zlib';
import { Deflate } from 'pako';
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
 * The exported case file, built whole in memory: `manifest.json` first, then every item at its path. Entries carry
 * the sealing time as their date, so exporting the same case twice gives the same archive. The export itself
 * streams (`planCaseFileZip`), writing these very bytes; this one stays as their reference and for small archives.
 */
export function buildCaseFileZip(manifestText: string, items: readonly ZipItem[], date: Date): Buffer {
  const zip = new PizZip();
  zip.file(MANIFEST_PATH, Buffer.from(manifestText, 'utf8'), { binary: true, date, compression: 'DEFLATE' });
  for (const item of items) {
    zip.file(item.path, item.bytes, { binary: true, date, compression: COMPRESSED.test(item.path) ? 'DEFLATE' : 'STORE' });
  }
  return zip.generate({ type: 'nodebuffer', platform: 'UNIX' });
}

/** An entry's content, read from its source each time it is opened (the streaming writer reads it twice). */
export interface ZipSource {
  path: string;
  open(): Promise<AsyncIterable<Uint8Array>> | AsyncIterable<Uint8Array>;
}

/** The content changed between the pass that measured it and the pass that wrote it: the archive written is broken. */
export class ZipSourceChangedError extends Error {
  constructor(readonly path: string) {
    super(`the content of ${path} changed while the case file was being written`);
    this.name = 'ZipSourceChangedError';
  }
}

/** The archive would need Zip64 (an entry or the whole over 4 GiB, or over 65,535 entries), which PizZip never wrote. */
export class ZipTooLargeError extends Error {
  constructor(detail: string) {
    super(`the case file is too large for a zip without Zip64: ${detail}`);
    this.name = 'ZipTooLargeError';
  }
}

interface PlannedEntry {
  source: ZipSource;
  name: Buffer;
  extra: Buffer;
  /** General purpose flags: bit 11 (UTF-8 names) for a name beyond ASCII. */
  flags: number;
  method: 0 | 8;
  crc32: number;
  size: number;
  compressedSize: number;
  offset: number;
}

/** A case-file archive measured and ready to be written, entry by entry, without holding any entry whole. */
export interface CaseFileZipPlan {
  /** Entries, the manifest included. */
  entryCount: number;
  /** The entries' uncompressed bytes, the manifest included. */
  contentBytes: number;
  /** The archive's exact length. */
  archiveBytes: number;
  /**
   * The archive's bytes, each source read a second time. When a source fails (its store finds its hash no longer
   * matches) or yields other bytes than it did when measured, the iteration fails: what was written is broken.
   */
  chunks(): AsyncGenerator<Buffer>;
}

const ZIP32_MAX = 0xffffffff;
// The manifest's, as PizZip writes it: UNIX "version made by", -rw-rw-r-- as the external attributes.
const VERSION_MADE_BY_UNIX = 0x031e;
const EXTERNAL_ATTRIBUTES = (0x81b4 << 16) >>> 0;

/** Streams the raw DEFLATE (pako, default level: PizZip's compressor) of `chunks`, with their CRC-32 and size. */
async function* deflated(chunks: AsyncIterable<Uint8Array>, totals: { crc32: number; size: number }): AsyncGenerator<Buffer> {
  const deflate = new Deflate({ raw: true, level: -1 });
  let out: Buffer[] = [];
  deflate.onData = (chunk) => out.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  const push = (data: Uint8Array, last: boolean) => {
    if (!deflate.push(data, last) && deflate.err) throw new Error(`deflate failed: ${deflate.msg}`);
    const ready = out;
    out = [];
    return ready;
  };
  for await (const chunk of chunks) {
    totals.crc32 = crc32(chunk, totals.crc32);
    totals.size += chunk.byteLength;
    yield* push(chunk, false);
  }
  yield* push(new Uint8Array(0), true);
}

/** An entry's stored bytes (raw or deflated) as they go into the archive; `totals` hold the uncompressed CRC-32 and size. */
async function* entryData(source: ZipSource, method: 0 | 8, totals: { crc32: number; size: number }): AsyncGenerator<Buffer> {
  const chunks = await source.open();
  if (method === 8) {
    yield* deflated(chunks, totals);
    return;
  }
  for await (const chunk of chunks) {
    totals.crc32 = crc32(chunk, totals.crc32);
    totals.size += chunk.byteLength;
    yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

/**
 * The same archive as `buildCaseFileZip`, byte for byte, for content read as streams. A zip written front to back
 * needs each entry's CRC-32 and compressed size in its local header, before its data (PizZip's layout has no data
 * descriptors): this first pass reads every source once and measures it — a source that fails (a missing or
 * damaged stored file) fails here, before a single byte of the archive exists. `chunks()` then reads each source
 * again and writes the archive.
 */
export async function planCaseFileZip(manifestText: string, sources: readonly ZipSource[], date: Date): Promise<CaseFileZipPlan> {
  const manifest = Buffer.from(manifestText, 'utf8');
  const all: ZipSource[] = [
    { path: MANIFEST_PATH, open: () => (async function* () { yield manifest; })() },
    ...sources,
  ];
  if (all.length > 0xffff) throw new ZipTooLargeError(`${all.length} entries`);
  const { time, day } = dosDateTime(date);
  const entries: PlannedEntry[] = [];
  let offset = 0;
  let contentBytes = 0;
  for (const source of all) {
    const name = Buffer.from(source.path, 'utf8');
    const unicode = name.length !== source.path.length;
    const extra = unicode ? unicodePathField(name) : Buffer.alloc(0);
    const totals = { crc32: 0, size: 0 };
    let compressedSize = 0;
    let method: 0 | 8 = source.path === MANIFEST_PATH || COMPRESSED.test(source.path) ? 8 : 0;
    for await (const chunk of entryData(source, method, totals)) compressedSize += chunk.length;
    // PizZip stores an empty entry, with a zero CRC.
    if (totals.size === 0) {
      method = 0;
      compressedSize = 0;
    }
    if (totals.size > ZIP32_MAX || compressedSize > ZIP32_MAX) throw new ZipTooLargeError(`${source.path} holds ${totals.size} bytes`);
    entries.push({ source, name, extra, flags: unicode ? 0x0800 : 0, method, crc32: totals.crc32, size: totals.size, compressedSize, offset });
    offset += 30 + name.length + extra.length + compressedSize;
    contentBytes += totals.size;
  }
  const centralOffset = offset;
  const centralSize = entries.reduce((sum, e) => sum + 46 + e.name.length + e.extra.length, 0);
  if (centralOffset > ZIP32_MAX) throw new ZipTooLargeError(`${centralOffset} bytes of entries`);
  const archiveBytes = centralOffset + centralSize + 22;

  const common = (e: PlannedEntry) => {
    const header = Buffer.alloc(26);
    header.writeUInt16LE(10, 0); // version needed to extract: 1.0
    header.writeUInt16LE(e.flags, 2);
    header.writeUInt16LE(e.method, 4);
    header.writeUInt16LE(time, 6);
    header.writeUInt16LE(day, 8);
    header.writeUInt32LE(e.crc32 >>> 0, 10);
    header.writeUInt32LE(e.compressedSize, 14);
    header.writeUInt32LE(e.size, 18);
    header.writeUInt16LE(e.name.length, 22);
    header.writeUInt16LE(e.extra.length, 24);
    return header;
  };

  return {
    entryCount: entries.length,
    contentBytes,
    archiveBytes,
    async *chunks() {
      for (const e of entries) {
        yield Buffer.concat([signature(0x04034b50), common(e), e.name, e.extra]);
        const totals = { crc32: 0, size: 0 };
        let compressedSize = 0;
        if (e.size === 0) {
          for await (const chunk of entryData(e.source, 0, totals)) if (chunk.length > 0) throw new ZipSourceChangedError(e.source.path);
        } else {
          for await (const chunk of entryData(e.source, e.method, totals)) {
            compressedSize += chunk.length;
            // Never more bytes than the header announced: the entries after it would land at the wrong offsets.
            if (compressedSize > e.compressedSize) throw new ZipSourceChangedError(e.source.path);
            yield chunk;
          }
        }
        if (totals.size !== e.size || totals.crc32 !== e.crc32 || (e.size > 0 && compressedSize !== e.compressedSize)) {
          throw new ZipSourceChangedError(e.source.path);
        }
      }
      const central: Buffer[] = [];
      for (const e of entries) {
        const madeBy = Buffer.alloc(2);
        madeBy.writeUInt16LE(VERSION_MADE_BY_UNIX);
        // Comment length, disk number start and internal attributes (all zero), external attributes, offset.
        const tail = Buffer.alloc(14);
        tail.writeUInt32LE(EXTERNAL_ATTRIBUTES, 6);
        tail.writeUInt32LE(e.offset, 10);
        central.push(signature(0x02014b50), madeBy, common(e), tail, e.name, e.extra);
      }
      const end = Buffer.alloc(22);
      end.writeUInt32LE(0x06054b50, 0);
      end.writeUInt16LE(entries.length, 8);
      end.writeUInt16LE(entries.length, 10);
      end.writeUInt32LE(centralSize, 12);
      end.writeUInt32LE(centralOffset, 16);
      central.push(end);
      yield Buffer.concat(central);
    },
  };
}

const signature = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
};

/** MS-DOS time and date in the server's local time zone, as PizZip writes them (seconds halved). */
function dosDateTime(date: Date): { time: number; day: number } {
  const time = (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2);
  const day = ((date.getFullYear() - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate();
  return { time: time & 0xffff, day: day & 0xffff };
}

/** Info-ZIP Unicode Path extra field (0x7075): version 1, the CRC-32 of the header's name, the UTF-8 name. */
function unicodePathField(name: Buffer): Buffer {
  const field = Buffer.alloc(4 + 5 + name.length);
  field.writeUInt16LE(0x7075, 0);
  field.writeUInt16LE(5 + name.length, 2);
  field.writeUInt8(1, 4);
  field.writeUInt32LE(crc32(name) >>> 0, 5);
  name.copy(field, 9);
  return field;
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
