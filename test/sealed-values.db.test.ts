import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { runRotateKek } from '../src/cli/rotate-kek.js';
import { fixedClock } from '../src/clock.js';
import { loadConfig } from '../src/config/env.js';
import { ephemeralAppCrypto, loadAppCrypto } from '../src/crypto/app-crypto.js';
import { SecretBox } from '../src/crypto/envelope.js';
import { loadKeyring, memoryKeyring } from '../src/crypto/keyring.js';
import { loadMigrations, migrate } from '../src/db/migrate.js';
import type { Database } from '../src/db/schema.js';
import { openSmtpPassword, sealLegacySmtpPasswords, sealSmtpPassword } from '../src/notifications/smtp-password.js';
import { SEALED_COLUMNS, sealedValueKekIds } from '../src/privacy/sealed-values.js';
import { createTestDatabase, useTestDatabase } from './helpers/db.js';
import { createOrganization } from './helpers/factories.js';
import { withDatabase } from './setup/test-cluster.js';

/**
 * The values the database holds sealed are one list (src/privacy/sealed-values.ts), which `rongcuo rotate-kek`
 * re-wraps and whose keys `--retire` keeps; an organ's SMTP password is one of them since 0015, and a password an
 * earlier version stored in plaintext is sealed at the next start.
 */
describe('sealed values in the database', () => {
  const database = useTestDatabase();
  const clock = fixedClock('2026-07-01T02:00:00Z');

  it('lists every sealed column of the schema', async () => {
    const { rows } = await sql<{ table: string; column: string }>`
      SELECT table_name AS table, column_name AS column FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type = 'bytea' AND column_name LIKE '%\\_sealed'
      ORDER BY 1, 2`.execute(database.current.db);
    const listed = SEALED_COLUMNS.map((c) => ({ table: c.table, column: c.column }));
    expect(rows).toEqual(expect.arrayContaining(listed));
    expect(listed).toEqual(expect.arrayContaining(rows));
  });

  it('seals at start the SMTP passwords an earlier version stored in plaintext, once, recording the organs but no password', async () => {
    const { adminUrl } = inject('database');
    const name = `rongcuo_legacy_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const pool = new pg.Pool({ connectionString: withDatabase(adminUrl, name), max: 2 });
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    try {
      // The schema as the previous version left it, with one password in plaintext and one empty.
      const all = await loadMigrations();
      await migrate(pool, all.filter((m) => m.name < '0015'));
      const withPassword = await createOrganization(db);
      const withEmpty = await createOrganization(db);
      for (const [organ, password] of [[withPassword.id, 'legacy-口令'], [withEmpty.id, '']] as const) {
        await sql`INSERT INTO organ_smtp_settings (organ_id, host, port, from_address, username, password, updated_at)
                  VALUES (${organ}, 'smtp.example.gov.cn', 25, 'noreply@example.gov.cn', 'noreply', ${password}, now())`.execute(db);
      }
      expect(await migrate(pool)).toContain('0015_smtp_password_sealed.sql');

      const crypto = ephemeralAppCrypto();
      expect(await sealLegacySmtpPasswords(db, crypto.secrets, clock)).toBe(2);
      const rows = await db.selectFrom('organ_smtp_settings').selectAll().orderBy('organ_id').execute();
      expect(rows.map((r) => r.password_plaintext_legacy)).toEqual([null, null]);
      const sealed = rows.find((r) => r.organ_id === withPassword.id)!.password_sealed!;
      expect(sealed.includes(Buffer.from('legacy-口令', 'utf8'))).toBe(false);
      expect(openSmtpPassword(crypto.secrets, withPassword.id, sealed)).toBe('legacy-口令');
      expect(rows.find((r) => r.organ_id === withEmpty.id)!.password_sealed).toBeNull();

      const events = await db.selectFrom('events').select(['type', 'actor', 'payload']).where('type', '=', 'system.smtp-passwords-sealed').execute();
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actor: 'system' });
      expect((events[0]!.payload as { organIds: string[] }).organIds.sort()).toEqual([withPassword.id, withEmpty.id].sort());
      expect(JSON.stringify(events[0]!.payload)).not.toContain('legacy');

      // The next start finds nothing left and writes nothing.
      expect(await sealLegacySmtpPasswords(db, crypto.secrets, clock)).toBe(0);
      expect(await db.selectFrom('events').select('seq').where('type', '=', 'system.smtp-passwords-sealed').execute()).toHaveLength(1);
      // Nor can anything store a password in plaintext again.
      await expect(sql`UPDATE organ_smtp_settings SET password_plaintext_legacy = 'again'`.execute(db)).rejects.toThrow(/organ_smtp_settings_no_plaintext_password/);
    } finally {
      await db.destroy();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('rotate-kek re-wraps SMTP passwords, and --retire keeps a key while a password still needs it', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'rongcuo-rotate-'));
    const separate = await createTestDatabase();
    try {
      const config = loadConfig({ RONGCUO_DATA: dataDir });
      const serverCrypto = await loadAppCrypto(config);
      const oldKey = serverCrypto.secrets.keyring.currentId;
      // A server that has not yet seen the rotation keeps sealing under the old key.
      const lagging = new SecretBox(serverCrypto.provider, memoryKeyring(oldKey, new Map([[oldKey, serverCrypto.secrets.keyring.key(oldKey)!]])));
      const settings = async (secrets: SecretBox, password: string) => {
        const organ = await createOrganization(separate.db);
        await separate.db
          .insertInto('organ_smtp_settings')
          .values({ organ_id: organ.id, host: 'smtp.example.gov.cn', port: 25, from_address: 'noreply@example.gov.cn', username: 'noreply', password_sealed: sealSmtpPassword(secrets, organ.id, password), updated_at: new Date() })
          .execute();
        return organ.id;
      };
      const sealedOf = async (organId: string) => (await separate.db.selectFrom('organ_smtp_settings').select('password_sealed').where('organ_id', '=', organId).executeTakeFirstOrThrow()).password_sealed!;
      const db = { db: separate.db, close: async () => undefined };
      const first = await settings(serverCrypto.secrets, 'first-password');

      const lines: string[] = [];
      expect(await runRotateKek(config, [], (l) => lines.push(l), { database: async () => db })).toBe(0);
      expect(lines).toContain('数据库中的邮件服务器密码：重新封装 1 项，无需处理 0 项');
      const newKey = (await loadKeyring(config.keyFile)).currentId;
      expect(newKey).not.toBe(oldKey);
      expect(serverCrypto.secrets.kekIdOf(await sealedOf(first))).toBe(newKey);

      const second = await settings(lagging, 'second-password');
      // The old key is in use again: --retire must not drop it before the password moves off it.
      expect(await sealedValueKekIds(separate.db, serverCrypto.secrets)).toEqual(new Set([oldKey, newKey]));
      lines.length = 0;
      expect(await runRotateKek(config, ['--retire'], (l) => lines.push(l), { database: async () => db })).toBe(0);
      expect(lines).toContain('数据库中的邮件服务器密码：重新封装 1 项，无需处理 1 项');
      expect((await loadKeyring(config.keyFile)).ids()).toEqual([newKey]);
      const fresh = await loadAppCrypto(config);
      expect(openSmtpPassword(fresh.secrets, first, await sealedOf(first))).toBe('first-password');
      expect(openSmtpPassword(fresh.secrets, second, await sealedOf(second))).toBe('second-password');
    } finally {
      await separate.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
