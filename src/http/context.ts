import type { ProcedureSettings } from '../cases/settings.js';
import type { Clock } from '../clock.js';
import type { AppCrypto } from '../crypto/app-crypto.js';
import type { PasswordPolicyName } from '../access/password-policy.js';
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
  /** The configured cryptography and keyring; buildApp gives a context without one keys held in memory (tests). */
  crypto?: AppCrypto;
  /** The password policy (config RONGCUO_PASSWORD_POLICY); `djbh` when absent. */
  passwordPolicy?: PasswordPolicyName;
  /** The reverse proxies (addresses or CIDR, comma-separated) whose X-Forwarded-For is believed; none by default. */
  trustedProxies?: string;
  /** Addresses from which administrators' routes are reachable (CIDR list; default loopback only). */
  adminAllowlist?: string;
  /** Requests allowed per client address and minute (config RONGCUO_RATE_LIMIT; default 600). */
  requestRateLimit?: number;
  /** Sign-in attempts allowed per client address and minute (default 10). */
  signInRateLimit?: number;
  /** PostgreSQL's row-level security as a second wall behind every route (config RONGCUO_RLS); on when absent. */
  rowSecurity?: boolean;
}

/** The context's cryptography (always set once buildApp has run). */
export function cryptoOf(context: AppContext): AppCrypto {
  if (!context.crypto) throw new Error('the application context has no cryptography: build the app with buildApp');
  return context.crypto;
}
