import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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
