import { createHash } from 'node:crypto';
import { gmProvider } from './gm.js';
import { intlProvider } from './intl.js';
import type { CryptoProvider, HashAlgorithm, ProviderName } from './provider.js';

export * from './provider.js';

const PROVIDERS: Record<ProviderName, CryptoProvider> = { gm: gmProvider, intl: intlProvider };

export function providerFor(name: ProviderName): CryptoProvider {
  return PROVIDERS[name];
}

/** Hash with a recorded algorithm (data hashed under an earlier choice stays verifiable). */
export function hashWith(algorithm: HashAlgorithm, data: Uint8Array): Buffer {
  return createHash(algorithm).update(data).digest();
}
