import path from 'node:path';
import type { AppCrypto } from '../crypto/app-crypto.js';
import { LocalFileStore } from './store.js';

/** The server's attachment and document store: `<dataDir>/files`, every file sealed at rest. */
export function openFileStore(config: { dataDir: string }, crypto: AppCrypto): LocalFileStore {
  return new LocalFileStore(path.join(config.dataDir, 'files'), { cipher: crypto.secrets });
}
