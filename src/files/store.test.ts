import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretBox, isEnvelope } from '../crypto/envelope.js';
import { providerFor } from '../crypto/index.js';
import { ephemeralKeyring, memoryKeyring } from '../crypto/keyring.js';
import { FileIntegrityError, FileMissingError, LocalFileStore, sha256Hex } from './store.js';

describe('LocalFileStore', () => {
  let root: string;
  let store: LocalFileStore;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'rongcuo-files-'));
    store = new LocalFileStore(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('stores by SHA-256 under a two-digit shard and reads the bytes back', async () => {
    const bytes = Buffer.from('证据材料');
    const stored = await store.put(bytes);
    expect(stored).toEqual({ sha256: sha256Hex(bytes), size: bytes.length });
    expect(await readdir(path.join(root, stored.sha256.slice(0, 2)))).toEqual([stored.sha256]);
    expect(await store.has(stored.sha256)).toBe(true);
    expect(await store.get(stored.sha256)).toEqual(bytes);
  });

  it('is idempotent: the same content twice is one file, and leaves no temporary files', async () => {
    const bytes = Buffer.from('same');
    const [a, b] = await Promise.all([store.put(bytes), store.put(bytes)]);
    await store.put(bytes);
    expect(a).toEqual(b);
    expect(await readdir(path.join(root, a.sha256.slice(0, 2)))).toEqual([a.sha256]);
  });

  it('never serves bytes that no longer match their name, and repairs them on the next put', async () => {
    const bytes = Buffer.from('original');
    const { sha256 } = await store.put(bytes);
    await writeFile(store.pathOf(sha256), 'tampered');
    await expect(store.get(sha256)).rejects.toBeInstanceOf(FileIntegrityError);
    await store.put(bytes);
    expect(await store.get(sha256)).toEqual(bytes);
  });

  it('reports a missing file, and refuses names that are not digests', async () => {
    const absent = sha256Hex(Buffer.from('never stored'));
    expect(await store.has(absent)).toBe(false);
    await expect(store.get(absent)).rejects.toBeInstanceOf(FileMissingError);
    await expect(store.get('../../etc/passwd')).rejects.toThrow(TypeError);
    await expect(store.has('AB'.repeat(32))).rejects.toThrow(TypeError);
  });
});

/** Every chunk a streaming read hands out, and how it ended. */
async function drain(chunks: AsyncIterable<Buffer>): Promise<{ bytes: Buffer; error?: unknown }> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of chunks) parts.push(chunk);
    return { bytes: Buffer.concat(parts) };
  } catch (error) {
    return { bytes: Buffer.concat(parts), error };
  }
}

describe('LocalFileStore: streaming reads', () => {
  let root: string;
  let store: LocalFileStore;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'rongcuo-files-'));
    store = new LocalFileStore(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('reads a file in chunks, and an empty one as nothing', async () => {
    const bytes = randomBytes(300_000);
    const { sha256 } = await store.put(bytes);
    const chunks: Buffer[] = [];
    for await (const chunk of await store.read(sha256)) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    const empty = await store.put(Buffer.alloc(0));
    expect(await drain(await store.read(empty.sha256))).toEqual({ bytes: Buffer.alloc(0) });
  });

  it('refuses a missing file at the call, and a damaged one at the end without handing out its last chunk', async () => {
    await expect(store.read(sha256Hex(Buffer.from('never stored')))).rejects.toBeInstanceOf(FileMissingError);
    await expect(store.read('../../etc/passwd')).rejects.toThrow(TypeError);
    for (const size of [10, 300_000]) {
      const bytes = randomBytes(size);
      const { sha256 } = await store.put(bytes);
      const tampered = Buffer.from(bytes);
      tampered.writeUInt8(tampered.readUInt8(size - 1) ^ 1, size - 1);
      await writeFile(store.pathOf(sha256), tampered);
      const read = await drain(await store.read(sha256));
      expect(read.error).toBeInstanceOf(FileIntegrityError);
      expect(read.bytes.length).toBeLessThan(size);
      expect(tampered.subarray(0, read.bytes.length).equals(read.bytes)).toBe(true);
    }
  });

  it('reads encrypted files (opened whole) and refuses an altered envelope before any chunk', async () => {
    const encrypted = new LocalFileStore(root, { cipher: new SecretBox(providerFor('intl'), ephemeralKeyring()) });
    const plain = await store.put(Buffer.from('written before encryption'));
    const bytes = randomBytes(200_000);
    const { sha256 } = await encrypted.put(bytes);
    expect((await drain(await encrypted.read(sha256))).bytes.equals(bytes)).toBe(true);
    expect((await drain(await encrypted.read(plain.sha256))).bytes.toString()).toBe('written before encryption');
    const onDisk = await readFile(encrypted.pathOf(sha256));
    onDisk.writeUInt8(onDisk.readUInt8(onDisk.length - 1) ^ 1, onDisk.length - 1);
    await writeFile(encrypted.pathOf(sha256), onDisk);
    await expect(encrypted.read(sha256)).rejects.toBeInstanceOf(FileIntegrityError);
  });
});

