import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
