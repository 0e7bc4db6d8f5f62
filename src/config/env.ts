import path from 'node:path';
import { DEFAULT_ADMIN_ALLOWLIST, parseAllowlist } from '../access/address-allowlist.js';
import { PROVIDER_NAMES, type ProviderName } from '../crypto/provider.js';
import { DEFAULT_PASSWORD_POLICY, PASSWORD_POLICY_NAMES, type PasswordPolicyName } from '../access/password-policy.js';

/** The server's configuration: one typed object, validated at start-up with every problem reported at once. */
export interface Config {
  host: string;
  port: number;
  /** Where the embedded PostgreSQL cluster (and later attachments) live. */
  dataDir: string;
  /** An external PostgreSQL 15+ server; when absent the server runs its own embedded PostgreSQL. */
  databaseUrl: string | undefined;
  logLevel: string;
  /** The cryptography provider (密评): `gm` (SM2/SM3/SM4, the default) or `intl` (Ed25519/SHA-256/AES-GCM). */
  cryptoProvider: ProviderName;
  /** The key-encryption keys, outside the database (default `<dataDir>/keys/kek.json`, created on first start). */
  keyFile: string;
  /** The key that signs audit checkpoints, outside the database (default `<dataDir>/keys/checkpoint-signing.json`). */
  checkpointKeyFile: string;
  /** Where the server appends a signed checkpoint of the audit chain periodically; none when absent. */
  checkpointFile: string | undefined;
  checkpointIntervalMinutes: number;
  /** The password policy: `djbh` (等保 level 3, the default) or `asvs` (OWASP ASVS 5: length only, no rotation). */
  passwordPolicy: PasswordPolicyName;
  /** Addresses (CIDR list) from which administrators' routes are reachable; loopback only by default. */
  adminAllowlist: string;
  /** Reverse proxies whose X-Forwarded-For is believed (CIDR list); none by default. */
  trustedProxies: string | undefined;
  /** PostgreSQL row-level security behind every route (RONGCUO_RLS=on|off, default on; migration 0014). */
  rowSecurity: boolean;
  /** Requests allowed per client address and minute (RONGCUO_RATE_LIMIT, default 600; sign-in has its own 10). */
  requestRateLimit: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置有误 / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];

  const host = env.HOST?.trim() || '127.0.0.1';

  let port = 3000;
  if (env.PORT !== undefined && env.PORT !== '') {
    port = Number(env.PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      problems.push(`PORT must be an integer from 0 to 65535, got "${env.PORT}"`);
    }
  }

  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined) {
    try {
      const url = new URL(databaseUrl);
      if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
        problems.push(`DATABASE_URL must start with postgres:// or postgresql://, got "${url.protocol}//"`);
      }
    } catch {
      problems.push('DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database)');
    }
  }

  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  const cryptoProvider = (env.RONGCUO_CRYPTO?.trim() || 'gm') as ProviderName;
  if (!PROVIDER_NAMES.includes(cryptoProvider)) {
    problems.push(`RONGCUO_CRYPTO must be one of ${PROVIDER_NAMES.join(', ')}, got "${env.RONGCUO_CRYPTO}"`);
  }

  const passwordPolicy = (env.RONGCUO_PASSWORD_POLICY?.trim() || DEFAULT_PASSWORD_POLICY) as PasswordPolicyName;
  if (!PASSWORD_POLICY_NAMES.includes(passwordPolicy)) {
    problems.push(`RONGCUO_PASSWORD_POLICY must be one of ${PASSWORD_POLICY_NAMES.join(', ')}, got "${env.RONGCUO_PASSWORD_POLICY}"`);
  }

  const rls = env.RONGCUO_RLS?.trim().toLowerCase() || 'on';
  if (rls !== 'on' && rls !== 'off') problems.push(`RONGCUO_RLS must be on or off, got "${env.RONGCUO_RLS}"`);
  const rowSecurity = rls !== 'off';

  let requestRateLimit = 600;
  if (env.RONGCUO_RATE_LIMIT !== undefined && env.RONGCUO_RATE_LIMIT !== '') {
    requestRateLimit = Number(env.RONGCUO_RATE_LIMIT);
    if (!Number.isInteger(requestRateLimit) || requestRateLimit < 1) {
      problems.push(`RONGCUO_RATE_LIMIT must be a positive integer (requests per client address and minute), got "${env.RONGCUO_RATE_LIMIT}"`);
    }
  }

  let checkpointIntervalMinutes = 60;
  if (env.RONGCUO_CHECKPOINT_INTERVAL_MINUTES !== undefined && env.RONGCUO_CHECKPOINT_INTERVAL_MINUTES !== '') {
    checkpointIntervalMinutes = Number(env.RONGCUO_CHECKPOINT_INTERVAL_MINUTES);
    if (!Number.isInteger(checkpointIntervalMinutes) || checkpointIntervalMinutes < 1 || checkpointIntervalMinutes > 1440) {
      problems.push(`RONGCUO_CHECKPOINT_INTERVAL_MINUTES must be an integer from 1 to 1440, got "${env.RONGCUO_CHECKPOINT_INTERVAL_MINUTES}"`);
    }
  }

  const adminAllowlist = env.RONGCUO_ADMIN_ALLOWLIST?.trim() || DEFAULT_ADMIN_ALLOWLIST;
  try {
    parseAllowlist(adminAllowlist);
  } catch (error) {
    problems.push(`RONGCUO_ADMIN_ALLOWLIST: ${(error as Error).message}`);
  }

  const trustedProxies = env.RONGCUO_TRUSTED_PROXIES?.trim() || undefined;
  if (trustedProxies !== undefined) {
    try {
      parseAllowlist(trustedProxies);
    } catch (error) {
      problems.push(`RONGCUO_TRUSTED_PROXIES: ${(error as Error).message}`);
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);
  const dataDir = path.resolve(env.RONGCUO_DATA?.trim() || './data');
  const keyFile = path.resolve(env.RONGCUO_KEK_FILE?.trim() || path.join(dataDir, 'keys', 'kek.json'));
  const checkpointKeyFile = path.resolve(env.RONGCUO_CHECKPOINT_KEY?.trim() || path.join(dataDir, 'keys', 'checkpoint-signing.json'));
  const checkpointFile = env.RONGCUO_CHECKPOINT_FILE?.trim() ? path.resolve(env.RONGCUO_CHECKPOINT_FILE.trim()) : undefined;
  return { host, port, dataDir, databaseUrl, logLevel, cryptoProvider, keyFile, passwordPolicy, checkpointKeyFile, checkpointFile, checkpointIntervalMinutes, adminAllowlist, trustedProxies, rowSecurity, requestRateLimit };
}
