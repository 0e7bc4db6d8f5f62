import { createCipheriv, createHash } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { CryptoIntegrityError, hashWith, KEY_BYTES, PROVIDER_NAMES, providerFor } from './index.js';

describe('known answers (GB/T 32905 SM3, GB/T 32907 SM4)', () => {
  it('SM3("abc")', () => {
    expect(providerFor('gm').hash(Buffer.from('abc')).toString('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(hashWith('sm3', Buffer.from('abc')).toString('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('SM4 with key = plaintext = 0123456789abcdeffedcba9876543210', () => {
    const key = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    const cipher = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
    expect(Buffer.concat([cipher.update(key), cipher.final()]).toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
  });

  it('SHA-256 for intl', () => {
    expect(providerFor('intl').hash(Buffer.from('abc')).toString('hex')).toBe(createHash('sha256').update('abc').digest('hex'));
  });
});

describe.each(PROVIDER_NAMES)('%s provider', (name) => {
  const provider = providerFor(name);
  const key = Buffer.alloc(KEY_BYTES, 7);
  const aad = Buffer.from('attachment:42');
  const plaintext = Buffer.from('谈话笔录：𠀀𪚥·阿依古丽');

  it('seals and opens, with a fresh IV each time', () => {
    const a = provider.seal(key, plaintext, aad);
    const b = provider.seal(key, plaintext, aad);
    expect(a.equals(b)).toBe(false);
    expect(provider.open(key, a, aad).equals(plaintext)).toBe(true);
    expect(a.includes(plaintext)).toBe(false);
  });

  it('fails closed on every single-bit flip of IV, ciphertext and tag', () => {
    const sealed = provider.seal(key, Buffer.from('短消息'), aad);
    for (let bit = 0; bit < sealed.length * 8; bit += 1) {
      const flipped = Buffer.from(sealed);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      expect(() => provider.open(key, flipped, aad), `bit ${bit}`).toThrow(CryptoIntegrityError);
    }
  });

  it('fails closed on every single-bit flip of the associated data, another key, and truncation', () => {
    const sealed = provider.seal(key, plaintext, aad);
    for (let bit = 0; bit < aad.length * 8; bit += 1) {
      const flipped = Buffer.from(aad);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      expect(() => provider.open(key, sealed, flipped), `bit ${bit}`).toThrow(CryptoIntegrityError);
    }
    expect(() => provider.open(Buffer.alloc(KEY_BYTES, 8), sealed, aad)).toThrow(CryptoIntegrityError);
    expect(() => provider.open(key, sealed.subarray(0, sealed.length - 1), aad)).toThrow(CryptoIntegrityError);
    expect(() => provider.open(key, sealed.subarray(0, 8), aad)).toThrow(CryptoIntegrityError);
  });

  it('signs and verifies; another key, another message or a flipped bit does not verify', () => {
    const keys = provider.generateSigningKeyPair();
    const other = provider.generateSigningKeyPair();
    const message = Buffer.from('checkpoint 42');
    const signature = provider.sign(keys.privateKey, message);
    expect(provider.verify(keys.publicKey, message, signature)).toBe(true);
    expect(provider.verify(other.publicKey, message, signature)).toBe(false);
    expect(provider.verify(keys.publicKey, Buffer.from('checkpoint 43'), signature)).toBe(false);
    const flipped = Buffer.from(signature);
    flipped[3]! ^= 1;
    expect(provider.verify(keys.publicKey, message, flipped)).toBe(false);
    expect(provider.verify(keys.publicKey, message, Buffer.alloc(0))).toBe(false);
  });

  it('MACs with the provider hash', () => {
    expect(provider.mac(key, aad)).toHaveLength(32);
    expect(provider.mac(key, aad).equals(provider.mac(Buffer.alloc(KEY_BYTES, 8), aad))).toBe(false);
  });
});

describe('SM2 is the GB/T 32918 signature, not ECDSA over the SM2 curve', () => {
  it('is accepted by an independent SM2 verifier with the SM3 Z value', () => {
    const gm = providerFor('gm');
    const keys = gm.generateSigningKeyPair();
    const message = Buffer.from('容错纠错');
    const signature = gm.sign(keys.privateKey, message);
    expect(signature).toHaveLength(64);
    expect(sm2.doVerifySignature(message, signature.toString('hex'), keys.publicKey, { hash: true })).toBe(true);
    // Without the Z value (plain ECDSA-style hashing) the same signature must not verify.
    expect(sm2.doVerifySignature(message, signature.toString('hex'), keys.publicKey, { hash: false })).toBe(false);
  });
});
