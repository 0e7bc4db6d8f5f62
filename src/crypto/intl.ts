import { createCipheriv, createDecipheriv, createHash, createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { CryptoIntegrityError, KEY_BYTES, type CryptoProvider } from './provider.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;
// DER prefixes of PKCS#8 / SPKI Ed25519 keys: the raw 32-byte key follows.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const privateKeyOf = (hex: string) => createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'pkcs8' });
const publicKeyOf = (hex: string) => createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });

/** International algorithms: SHA-256, HMAC-SHA256, AES-256-GCM (iv ‖ ciphertext ‖ tag), Ed25519. */
export const intlProvider: CryptoProvider = {
  name: 'intl',
  hashAlgorithm: 'sha256',
  signatureAlgorithm: 'ed25519',
  hash: (data) => createHash('sha256').update(data).digest(),
  mac: (key, data) => createHmac('sha256', key).update(data).digest(),
  seal(key, plaintext, associatedData) {
    if (key.length !== KEY_BYTES) throw new RangeError(`key must be ${KEY_BYTES} bytes`);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(associatedData);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]);
  },
  open(key, sealed, associatedData) {
    if (key.length !== KEY_BYTES) throw new RangeError(`key must be ${KEY_BYTES} bytes`);
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new CryptoIntegrityError('sealed data is too short');
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(associatedData);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new CryptoIntegrityError();
    }
  },
  generateSigningKeyPair() {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    return {
      publicKey: publicKey.export({ format: 'der', type: 'spki' }).subarray(ED25519_SPKI_PREFIX.length).toString('hex'),
      privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(ED25519_PKCS8_PREFIX.length).toString('hex'),
    };
  },
  sign: (privateKey, message) => sign(null, message, privateKeyOf(privateKey)),
  verify(publicKey, message, signature) {
    try {
      return verify(null, message, publicKeyOf(publicKey), signature);
    } catch {
      return false;
    }
  },
  random: (bytes) => randomBytes(bytes),
};
