import { randomBytes } from 'node:crypto';
import { link, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { SecretBox } from '../crypto/envelope.js';
import { providerFor } from '../crypto/index.js';
import { CryptoIntegrityError, KEY_BYTES, PROVIDER_NAMES, type CryptoProvider, type ProviderName } from '../crypto/provider.js';
import { BackupCheckError, BackupInputError } from './errors.js';

/**
 * The backup archive: one file, encrypted and authenticated as a whole, written and read as a stream.
 *
 *   "RONGCUO-BACKUP\n" | format version (1 byte) | header length (4, BE) | header (JSON, UTF-8)
 *   then chunks:  sealed length (4, BE) | sealed chunk
 *
 * The header holds the archive's random id, the provider, the chunk size and the archive's data key as a
 * SecretBox envelope (wrapped by the key-encryption key in the key file, the archive id bound in). The header is
 * plaintext but not trusted on its own: its hash is part of every chunk's associated data, so a changed header
 * fails at the first chunk.
 *
 * Each chunk is `provider.seal(dataKey, plaintext, aad)` with
 *   aad = "rongcuo backup chunk\0" ‖ H(header) ‖ chunk index (8, BE) ‖ final (1 byte: 1 on the last chunk, else 0)
 * so a flipped byte fails the chunk's tag, moved or swapped chunks fail their index, a file cut at a chunk
 * boundary fails because the last chunk it ends on was not sealed as final, and bytes after the final chunk are
 * refused (the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár). One data key per archive, a fresh
 * random IV per chunk from the provider.
 *
 * Inside, the plaintext is a sequence of records, independent of chunk boundaries:
 *   kind (1 byte, ASCII) | body length (4, BE) | body
 */
const MAGIC = Buffer.from('RONGCUO-BACKUP\n', 'ascii');
export const ARCHIVE_FORMAT_VERSION = 1;
const PREFIX_BYTES = MAGIC.length + 1 + 4;
const MAX_HEADER_BYTES = 64 * 1024;
/** Plaintext bytes per chunk: large enough that the tag and framing cost nothing, small enough to stream. */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;
const MIN_CHUNK_BYTES = 1024;
const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
/** The most any provider adds to a sealed chunk (gm: 16-byte IV + 32-byte tag; intl: 12 + 16), with room to spare. */
const MAX_SEAL_OVERHEAD = 256;
/** No record we write comes near this; a larger length means a damaged stream, not an allocation to attempt. */
const MAX_RECORD_BYTES = 512 * 1024 * 1024;
const CHUNK_AAD_DOMAIN = Buffer.from('rongcuo backup chunk\0', 'utf8');

export type RecordKind =
  /** A table begins: {name, columns}. */
  | 'T'
  /** A batch of that table's rows, in primary-key order: JSON array of rows, each an array of text or null. */
  | 'R'
  /** The table ends: {name, rows, hash}. */
  | 'E'
  /** A stored file begins: {sha256, size}. */
  | 'F'
  /** Part of that file's plaintext (raw bytes). */
  | 'D'
  /** The file ends (empty body). */
  | 'G'
  /** The manifest, last (JSON). */
  | 'M';
const RECORD_KINDS = new Set<string>(['T', 'R', 'E', 'F', 'D', 'G', 'M']);

const headerSchema = z.strictObject({
  archiveId: z.string().regex(/^[0-9a-f]{32}$/),
  provider: z.enum(PROVIDER_NAMES),
  chunkSize: z.number().int().min(MIN_CHUNK_BYTES).max(MAX_CHUNK_BYTES),
  keyEnvelope: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/),
});

export interface ArchiveHeader {
  archiveId: string;
  provider: ProviderName;
  chunkSize: number;
  /** The key-encryption key that wraps the archive's data key (its id in the key file). */
  kekId: string;
}

// The data key's envelope is bound to this archive: an envelope lifted into another archive's header fails.
const keyObjectId = (archiveId: string) => `backup:${archiveId}`;

function chunkAad(headerHash: Buffer, index: number, final: boolean): Buffer {
  const position = Buffer.alloc(9);
  position.writeBigUInt64BE(BigInt(index));
  position[8] = final ? 1 : 0;
  return Buffer.concat([CHUNK_AAD_DOMAIN, headerHash, position]);
}