describe('LocalFileStore with a cipher (encryption at rest)', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'rongcuo-files-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const keyring = (current: string, keys: Record<string, Buffer>) => memoryKeyring(current, new Map(Object.entries(keys)));

  it('stores an envelope, never the plaintext, and reads the plaintext back by its hash', async () => {
    const store = new LocalFileStore(root, { cipher: new SecretBox(providerFor('gm'), ephemeralKeyring()) });
    const bytes = Buffer.from('谈话笔录 第一页 '.repeat(50));
    const { sha256 } = await store.put(bytes);
    const onDisk = await readFile(store.pathOf(sha256));
    expect(isEnvelope(onDisk)).toBe(true);
    expect(onDisk.includes(Buffer.from('谈话笔录'))).toBe(false);
    expect(await store.get(sha256)).toEqual(bytes);
    await store.put(bytes);
    expect(await readFile(store.pathOf(sha256))).toEqual(onDisk);
  });

  it('refuses an envelope moved under another name or altered, and repairs it on the next put', async () => {
    const store = new LocalFileStore(root, { cipher: new SecretBox(providerFor('intl'), ephemeralKeyring()) });
    const a = await store.put(Buffer.from('a'));
    const b = await store.put(Buffer.from('b'));
    await writeFile(store.pathOf(b.sha256), await readFile(store.pathOf(a.sha256)));
    await expect(store.get(b.sha256)).rejects.toBeInstanceOf(FileIntegrityError);
    await store.put(Buffer.from('b'));
    expect((await store.get(b.sha256)).toString()).toBe('b');
  });

  it('seals files written before encryption, and re-wraps after a key rotation, while they stay readable', async () => {
    const plain = new LocalFileStore(root);
    const old = await plain.put(Buffer.from('before encryption'));
    const k1 = randomBytes(32);
    const k2 = randomBytes(32);
    const first = new LocalFileStore(root, { cipher: new SecretBox(providerFor('gm'), keyring('k1', { k1 })) });
    expect((await first.get(old.sha256)).toString()).toBe('before encryption');
    expect(await first.sealAll()).toEqual({ sealed: 1, rewrapped: 0, unchanged: 0 });
    const fresh = await first.put(Buffer.from('after'));
    const rotatedBox = new SecretBox(providerFor('gm'), keyring('k2', { k1, k2 }));
    const rotated = new LocalFileStore(root, { cipher: rotatedBox });
    expect(await rotated.sealAll()).toEqual({ sealed: 0, rewrapped: 2, unchanged: 0 });
    expect(await rotated.sealAll()).toEqual({ sealed: 0, rewrapped: 0, unchanged: 2 });
    expect(rotatedBox.kekIdOf(await readFile(rotated.pathOf(fresh.sha256)))).toBe('k2');
    const onlyK2 = new LocalFileStore(root, { cipher: new SecretBox(providerFor('gm'), keyring('k2', { k2 })) });
    expect((await onlyK2.get(old.sha256)).toString()).toBe('before encryption');
    expect((await onlyK2.get(fresh.sha256)).toString()).toBe('after');
  });
});

