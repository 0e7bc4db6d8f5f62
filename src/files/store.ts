import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

/** A stored file, named by its content. */
export interface StoredFile {
  sha256: string;
  size: number;
}

/**
 * Where attachment bytes live, addressed by their SHA-256 (lower-case hex). Kept this small so that a second
 * driver (S3-compatible object storage) only has to implement these three calls. Contract for every driver:
 * `put` is idempotent for the same content; `get` never returns bytes whose hash differs from their name.
 */
export interface FileStore {
  put(bytes: Buffer): Promise<StoredFile>;
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
}

/** The store holds no file by that name (lost or never written): a data-loss incident, not a user error. */
export class FileMissingError extends Error {
  constructor(readonly sha256: string) {
    super(`stored file ${sha256} is missing`);
    this.name = 'FileMissingError';
  }
}

/** The bytes under this name no longer hash to it (corruption or tampering): never served. */
export class FileIntegrityError extends Error {
  constructor(
    readonly sha256: string,
    readonly actual: string,
  ) {
    super(`stored file ${sha256} fails its hash check (content hashes to ${actual})`);
    this.name = 'FileIntegrityError';
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value);
}

function assertSha256(sha256: string): void {
  // Names reach the file system: only exact hex digests, so no path can be smuggled in.
  if (!SHA256_HEX.test(sha256)) throw new TypeError('not a SHA-256 hex digest');
}

const isNotFound = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

/** fsync a directory so that a rename or a new entry in it survives a crash. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    // Windows cannot open or fsync a directory; everywhere else a failure here is real.
    if (process.platform !== 'win32') throw error;
  }
}

/**
 * Files on local disk at `<root>/<first two hex digits>/<sha256>`: server-generated names only (never the
 * user's file name), sharded so no directory grows unbounded.
 */
export class LocalFileStore implements FileStore {
  constructor(readonly rootDir: string) {}

  pathOf(sha256: string): string {
    assertSha256(sha256);
    return path.join(this.rootDir, sha256.slice(0, 2), sha256);
  }

  async put(bytes: Buffer): Promise<StoredFile> {
    const sha256 = sha256Hex(bytes);
    const target = this.pathOf(sha256);
    // Same content, same name: an intact copy is already the answer. A damaged one is replaced below.
    if (await this.holdsIntact(target, sha256)) return { sha256, size: bytes.length };

    const dir = path.dirname(target);
    // Case files: readable by the server's own user only.
    const created = await mkdir(dir, { recursive: true, mode: 0o700 });
    if (created !== undefined) {
      // New directories are entries in their parents: flush those too, or a crash could lose the shard.
      for (const parent of new Set([path.dirname(created), this.rootDir])) await syncDirectory(parent);
    }
    // Written under a temporary name, flushed, then renamed: readers see the whole file or none of it, and
    // a crash leaves at most a stray temporary file, never a truncated file under a valid name.
    const temp = path.join(dir, `.tmp-${sha256}-${randomBytes(8).toString('hex')}`);
    try {
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dir);
    return { sha256, size: bytes.length };
  }

  async get(sha256: string): Promise<Buffer> {
    const target = this.pathOf(sha256);
    let bytes: Buffer;
    try {
      bytes = await readFile(target);
    } catch (error) {
      if (isNotFound(error)) throw new FileMissingError(sha256);
      throw error;
    }
    const actual = sha256Hex(bytes);
    if (actual !== sha256) throw new FileIntegrityError(sha256, actual);
    return bytes;
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  private async holdsIntact(target: string, sha256: string): Promise<boolean> {
    try {
      return sha256Hex(await readFile(target)) === sha256;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }
}
