/**
 * The one interface through which the application uses cryptography (密评, GB/T 39786-2021): chosen by
 * configuration, `gm` (SM3, HMAC-SM3, SM4-CTR encrypt-then-MAC, SM2) by default, `intl` (SHA-256, HMAC-SHA256,
 * AES-256-GCM, Ed25519) as the alternative. An adapter for an organ's certified cipher machine is one more
 * implementation of this interface.
 */
export const PROVIDER_NAMES = ['gm', 'intl'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** The hash a provider uses, as recorded beside data hashed with it (e.g. the audit chain's head). */
export type HashAlgorithm = 'sm3' | 'sha256';

/** A signing key pair as hex strings (SM2: uncompressed public point and private scalar; Ed25519: raw 32-byte keys). */
export interface SigningKeyPair {
  publicKey: string;
  privateKey: string;
}

export interface CryptoProvider {
  readonly name: ProviderName;
  readonly hashAlgorithm: HashAlgorithm;
  /** The signature scheme of sign/verify, as named in key files and checkpoints. */
  readonly signatureAlgorithm: 'sm2' | 'ed25519';
  /** 32-byte digest. */
  hash(data: Uint8Array): Buffer;
  /** 32-byte HMAC. */
  mac(key: Uint8Array, data: Uint8Array): Buffer;
  /**
   * Authenticated encryption under a 32-byte key, a fresh random IV each call; `associatedData` (e.g. the row or
   * file id) is bound in, so a sealed value moved to another object fails to open.
   */
  seal(key: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Buffer;
  /** The plaintext, or CryptoIntegrityError — the tag is checked before anything is decrypted. */
  open(key: Uint8Array, sealed: Uint8Array, associatedData: Uint8Array): Buffer;
  generateSigningKeyPair(): SigningKeyPair;
  sign(privateKey: string, message: Uint8Array): Buffer;
  verify(publicKey: string, message: Uint8Array, signature: Uint8Array): boolean;
  random(bytes: number): Buffer;
}

/** A sealed value failed its authentication check (altered, truncated, or opened with the wrong key or data). */
export class CryptoIntegrityError extends Error {
  constructor(message = 'sealed data failed its integrity check') {
    super(message);
    this.name = 'CryptoIntegrityError';
  }
}

/** Length of every data key and key-encryption key, in bytes. */
export const KEY_BYTES = 32;