describe('LocalFileStore: what the orphan sweep needs', () => {
  let root: string;
  let store: LocalFileStore;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'rongcuo-files-'));
    store = new LocalFileStore(root, { cipher: new SecretBox(providerFor('gm'), ephemeralKeyring()) });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const HOUR = 60 * 60 * 1000;
  const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR);
  const age = (file: string, hours: number) => utimes(file, hoursAgo(hours), hoursAgo(hours));
  const exists = (file: string) => stat(file).then(() => true, () => false);

  it('lists stored files with their modification time, and temporary files apart', async () => {
    const a = await store.put(Buffer.from('a'));
    const b = await store.put(Buffer.from('b'));
    await age(store.pathOf(a.sha256), 2);
    const temp = path.join(root, a.sha256.slice(0, 2), `.tmp-${a.sha256}-0123456789abcdef`);
    await writeFile(temp, 'half written');
    await writeFile(path.join(root, 'not-a-shard'), 'ignored');

    const listed = await store.listStored();
    expect(listed.map((f) => f.sha256).sort()).toEqual([a.sha256, b.sha256].sort());
    const modifiedA = listed.find((f) => f.sha256 === a.sha256)!.modifiedAt.getTime();
    expect(Math.abs(modifiedA - hoursAgo(2).getTime())).toBeLessThan(60_000);
    expect((await store.listTemporary()).map((f) => f.name)).toEqual([`${a.sha256.slice(0, 2)}/${path.basename(temp)}`]);
  });

  it('marks an existing copy as used again when the same content is put', async () => {
    const { sha256 } = await store.put(Buffer.from('reused'));
    await age(store.pathOf(sha256), 2);
    await store.put(Buffer.from('reused'));
    expect((await stat(store.pathOf(sha256))).mtime.getTime()).toBeGreaterThan(hoursAgo(0.1).getTime());
  });

  it('removes a file older than the cutoff, keeps a younger one in place, and reports one already gone', async () => {
    const old = await store.put(Buffer.from('old orphan'));
    const young = await store.put(Buffer.from('young orphan'));
    await age(store.pathOf(old.sha256), 2);
    const cutoff = hoursAgo(1);

    expect(await store.removeIfOlderThan(old.sha256, cutoff)).toBe('removed');
    expect(await exists(store.pathOf(old.sha256))).toBe(false);
    expect(await store.removeIfOlderThan(young.sha256, cutoff)).toBe('young');
    expect((await store.get(young.sha256)).toString()).toBe('young orphan');
    expect(await store.removeIfOlderThan(old.sha256, cutoff)).toBe('missing');
    // Nothing is left set aside.
    expect(await readdir(path.dirname(store.pathOf(young.sha256)))).toEqual([young.sha256]);
  });

  it('keeps a file that a put reused after the sweep listed it as old', async () => {
    const { sha256 } = await store.put(Buffer.from('reused during the sweep'));
    await age(store.pathOf(sha256), 2);
    const listedAsOld = (await store.listStored())[0]!;
    expect(listedAsOld.modifiedAt.getTime()).toBeLessThan(hoursAgo(1).getTime());
    await store.put(Buffer.from('reused during the sweep'));
    expect(await store.removeIfOlderThan(sha256, hoursAgo(1))).toBe('young');
    expect((await store.get(sha256)).toString()).toBe('reused during the sweep');
  });

  it('writes a copy again when the file was set aside between finding it and reusing it, and a leftover aside is put back', async () => {
    const bytes = Buffer.from('set aside');
    const { sha256 } = await store.put(bytes);
    const aside = path.join(path.dirname(store.pathOf(sha256)), `.aside-${sha256}-0123456789abcdef`);
    // A sweep killed after setting the file aside.
    await rename(store.pathOf(sha256), aside);
    expect(await store.has(sha256)).toBe(false);
    expect(await store.restoreSetAside()).toBe(1);
    expect((await store.get(sha256)).toString()).toBe('set aside');
    expect(await exists(aside)).toBe(false);

    // Set aside again, and a put of the same content comes meanwhile: it writes a new copy; the aside is dropped.
    await rename(store.pathOf(sha256), aside);
    await store.put(bytes);
    expect(await store.restoreSetAside()).toBe(1);
    expect((await store.get(sha256)).toString()).toBe('set aside');
    expect(await readdir(path.dirname(store.pathOf(sha256)))).toEqual([sha256]);
  });

  it('counts the key of a file set aside as in use, so a key is never retired from under it', async () => {
    const k1 = randomBytes(32);
    const k2 = randomBytes(32);
    const first = new LocalFileStore(root, { cipher: new SecretBox(providerFor('gm'), memoryKeyring('k1', new Map([['k1', k1]]))) });
    const { sha256 } = await first.put(Buffer.from('under k1'));
    await rename(first.pathOf(sha256), path.join(path.dirname(first.pathOf(sha256)), `.aside-${sha256}-0123456789abcdef`));
    const rotated = new LocalFileStore(root, { cipher: new SecretBox(providerFor('gm'), memoryKeyring('k2', new Map([['k1', k1], ['k2', k2]]))) });
    expect([...(await rotated.kekIdsInUse())]).toEqual(['k1']);
  });

  it('removes only temporary files older than the cutoff, and only temporary files', async () => {
    const { sha256 } = await store.put(Buffer.from('x'));
    const shard = sha256.slice(0, 2);
    await mkdir(path.join(root, shard), { recursive: true });
    const stale = path.join(root, shard, `.tmp-${sha256}-aaaaaaaaaaaaaaaa`);
    const writing = path.join(root, shard, `.tmp-${sha256}-bbbbbbbbbbbbbbbb`);
    await writeFile(stale, 'crashed');
    await writeFile(writing, 'in progress');
    await age(stale, 2);

    expect(await store.removeTemporary(`${shard}/${path.basename(stale)}`, hoursAgo(1))).toBe(true);
    expect(await store.removeTemporary(`${shard}/${path.basename(writing)}`, hoursAgo(1))).toBe(false);
    expect(await exists(stale)).toBe(false);
    expect(await exists(writing)).toBe(true);
    await expect(store.removeTemporary(`${shard}/${sha256}`, new Date())).rejects.toThrow(TypeError);
    await expect(store.removeTemporary(`../${shard}/.tmp-x`, new Date())).rejects.toThrow(TypeError);
    expect(await store.has(sha256)).toBe(true);
  });
});
