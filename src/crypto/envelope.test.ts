import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretBox, isEnvelope } from './envelope.js';
import { CryptoIntegrityError, KEY_BYTES, PROVIDER_NAMES, providerFor } from './index.js';
import { addKeyringKey, loadKeyring, memoryKeyring, retireKeyringKeys } from './keyring.js';

describe.each(PROVIDER_NAMES)('envelope encryption (%s)', (name) => {
  const provider = providerFor(name);
  const k1 = randomBytes(KEY_BYTES);
  const k2 = randomBytes(KEY_BYTES);
  const box = new SecretBox(provider, memoryKeyring('k1', new Map([['k1', k1]])));

  it('seals each object under its own data key, bound to the object id', () => {
    const secret = Buffer.from('JBSWY3DPEHPK3PXP');
    const a = box.seal(secret, 'user:1');
    expect(isEnvelope(a)).toBe(true);
    expect(box.seal(secret, 'user:1').equals(a)).toBe(false);
    expect(box.open(a, 'user:1').equals(secret)).toBe(true);
    expect(() => box.open(a, 'user:2')).toThrow(CryptoIntegrityError);
  });

  it('fails closed on a flipped bit anywhere, and on a key-encryption key it does not hold', () => {
    const sealed = box.seal(Buffer.from('x'), 'o');
    for (let i = 4; i < sealed.length; i += 1) {
      const flipped = Buffer.from(sealed);
      flipped[i]! ^= 0x10;
      expect(() => box.open(flipped, 'o'), `byte ${i}`).toThrow();
    }
    const stranger = new SecretBox(provider, memoryKeyring('k1', new Map([['k1', k2]])));
    expect(() => stranger.open(sealed, 'o')).toThrow(CryptoIntegrityError);
  });

  it('re-wraps under a new key-encryption key without touching the payload', () => {
    const sealed = box.seal(Buffer.from('材料'), 'o');
    const rotated = new SecretBox(provider, memoryKeyring('k2', new Map([['k1', k1], ['k2', k2]])));
    const rewrapped = rotated.rewrap(sealed, 'o');
    expect(rotated.kekIdOf(rewrapped)).toBe('k2');
    // The payload (ending in its tag) is carried over byte for byte.
    expect(rewrapped.subarray(rewrapped.length - 16).equals(sealed.subarray(sealed.length - 16))).toBe(true);
    expect(rotated.rewrap(rewrapped, 'o')).toBe(rewrapped);
    const onlyNew = new SecretBox(provider, memoryKeyring('k2', new Map([['k2', k2]])));
    expect(onlyNew.open(rewrapped, 'o').toString()).toBe('材料');
    expect(() => onlyNew.open(sealed, 'o')).toThrow(CryptoIntegrityError);
  });
});

describe('key file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rongcuo-keys-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is created once with mode 0600, rotated by adding a key, and retires keys no longer used', async () => {
    const file = path.join(dir, 'keys', 'kek.json');
    const first = await loadKeyring(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await loadKeyring(file)).key(first.currentId)!.equals(first.key(first.currentId)!)).toBe(true);
    const second = await addKeyringKey(file);
    expect(second.currentId).not.toBe(first.currentId);
    expect(second.ids()).toEqual(expect.arrayContaining([first.currentId, second.currentId]));
    expect(await retireKeyringKeys(file, [])).toEqual([first.currentId]);
    expect((await loadKeyring(file)).ids()).toEqual([second.currentId]);
    expect(JSON.parse(await readFile(file, 'utf8')).current).toBe(second.currentId);
  });

  it('refuses a malformed key file instead of making a new key', async () => {
    const file = path.join(dir, 'kek.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, JSON.stringify({ current: 'a', keys: { a: 'c2hvcnQ=' } })));
    await expect(loadKeyring(file)).rejects.toThrow(/32 bytes/);
  });
});
