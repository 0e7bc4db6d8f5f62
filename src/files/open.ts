import path from 'node:path';
import type { AppCrypto } from '../crypto/app-crypto.js';
import { LocalFileStore } from './store.js';

/** Where the server's files live: `<dataDir>/files`. */
export function fileStoreRoot(config: { dataDir: string }): string {
  return path.join(config.dataDir, 'files');
}

/** The server's attachment and document store: `<dataDir>/files`, every file sealed at rest. */
export function openFileStore(config: { dataDir: string }, crypto: AppCrypto): LocalFileStore {
  return new LocalFileStore(fileStoreRoot(config), { cipher: crypto.secrets });
}
