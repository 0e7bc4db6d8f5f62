import type { Keyring } from './keyring.js';
import { CryptoIntegrityError, KEY_BYTES, type CryptoProvider, type ProviderName } from './provider.js';
import { providerFor } from './index.js';

/**
 * Envelope encryption: every object gets its own random data key, which seals the object; the data key is
 * itself sealed (wrapped) by the current key-encryption key. The header names the provider and the KEK, so an
 * object stays readable after the configured provider or the current KEK changes, and rotating the KEK rewrites
 * headers only (`rewrap`), never the payload.
 *
 *   "RCE1" | provider (1: gm, 2: intl) | kek id length (1) | kek id | wrapped key length (2, BE) | wrapped key | payload
 *
 * The object id is bound in as associated data of both layers: an envelope copied onto another object fails.
 */
const MAGIC = Buffer.from('RCE1');
const PROVIDER_CODES: Record<ProviderName, number> = { gm: 1, intl: 2 };
const PROVIDER_BY_CODE = new Map<number, ProviderName>(Object.entries(PROVIDER_CODES).map(([name, code]) => [code, name as ProviderName]));

interface Header {
  provider: CryptoProvider;
  kekId: string;
  wrappedKey: Buffer;
  payload: Buffer;
}

export const isEnvelope = (bytes: Uint8Array): boolean => bytes.length > MAGIC.length && Buffer.from(bytes.subarray(0, MAGIC.length)).equals(MAGIC);

function parse(bytes: Buffer): Header {
  if (!isEnvelope(bytes)) throw new CryptoIntegrityError('not an envelope');
  let at = MAGIC.length;
  const need = (n: number) => {
    if (at + n > bytes.length) throw new CryptoIntegrityError('envelope is truncated');
  };
  need(2);
  const name = PROVIDER_BY_CODE.get(bytes[at]!);
  if (!name) throw new CryptoIntegrityError('envelope names an unknown provider');
  const idLength = bytes[at + 1]!;
  at += 2;
  need(idLength + 2);
  const kekId = bytes.subarray(at, at + idLength).toString('utf8');
  at += idLength;
  const wrappedLength = bytes.readUInt16BE(at);
  at += 2;
  need(wrappedLength);
  const wrappedKey = bytes.subarray(at, at + wrappedLength);
  return { provider: providerFor(name), kekId, wrappedKey, payload: bytes.subarray(at + wrappedLength) };
}

function header(provider: CryptoProvider, kekId: string, wrappedKey: Buffer): Buffer {
  const id = Buffer.from(kekId, 'utf8');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(wrappedKey.length);
  return Buffer.concat([MAGIC, Buffer.from([PROVIDER_CODES[provider.name], id.length]), id, length, wrappedKey]);
}

const wrapAad = (objectId: string) => Buffer.from(`rongcuo data key\n${objectId}`, 'utf8');

export class SecretBox {
  constructor(
    readonly provider: CryptoProvider,
    readonly keyring: Keyring,
  ) {}

  seal(plaintext: Uint8Array, objectId: string): Buffer {
    const dataKey = this.provider.random(KEY_BYTES);
    const kek = this.keyring.key(this.keyring.currentId)!;
    const wrapped = this.provider.seal(kek, dataKey, wrapAad(objectId));
    return Buffer.concat([header(this.provider, this.keyring.currentId, wrapped), this.provider.seal(dataKey, plaintext, Buffer.from(objectId, 'utf8'))]);
  }

  open(envelope: Buffer, objectId: string): Buffer {
    const { provider, kekId, wrappedKey, payload } = parse(envelope);
    const dataKey = provider.open(this.kekFor(kekId), wrappedKey, wrapAad(objectId));
    return provider.open(dataKey, payload, Buffer.from(objectId, 'utf8'));
  }

  /** The KEK an envelope is wrapped under. */
  kekIdOf(envelope: Buffer): string {
    return parse(envelope).kekId;
  }

  /** The same envelope with its data key wrapped under the current KEK (payload untouched); itself when already so. */
  rewrap(envelope: Buffer, objectId: string): Buffer {
    const { provider, kekId, wrappedKey, payload } = parse(envelope);
    if (kekId === this.keyring.currentId) return envelope;
    const dataKey = provider.open(this.kekFor(kekId), wrappedKey, wrapAad(objectId));
    const rewrapped = provider.seal(this.keyring.key(this.keyring.currentId)!, dataKey, wrapAad(objectId));
    return Buffer.concat([header(provider, this.keyring.currentId, rewrapped), payload]);
  }

  private kekFor(id: string): Buffer {
    const kek = this.keyring.key(id);
    if (!kek) throw new CryptoIntegrityError(`the key-encryption key "${id}" is not in the keyring`);
    return kek;
  }
}
