import type { ProcedureSettings } from '../cases/settings.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import type { FileStore } from '../files/store.js';

/** What route plugins need from the server: the database and the clock, passed in rather than imported. */
export interface AppContext {
  db: Db;
  clock: Clock;
  version: string;
  /** Attachment store, addressed by SHA-256. */
  files: FileStore;
  /** Procedure settings (deadlines, approval, attachment size); DEFAULT_SETTINGS when absent. */
  settings?: ProcedureSettings;
  /** Send cookies with the Secure flag (set when served over HTTPS). */
  secureCookies: boolean;
  /** Sign-in attempts allowed per client address and minute (default 10). */
  signInRateLimit?: number;
}
