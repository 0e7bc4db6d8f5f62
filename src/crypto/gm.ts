import { createCipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { CryptoIntegrityError, KEY_BYTES, type CryptoProvider, type SigningKeyPair } from './provider.js';

const IV_BYTES = 16;
const TAG_BYTES = 32;

const sm3 = (data: Uint8Array): Buffer => createHash('sm3').update(data).digest();
const hmacSm3 = (key: Uint8Array, ...parts: Uint8Array[]): Buffer => {
  const h = createHmac('sm3', key);
  for (const part of parts) h.update(part);
  return h.digest();
};

/** Separate keys for encryption and MAC, derived from the one data key (never the same key for both). */
function deriveKeys(key: Uint8Array): { encKey: Buffer; macKey: Buffer } {
  if (key.length !== KEY_BYTES) throw new RangeError(`key must be ${KEY_BYTES} bytes`);
  return { encKey: hmacSm3(key, Buffer.from('rongcuo sm4-ctr enc')).subarray(0, 16), macKey: hmacSm3(key, Buffer.from('rongcuo hmac-sm3 mac')) };
}

const lengthPrefix = (bytes: Uint8Array): Buffer => {
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64BE(BigInt(bytes.length));
  return prefix;
};

/** The tag covers the associated data (length-prefixed, so the split cannot shift), the IV and the ciphertext. */
const tagOf = (macKey: Buffer, associatedData: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array) =>
  hmacSm3(macKey, lengthPrefix(associatedData), associatedData, iv, ciphertext);

const sm4Ctr = (key: Buffer, iv: Uint8Array, data: Uint8Array): Buffer => {
  const cipher = createCipheriv('sm4-ctr', key, iv);
  return Buffer.concat([cipher.update(data), cipher.final()]);
};

/**
 * 国密: SM3, HMAC-SM3 and SM4 from Node's own OpenSSL; SM2 signatures (GB/T 32918, with the SM3 Z value) through
 * sm-crypto-v2 — Node's crypto.sign on an SM2-curve key is ECDSA, not SM2. Node has no SM4-GCM, so sealing is
 * SM4-CTR then HMAC-SM3 (encrypt-then-MAC): iv ‖ ciphertext ‖ tag.
 */
export const gmProvider: CryptoProvider = {
  name: 'gm',
  hashAlgorithm: 'sm3',
  signatureAlgorithm: 'sm2',
  hash: sm3,
  mac: (key, data) => hmacSm3(key, data),
  seal(key, plaintext, associatedData) {
    const { encKey, macKey } = deriveKeys(key);
    const iv = randomBytes(IV_BYTES);
    const ciphertext = sm4Ctr(encKey, iv, plaintext);
    return Buffer.concat([iv, ciphertext, tagOf(macKey, associatedData, iv, ciphertext)]);
  },
  open(key, sealed, associatedData) {
    const { encKey, macKey } = deriveKeys(key);
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new CryptoIntegrityError('sealed data is too short');
    const iv = sealed.subarray(0, IV_BYTES);
    const ciphertext = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    // Checked before decrypting, in constant time.
    if (!timingSafeEqual(tag, tagOf(macKey, associatedData, iv, ciphertext))) throw new CryptoIntegrityError();
    return sm4Ctr(encKey, iv, ciphertext);
  },
  generateSigningKeyPair(): SigningKeyPair {
    const { publicKey, privateKey } = sm2.generateKeyPairHex();
    return { publicKey, privateKey };
  },
  sign(privateKey, message) {
    return Buffer.from(sm2.doSignature(message, privateKey, { hash: true }), 'hex');
  },
  verify(publicKey, message, signature) {
    if (signature.length !== 64) return false;
    try {
      return sm2.doVerifySignature(message, Buffer.from(signature).toString('hex'), publicKey, { hash: true });
    } catch {
      return false;
    }
  },
  random: (bytes) => randomBytes(bytes),
};
