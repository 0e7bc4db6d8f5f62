import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { appendEvent } from './audit/chain.js';
import { startCheckpointExporter } from './audit/checkpoint.js';
import { chainQueuedEvents } from './audit/event-queue.js';
import { loadOrCreateSigningKey } from './audit/checkpoint-key.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config/env.js';
import { providerFor } from './crypto/index.js';
import { migrate } from './db/migrate.js';
import { openDatabase, type OpenDatabase } from './db/open.js';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from './db/seed-demo.js';
import { loadAppCrypto } from './crypto/app-crypto.js';
import { openFileStore } from './files/open.js';
import { buildApp } from './http/app.js';
import { notificationIntervalMinutes, startNotificationScheduler } from './notifications/reminders.js';
import { sealLegacySmtpPasswords } from './notifications/smtp-password.js';
import { VERSION } from './version.js';

export interface RunningServer {
  app: FastifyInstance;
  database: OpenDatabase;
  url: string;
  /** Stops accepting requests, records the stop, closes the database (and the embedded cluster). */
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  /** Seed demo data into an empty database (default: only on the embedded database, or RONGCUO_DEMO=1). */
  seedDemo?: boolean;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const logger = pino({ level: config.logLevel });
  const database = await openDatabase(config, {
    attach: false,
    log: (line) => logger.debug({ component: 'postgres' }, line),
  });
  try {
    const applied = await migrate(database.pool, undefined, { chainAlgorithm: providerFor(config.cryptoProvider).hashAlgorithm });
    await database.db.transaction().execute(async (tx) => {
      if (applied.includes('0001_foundation.sql')) {
        await appendEvent(tx, { type: 'system.database-created', actor: 'system', payload: { migrations: applied } }, clock);
      }
    });
    // Events a request committed to the queue but had not chained when the server stopped (audit/event-queue.ts).
    const leftover = await chainQueuedEvents(database.db);
    if (leftover > 0) logger.info({ component: 'audit', count: leftover }, 'chained events left in the queue by the last run');
    const crypto = await loadAppCrypto(config);
    // Before any request: a password an earlier version stored in plaintext is sealed and cleared (0015).
    const sealedPasswords = await sealLegacySmtpPasswords(database.db, crypto.secrets, clock);
    if (sealedPasswords > 0) logger.info({ component: 'settings', count: sealedPasswords }, 'sealed SMTP passwords left in plaintext by an earlier version');
    const files = openFileStore(config, crypto);
    const demo = options.seedDemo ?? (database.embedded !== undefined || process.env.RONGCUO_DEMO === '1');
    if (demo && (await seedDemo(database.db, clock, files, crypto))) logger.info('seeded the demo organization and accounts');

    const app = await buildApp({
      context: {
        db: database.db,
        clock,
        version: VERSION,
        files,
        crypto,
        adminAllowlist: config.adminAllowlist,
        ...(config.trustedProxies ? { trustedProxies: config.trustedProxies } : {}),
        secureCookies: process.env.COOKIE_SECURE === '1',
        passwordPolicy: config.passwordPolicy,
        rowSecurity: config.rowSecurity,
        requestRateLimit: config.requestRateLimit,
      },
      logger,
      webRoot: webRoot(),
    });
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    await database.db.transaction().execute((tx) =>
      appendEvent(tx, { type: 'system.started', actor: 'system', payload: { version: VERSION, embedded: database.embedded !== undefined } }, clock),
    );

    // E-mail digests of the 待办, where an organ configured SMTP; one instance sends (advisory lock).
    const interval = notificationIntervalMinutes();
    const stopNotifications =
      interval > 0
        ? startNotificationScheduler(database.db, clock, crypto.secrets, { intervalMinutes: interval, log: (message, fields) => logger.info({ component: 'notifications', ...fields }, message) })
        : async () => undefined;

    // Signed checkpoints of the audit chain, appended to a file outside the database (RONGCUO_CHECKPOINT_FILE).
    const stopCheckpoints = config.checkpointFile
      ? startCheckpointExporter(database.db, {
          file: config.checkpointFile,
          key: (await loadOrCreateSigningKey(config.checkpointKeyFile, config.cryptoProvider)).key,
          intervalMinutes: config.checkpointIntervalMinutes,
          log: (level, message, fields) => logger[level]({ component: 'checkpoints', ...fields }, message),
        })
      : async () => undefined;

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        await stopNotifications();
        await stopCheckpoints();
        await app.close();
        await database.db
          .transaction()
          .execute((tx) => appendEvent(tx, { type: 'system.stopped', actor: 'system' }, clock))
          .catch((error: unknown) => logger.error({ err: error }, 'could not record the stop in the audit chain'));
        await database.close();
      })());
    return { app, database, url, stop };
  } catch (error) {
    await database.close();
    throw error;
  }
}

export function demoLoginsText(): string {
  return [
    ...DEMO_USERS.map((user) => `  ${user.username} / ${DEMO_PASSWORD}  （${user.displayName}）`),
    '  首次登录：绑定身份验证器（用手机验证器应用扫描二维码，保存恢复码），并修改初始密码。',
  ].join('\n');
}

/** The built web application: dist/web beside the compiled server, or in dist/ when running from source. */
function webRoot(): string | undefined {
  return [new URL('./web/', import.meta.url), new URL('../dist/web/', import.meta.url)]
    .map((url) => url.pathname)
    .find((dir) => existsSync(path.join(dir, 'index.html')));
}
