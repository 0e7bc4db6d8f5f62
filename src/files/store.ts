import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat, unlink, utimes, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { isEnvelope, type SecretBox } from '../crypto/envelope.js';

/** How much a streaming read (`FileStore.read`) reads at a time. */
const READ_CHUNK = 64 * 1024;

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
  /**
   * The file's bytes as a stream of chunks, for files too large to hold whole (the case-file export). Its hash is
   * checked as the chunks pass, and the last chunk is handed out only once the whole content has matched its
   * name: on a mismatch the iteration fails with FileIntegrityError instead, so a reader never receives all the
   * bytes of a damaged file — whatever it wrote from them is incomplete, never complete and wrong. A reader that
   * must not pass on a single byte of a damaged file reads it through once first (as the export does).
   * FileMissingError, when there is no such file, comes from the call itself, before any chunk.
   */
  read(sha256: string): Promise<AsyncIterable<Buffer>>;
}

/** A stored file as the orphan sweep sees it: its name and when its content was last written or reused. */
export interface StoredName {
  sha256: string;
  modifiedAt: Date;
}

/** A temporary file a `put` (or a re-seal) writes before renaming it into place; `name` is `<shard>/<file>`. */
export interface TemporaryFile {
  name: string;
  modifiedAt: Date;
}

/** What `removeIfOlderThan` did: removed; kept because it was used at or after the cutoff; gone already. */
export type RemovalOutcome = 'removed' | 'young' | 'missing';

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