function encodeHeader(header: z.infer<typeof headerSchema>): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(PREFIX_BYTES);
  MAGIC.copy(prefix, 0);
  prefix[MAGIC.length] = ARCHIVE_FORMAT_VERSION;
  prefix.writeUInt32BE(json.length, MAGIC.length + 1);
  return Buffer.concat([prefix, json]);
}

export function frameRecord(kind: RecordKind, body: Buffer): Buffer[] {
  const head = Buffer.alloc(5);
  head.write(kind, 0, 'ascii');
  head.writeUInt32BE(body.length, 1);
  return [head, body];
}

/**
 * Writes an archive to a temporary file beside the target, flushed and then linked into place, so that the
 * target name only ever holds a complete archive and an existing file is never overwritten.
 */
export class ArchiveWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private index = 0;
  private written: number;
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    private readonly temp: string,
    readonly target: string,
    private readonly provider: CryptoProvider,
    private readonly dataKey: Buffer,
    private readonly headerHash: Buffer,
    private readonly chunkSize: number,
    headerBytes: number,
    readonly header: ArchiveHeader,
  ) {
    this.written = headerBytes;
  }

  static async create(target: string, secrets: SecretBox, options: { chunkSize?: number } = {}): Promise<ArchiveWriter> {
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_BYTES;
    if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK_BYTES || chunkSize > MAX_CHUNK_BYTES) {
      throw new RangeError(`chunk size must be ${MIN_CHUNK_BYTES}–${MAX_CHUNK_BYTES} bytes`);
    }
    const provider = secrets.provider;
    const archiveId = provider.random(16).toString('hex');
    const dataKey = provider.random(KEY_BYTES);
    const keyEnvelope = secrets.seal(dataKey, keyObjectId(archiveId));
    const headerBytes = encodeHeader({ archiveId, provider: provider.name, chunkSize, keyEnvelope: keyEnvelope.toString('base64') });
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.partial-${randomBytes(6).toString('hex')}`);
    // The archive holds every record of the system, if encrypted: readable by its owner only.
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.write(headerBytes);
    } catch (error) {
      await handle.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    const header: ArchiveHeader = { archiveId, provider: provider.name, chunkSize, kekId: secrets.kekIdOf(keyEnvelope) };
    return new ArchiveWriter(handle, temp, target, provider, dataKey, provider.hash(headerBytes), chunkSize, headerBytes.length, header);
  }

  async record(kind: RecordKind, body: Buffer): Promise<void> {
    for (const part of frameRecord(kind, body)) await this.append(part);
  }

  async json(kind: RecordKind, value: unknown): Promise<void> {
    await this.record(kind, Buffer.from(JSON.stringify(value), 'utf8'));
  }

  private async append(bytes: Buffer): Promise<void> {
    if (bytes.length === 0) return;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    // Strictly more than a chunk: the last chunk must wait for finish(), which alone knows it is final.
    while (this.pendingBytes > this.chunkSize) {
      const all = Buffer.concat(this.pending, this.pendingBytes);
      await this.seal(all.subarray(0, this.chunkSize), false);
      const rest = Buffer.from(all.subarray(this.chunkSize));
      this.pending = [rest];
      this.pendingBytes = rest.length;
    }
  }

  private async seal(plaintext: Buffer, final: boolean): Promise<void> {
    const sealed = this.provider.seal(this.dataKey, plaintext, chunkAad(this.headerHash, this.index, final));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(sealed.length);
    await this.handle.write(length);
    await this.handle.write(sealed);
    this.written += 4 + sealed.length;
    this.index += 1;
  }

  /** Seals the final chunk, flushes, and puts the archive under its name. Returns its size and chunk count. */
  async finish(): Promise<{ bytes: number; chunks: number }> {
    await this.seal(Buffer.concat(this.pending, this.pendingBytes), true);
    this.pending = [];
    await this.handle.sync();
    await this.handle.close();
    this.closed = true;
    try {
      await this.placeUnderTarget();
    } catch (error) {
      await unlink(this.temp).catch(() => undefined);
      throw error;
    }
    await syncDirectory(path.dirname(this.target));
    return { bytes: this.written, chunks: this.index };
  }

  private async placeUnderTarget(): Promise<void> {
    const exists = () => new BackupInputError(`备份文件 ${this.target} 已存在，不会覆盖`, `${this.target} already exists; not overwritten`);
    try {
      // link() refuses an existing name where rename() would silently replace it: a backup never overwrites.
      await link(this.temp, this.target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw exists();
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
      // A file system without hard links: the next best thing, a check and then the rename.
      if (await stat(this.target).then(() => true, () => false)) throw exists();
      await rename(this.temp, this.target);
      return;
    }
    await unlink(this.temp);
  }

  /** Throws the partial archive away. */
  async abort(): Promise<void> {
    if (!this.closed) await this.handle.close().catch(() => undefined);
    this.closed = true;
    await unlink(this.temp).catch(() => undefined);
  }
}

async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** An archive opened for reading: the header is parsed and its data key unwrapped; chunks are read on demand. */
export class ArchiveReader {
  private constructor(
    private readonly handle: FileHandle,
    private readonly size: number,
    private readonly start: number,
    private readonly provider: CryptoProvider,
    private readonly dataKey: Buffer,
    private readonly headerHash: Buffer,
    readonly header: ArchiveHeader,
  ) {}

  static async open(file: string, secrets: SecretBox, keyFile = 'the key file'): Promise<ArchiveReader> {
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new BackupInputError(`无法读取备份文件 ${file}：${code}`, `cannot read ${file}: ${code}`);
    }
    try {
      const size = (await handle.stat()).size;
      const prefix = await readExactly(handle, 0, PREFIX_BYTES, size);
      if (!prefix || !prefix.subarray(0, MAGIC.length).equals(MAGIC)) {
        throw new BackupInputError(`${file} 不是容错纠错平台的备份文件（开头的标识不符）`, `${file} is not a Rongcuo backup archive`);
      }
      const version = prefix[MAGIC.length]!;
      if (version !== ARCHIVE_FORMAT_VERSION) {
        throw new BackupInputError(`备份格式版本 ${version} 不受本程序支持（本程序读取版本 ${ARCHIVE_FORMAT_VERSION}）`, `unsupported archive format version ${version}`);
      }
      const headerLength = prefix.readUInt32BE(MAGIC.length + 1);
      const json = headerLength <= MAX_HEADER_BYTES ? await readExactly(handle, PREFIX_BYTES, headerLength, size) : undefined;
      if (!json) throw damaged('备份文件头不完整或长度异常', 'the archive header is truncated or has an impossible length');
      let parsed: z.infer<typeof headerSchema>;
      try {
        parsed = headerSchema.parse(JSON.parse(json.toString('utf8')));
      } catch {
        throw damaged('备份文件头已损坏', 'the archive header is damaged');
      }
      const envelope = Buffer.from(parsed.keyEnvelope, 'base64');
      let kekId: string;
      try {
        kekId = secrets.kekIdOf(envelope);
      } catch {
        throw damaged('备份文件头已损坏：数据密钥的封装无法解析', 'the archive data key envelope is damaged');
      }
      if (!secrets.keyring.key(kekId)) {
        throw new BackupInputError(
          `备份的数据密钥由密钥加密密钥“${kekId}”封装，但密钥文件 ${keyFile} 中没有这把密钥：请使用备份时的密钥文件（可用 RONGCUO_KEK_FILE 指定）`,
          `the archive's data key is wrapped by key "${kekId}", which ${keyFile} does not hold`,
        );
      }
      let dataKey: Buffer;
      try {
        dataKey = secrets.open(envelope, keyObjectId(parsed.archiveId));
      } catch (error) {
        if (!(error instanceof CryptoIntegrityError)) throw error;
        throw damaged('备份文件头未通过完整性校验：数据密钥无法解开（文件被改动或损坏）', 'the archive data key fails its integrity check');
      }
      if (dataKey.length !== KEY_BYTES) throw damaged('备份文件头已损坏：数据密钥长度不符', 'the archive data key has the wrong length');
      const provider = providerFor(parsed.provider);
      const headerBytes = Buffer.concat([prefix, json]);
      const header: ArchiveHeader = { archiveId: parsed.archiveId, provider: parsed.provider, chunkSize: parsed.chunkSize, kekId };
      return new ArchiveReader(handle, size, headerBytes.length, provider, dataKey, provider.hash(headerBytes), header);
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  /**
   * The plaintext chunks in order, each authenticated before it is yielded. Whether a chunk must be the final
   * one follows from where it ends (at the end of the file or not); when the tag fails under that expectation,
   * the other one is tried only to tell the operator what happened (cut short, or extra bytes appended).
   */
  async *chunks(): AsyncGenerator<Buffer> {
    let position = this.start;
    let index = 0;
    const maxSealed = this.header.chunkSize + MAX_SEAL_OVERHEAD;
    for (;;) {
      if (position === this.size) {
        throw damaged(`备份文件不完整：在第 ${index} 块之后被截断（没有末块）`, `the archive is truncated after chunk ${index}: its final chunk is missing`);
      }
      const lengthBytes = await readExactly(this.handle, position, 4, this.size);
      if (!lengthBytes) throw damaged(`备份文件不完整：第 ${index + 1} 块被截断`, `the archive is truncated inside chunk ${index + 1}`);
      const length = lengthBytes.readUInt32BE(0);
      if (length > maxSealed) {
        throw damaged(`备份文件第 ${index + 1} 块的长度异常：文件被改动或损坏`, `chunk ${index + 1} has an impossible length`);
      }
      const sealed = await readExactly(this.handle, position + 4, length, this.size);
      if (!sealed) throw damaged(`备份文件不完整：第 ${index + 1} 块被截断`, `the archive is truncated inside chunk ${index + 1}`);
      position += 4 + length;
      const endsFile = position === this.size;
      const plaintext = this.tryOpen(sealed, index, endsFile);
      if (!plaintext) {
        if (this.tryOpen(sealed, index, !endsFile)) {
          throw endsFile
            ? damaged(`备份文件不完整：在第 ${index + 1} 块之后被截断（该块不是末块）`, `the archive is truncated after chunk ${index + 1}, which is not its final chunk`)
            : damaged(`备份文件在末块（第 ${index + 1} 块）之后还有多余的数据`, `the archive has extra bytes after its final chunk ${index + 1}`);
        }
        throw damaged(
          `备份文件第 ${index + 1} 块未通过完整性校验：文件被改动、损坏，或块的顺序被调换`,
          `chunk ${index + 1} fails its integrity check (altered, damaged or reordered)`,
        );
      }
      yield plaintext;
      index += 1;
      if (endsFile) return;
    }
  }

  /** The records of the archive in order (see RecordKind); every byte was authenticated before it is parsed. */
  async *records(): AsyncGenerator<{ kind: RecordKind; body: Buffer }> {
    let buffer: Buffer = Buffer.alloc(0);
    for await (const chunk of this.chunks()) {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      let at = 0;
      while (buffer.length - at >= 5) {
        const kind = String.fromCharCode(buffer[at]!);
        const length = buffer.readUInt32BE(at + 1);
        if (!RECORD_KINDS.has(kind) || length > MAX_RECORD_BYTES) throw damaged('备份内容无法解析：记录类型或长度异常', 'an archive record has an unknown kind or impossible length');
        if (buffer.length - at - 5 < length) break;
        yield { kind: kind as RecordKind, body: buffer.subarray(at + 5, at + 5 + length) };
        at += 5 + length;
      }
      // Copied, so a small remainder does not keep the whole chunk alive.
      buffer = at === 0 ? buffer : Buffer.from(buffer.subarray(at));
    }
    if (buffer.length > 0) throw damaged('备份内容不完整：最后一条记录被截断', 'the last archive record is incomplete');
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }

  private tryOpen(sealed: Buffer, index: number, final: boolean): Buffer | undefined {
    try {
      return this.provider.open(this.dataKey, sealed, chunkAad(this.headerHash, index, final));
    } catch (error) {
      if (error instanceof CryptoIntegrityError) return undefined;
      throw error;
    }
  }
}

const damaged = (message: string, messageEn: string) => new BackupCheckError(message, messageEn);

async function readExactly(handle: FileHandle, position: number, length: number, size: number): Promise<Buffer | undefined> {
  if (position + length > size) return undefined;
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) return undefined;
    done += bytesRead;
  }
  return buffer;
}

/** Byte offsets of the chunks (for tests that cut, swap or flip them): [start of length field, end) per chunk. */
export async function chunkOffsets(file: string): Promise<Array<[number, number]>> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const prefix = (await readExactly(handle, 0, PREFIX_BYTES, size))!;
    let position = PREFIX_BYTES + prefix.readUInt32BE(MAGIC.length + 1);
    const offsets: Array<[number, number]> = [];
    while (position + 4 <= size) {
      const length = (await readExactly(handle, position, 4, size))!.readUInt32BE(0);
      offsets.push([position, position + 4 + length]);
      position += 4 + length;
    }
    return offsets;
  } finally {
    await handle.close();
  }
}
