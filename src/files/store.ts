import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isEnvelope, type SecretBox } from '../crypto/envelope.js';

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

export interface LocalFileStoreOptions {
  /**
   * Encrypts every file at rest (an envelope per file: its own data key, wrapped by the key-encryption key).
   * Files written before encryption was switched on stay readable and are sealed by `sealAll`.
   */
  cipher?: SecretBox;
}

/**
 * Files on local disk at `<root>/<first two hex digits>/<sha256>`: server-generated names only (never the
 * user's file name), sharded so no directory grows unbounded. The name is the hash of the plaintext; with a
 * cipher the bytes on disk are its envelope, the name bound in as associated data, so a file copied under
 * another name fails to open.
 */
export class LocalFileStore implements FileStore {
  private readonly cipher: SecretBox | undefined;

  constructor(
    readonly rootDir: string,
    options: LocalFileStoreOptions = {},
  ) {
    this.cipher = options.cipher;
  }

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
        await handle.writeFile(this.cipher ? this.cipher.seal(bytes, objectIdOf(sha256)) : bytes);
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
    let stored: Buffer;
    try {
      stored = await readFile(target);
    } catch (error) {
      if (isNotFound(error)) throw new FileMissingError(sha256);
      throw error;
    }
    const bytes = this.plaintextOf(sha256, stored);
    const actual = bytes ? sha256Hex(bytes) : 'an envelope that does not open';
    if (!bytes || actual !== sha256) throw new FileIntegrityError(sha256, actual);
    return bytes;
  }

  /**
   * Seals every file still stored in plaintext and re-wraps every envelope under the current key-encryption
   * key (after a rotation). Each file is replaced atomically, so readers and writers go on meanwhile.
   */
  async sealAll(): Promise<{ sealed: number; rewrapped: number; unchanged: number }> {
    const cipher = this.cipher;
    if (!cipher) throw new Error('this store has no cipher');
    const counts = { sealed: 0, rewrapped: 0, unchanged: 0 };
    for (const name of await this.names()) {
      const target = this.pathOf(name);
      const stored = await readFile(target);
      let next: Buffer;
      if (isEnvelope(stored) && this.plaintextOf(name, stored) !== undefined && sha256Hex(stored) !== name) {
        next = cipher.rewrap(stored, objectIdOf(name));
        if (next === stored) {
          counts.unchanged += 1;
          continue;
        }
        counts.rewrapped += 1;
      } else if (sha256Hex(stored) === name) {
        next = cipher.seal(stored, objectIdOf(name));
        counts.sealed += 1;
      } else {
        throw new FileIntegrityError(name, sha256Hex(stored));
      }
      await this.replace(target, next);
    }
    return counts;
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** The key-encryption keys the stored envelopes are wrapped under (a key may be retired when none uses it). */
  async kekIdsInUse(): Promise<Set<string>> {
    const ids = new Set<string>();
    if (!this.cipher) return ids;
    for (const name of await this.names()) {
      const stored = await readFile(this.pathOf(name));
      if (isEnvelope(stored) && sha256Hex(stored) !== name) ids.add(this.cipher.kekIdOf(stored));
    }
    return ids;
  }

  private async names(): Promise<string[]> {
    const names: string[] = [];
    for (const shard of await readdir(this.rootDir).catch(() => [] as string[])) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of await readdir(path.join(this.rootDir, shard))) if (isSha256Hex(name)) names.push(name);
    }
    return names;
  }

  private async holdsIntact(target: string, sha256: string): Promise<boolean> {
    try {
      const stored = await readFile(target);
      const bytes = this.plaintextOf(sha256, stored);
      // A plaintext copy is replaced by a sealed one once the store encrypts.
      return bytes !== undefined && sha256Hex(bytes) === sha256 && (!this.cipher || bytes !== stored);
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** The file's plaintext: opened when it is an envelope, as stored when it predates encryption. */
  private plaintextOf(sha256: string, stored: Buffer): Buffer | undefined {
    if (this.cipher && isEnvelope(stored)) {
      try {
        return this.cipher.open(stored, objectIdOf(sha256));
      } catch {
        // A plaintext file may begin with the magic by chance: its own hash decides.
        return sha256Hex(stored) === sha256 ? stored : undefined;
      }
    }
    return stored;
  }

  private async replace(target: string, bytes: Buffer): Promise<void> {
    const temp = path.join(path.dirname(target), `.tmp-${path.basename(target)}-${randomBytes(8).toString('hex')}`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
    await syncDirectory(path.dirname(target));
  }
}

const objectIdOf = (sha256: string) => `file:${sha256}`;
