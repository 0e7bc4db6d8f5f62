import type { Config } from '../config/env.js';
import { connectDatabase, type DatabaseHandle } from './connect.js';
import { openEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';

export interface OpenDatabase extends DatabaseHandle {
  /** Present when the database is the embedded PostgreSQL rather than DATABASE_URL. */
  embedded: EmbeddedPostgres | undefined;
}

/**
 * The database the configuration points at: the server at DATABASE_URL, or else the embedded PostgreSQL under
 * RONGCUO_DATA. `close()` also stops an embedded cluster this process started.
 */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  options: { attach: boolean; log?: (line: string) => void; poolSize?: number },
): Promise<OpenDatabase> {
  const embedded = config.databaseUrl
    ? undefined
    : await openEmbeddedPostgres(config.dataDir, { attach: options.attach, ...(options.log ? { log: options.log } : {}) });
  const url = config.databaseUrl ?? embedded!.databaseUrl;
  const handle = connectDatabase(url, options.poolSize ? { max: options.poolSize } : {});
  return {
    ...handle,
    embedded,
    close: async () => {
      await handle.close();
      await embedded?.stop();
    },
  };
}