/** Prefix of the temporary files `put` and `replace` write before renaming them into place. */
const TEMP_PREFIX = '.tmp-';
/** Prefix under which the orphan sweep sets a file aside for the instant it takes to decide on it. */
const ASIDE_PREFIX = '.aside-';
const SHARD = /^[0-9a-f]{2}$/;
const ASIDE_NAME = /^\.aside-([0-9a-f]{64})-[0-9a-f]{16}$/;

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
    // The reused copy is touched: the orphan sweep (sweep.ts) judges a file's age by its modification time,
    // and an old orphan whose content a transaction in flight has just reused is in use again, so it must
    // look as young as a new file. If the sweep took the copy away in the meantime, it is written again.
    if ((await this.holdsIntact(target, sha256)) && (await touch(target))) return { sha256, size: bytes.length };

    const dir = path.dirname(target);
    // Case files: readable by the server's own user only.
    const created = await mkdir(dir, { recursive: true, mode: 0o700 });
    if (created !== undefined) {
      // New directories are entries in their parents: flush those too, or a crash could lose the shard.
      for (const parent of new Set([path.dirname(created), this.rootDir])) await syncDirectory(parent);
    }
    // Written under a temporary name, flushed, then renamed: readers see the whole file or none of it, and
    // a crash leaves at most a stray temporary file, never a truncated file under a valid name.
    const temp = path.join(dir, `${TEMP_PREFIX}${sha256}-${randomBytes(8).toString('hex')}`);
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

  async read(sha256: string): Promise<AsyncIterable<Buffer>> {
    const target = this.pathOf(sha256);
    let handle: FileHandle;
    try {
      handle = await open(target, 'r');
    } catch (error) {
      if (isNotFound(error)) throw new FileMissingError(sha256);
      throw error;
    }
    try {
      if (this.cipher) {
        const head = Buffer.alloc(ENVELOPE_MAGIC_LENGTH + 1);
        const { bytesRead } = await handle.read(head, 0, head.length, 0);
        if (isEnvelope(head.subarray(0, bytesRead))) {
          // An envelope is one authenticated whole (its tag closes the payload): it is opened, and checked, whole.
          const bytes = this.plaintextOf(sha256, await handle.readFile());
          const actual = bytes ? sha256Hex(bytes) : 'an envelope that does not open';
          if (!bytes || actual !== sha256) throw new FileIntegrityError(sha256, actual);
          await handle.close();
          return (async function* () {
            for (let at = 0; at < bytes.length; at += READ_CHUNK) yield bytes.subarray(at, at + READ_CHUNK);
          })();
        }
      }
    } catch (error) {
      await handle.close();
      throw error;
    }
    return verifiedChunks(handle, sha256);
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
      // An orphan a sweep removed since the listing needs no sealing (one it set aside and puts back keeps its
      // key, which kekIdsInUse still counts).
      const stored = await readFile(target).catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error)));
      if (!stored) continue;
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
    // A file an orphan sweep has set aside may go back under its name, so its key counts too. A file that
    // vanishes during the scan fails it (ENOENT) rather than be left out: a key is retired only on a full count.
    for (const { shard, name } of await this.entries()) {
      const sha256 = isSha256Hex(name) ? name : ASIDE_NAME.exec(name)?.[1];
      if (!sha256) continue;
      const stored = await readFile(path.join(this.rootDir, shard, name));
      if (isEnvelope(stored) && sha256Hex(stored) !== sha256) ids.add(this.cipher.kekIdOf(stored));
    }
    return ids;
  }

  /** Every stored file with the time its content was last written or reused by `put` (for the orphan sweep). */
  async listStored(): Promise<StoredName[]> {
    const listed: StoredName[] = [];
    for (const { shard, name } of await this.entries()) {
      if (!isSha256Hex(name)) continue;
      const modifiedAt = await modifiedAtOf(path.join(this.rootDir, shard, name));
      if (modifiedAt) listed.push({ sha256: name, modifiedAt });
    }
    return listed;
  }

  /** The temporary files of writes in progress, or of writes a crash interrupted. */
  async listTemporary(): Promise<TemporaryFile[]> {
    const listed: TemporaryFile[] = [];
    for (const { shard, name } of await this.entries()) {
      if (!name.startsWith(TEMP_PREFIX)) continue;
      const modifiedAt = await modifiedAtOf(path.join(this.rootDir, shard, name));
      if (modifiedAt) listed.push({ name: `${shard}/${name}`, modifiedAt });
    }
    return listed;
  }

  /**
   * Removes a stored file unless it was written or reused (`put` touches a reused copy) at or after `cutoff`.
   * Atomic against a concurrent `put` of the same content: the file is first renamed aside, so the age that
   * decides is read from the very file that goes, with no window between reading it and removing it. A `put`
   * that touched the file before the rename makes it young, and it is put back; a `put` after the rename finds
   * no copy and writes one. The caller decides that no database row names the file (sweep.ts).
   */
  async removeIfOlderThan(sha256: string, cutoff: Date): Promise<RemovalOutcome> {
    const target = this.pathOf(sha256);
    const aside = path.join(path.dirname(target), `${ASIDE_PREFIX}${sha256}-${randomBytes(8).toString('hex')}`);
    try {
      await rename(target, aside);
    } catch (error) {
      if (isNotFound(error)) return 'missing';
      throw error;
    }
    const modifiedAt = await modifiedAtOf(aside);
    // Gone: another sweep's `restoreSetAside` put it back under its name, where that sweep decides on it.
    if (!modifiedAt) return 'missing';
    if (modifiedAt.getTime() >= cutoff.getTime()) {
      await this.putBack(aside, target);
      return 'young';
    }
    await unlink(aside).catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error)));
    await syncDirectory(path.dirname(target));
    return 'removed';
  }

  /**
   * Removes a temporary file last written before `cutoff`. A write in progress keeps its file young; one whose
   * file is removed under it fails at its rename, and its caller's transaction never commits a row for it.
   */
  async removeTemporary(name: string, cutoff: Date): Promise<boolean> {
    const [shard, file, ...rest] = name.split('/');
    // Names reach the file system: only a temporary file's name within a shard.
    if (rest.length > 0 || !shard || !SHARD.test(shard) || !file?.startsWith(TEMP_PREFIX) || file.includes(path.sep)) {
      throw new TypeError('not a temporary file of this store');
    }
    const temp = path.join(this.rootDir, shard, file);
    const modifiedAt = await modifiedAtOf(temp);
    if (!modifiedAt || modifiedAt.getTime() >= cutoff.getTime()) return false;
    try {
      await unlink(temp);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /**
   * Puts back files a sweep set aside and did not get to decide on (it was killed in between): under its name a
   * file is judged again like any other, so a crash never loses one that a row has come to name meanwhile.
   */
  async restoreSetAside(): Promise<number> {
    let restored = 0;
    for (const { shard, name } of await this.entries()) {
      const sha256 = ASIDE_NAME.exec(name)?.[1];
      if (!sha256) continue;
      await this.putBack(path.join(this.rootDir, shard, name), this.pathOf(sha256));
      restored += 1;
    }
    return restored;
  }

  private async names(): Promise<string[]> {
    return (await this.entries()).map((entry) => entry.name).filter(isSha256Hex);
  }

  /** Every entry of every shard directory: stored files, temporary files, files set aside. */
  private async entries(): Promise<Array<{ shard: string; name: string }>> {
    const entries: Array<{ shard: string; name: string }> = [];
    for (const shard of await readdir(this.rootDir).catch(() => [] as string[])) {
      if (!SHARD.test(shard)) continue;
      const names = await readdir(path.join(this.rootDir, shard)).catch((error: unknown) => (isNotFound(error) ? [] : Promise.reject(error)));
      for (const name of names as string[]) entries.push({ shard, name });
    }
    return entries;
  }

  /**
   * A file set aside goes back under its name, unless a `put` has written a new copy there meanwhile: then the
   * set-aside one is dropped. Either copy holds the same content, so a `put` landing between the check and the
   * rename (its copy replaced by the set-aside one) loses nothing.
   */
  private async putBack(aside: string, target: string): Promise<void> {
    try {
      if (await this.has(path.basename(target))) {
        await unlink(aside);
      } else {
        await rename(aside, target);
        await syncDirectory(path.dirname(target));
      }
    } catch (error) {
      // Another sweep restoring leftovers got to it first.
      if (!isNotFound(error)) throw error;
    }
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
    const temp = path.join(path.dirname(target), `${TEMP_PREFIX}${path.basename(target)}-${randomBytes(8).toString('hex')}`);
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
const ENVELOPE_MAGIC_LENGTH = 4;

/**
 * A plaintext file's chunks, hashed as they pass; each is handed out only when the next one has been read, and the
 * last only once the whole file has matched its name. Stopping early, or failing, closes the file.
 */
async function* verifiedChunks(handle: FileHandle, sha256: string): AsyncGenerator<Buffer> {
  const hash = createHash('sha256');
  let held: Buffer | undefined;
  // The stream owns the handle from here: it closes it at the end, on an error, or when the loop is left early.
  for await (const chunk of handle.createReadStream({ highWaterMark: READ_CHUNK, start: 0 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    if (held) yield held;
    held = chunk;
  }
  const actual = hash.digest('hex');
  if (actual !== sha256) throw new FileIntegrityError(sha256, actual);
  if (held) yield held;
}

/** Marks a reused file as used now; false when it is gone (an orphan sweep took it away). */
async function touch(file: string): Promise<boolean> {
  const now = new Date();
  try {
    await utimes(file, now, now);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

async function modifiedAtOf(file: string): Promise<Date | undefined> {
  try {
    return (await stat(file)).mtime;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
