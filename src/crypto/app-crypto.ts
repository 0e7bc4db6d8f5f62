import { SecretBox } from './envelope.js';
import { providerFor } from './index.js';
import { ephemeralKeyring, loadKeyring } from './keyring.js';
import type { CryptoProvider, ProviderName } from './provider.js';

/** The application's cryptography: the configured provider, and envelope encryption under the keyring. */
export interface AppCrypto {
  provider: CryptoProvider;
  /** Seals secrets and files at rest: a data key per object, wrapped by the key-encryption key. */
  secrets: SecretBox;
}

export async function loadAppCrypto(config: { cryptoProvider: ProviderName; keyFile: string }): Promise<AppCrypto> {
  const provider = providerFor(config.cryptoProvider);
  return { provider, secrets: new SecretBox(provider, await loadKeyring(config.keyFile)) };
}

/** Keys held only in memory: for tests and throw-away tools, never for a server whose data must outlive it. */
export function ephemeralAppCrypto(name: ProviderName = 'gm'): AppCrypto {
  const provider = providerFor(name);
  return { provider, secrets: new SecretBox(provider, ephemeralKeyring()) };
}

let processCrypto: AppCrypto | undefined;

/** One in-memory keyring for the whole process: apps rebuilt on the same database in a test still open its secrets. */
export function processAppCrypto(): AppCrypto {
  return (processCrypto ??= ephemeralAppCrypto());
}
