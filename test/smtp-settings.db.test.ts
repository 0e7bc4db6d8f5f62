import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { openSmtpPassword } from '../src/notifications/smtp-password.js';
import { buildTestApp, signInAs, TEST_CRYPTO } from './helpers/app.js';
import { useTestDatabase } from './helpers/db.js';
import { createOrganization, createUser } from './helpers/factories.js';
import { buildWorld, type World } from './helpers/world.js';

/** Settings: an organ's outgoing mail server (administrators only, the password never returned nor audited) and one's own e-mail. */
describe('SMTP and e-mail settings', () => {
  const database = useTestDatabase();
  const clock: Clock = { now: () => new Date('2026-06-01T02:00:00Z') };
  let app: FastifyInstance;
  let world: World;
  const SECRET = 'very-secret-smtp-password';

  beforeAll(async () => {
    const db = database.current.db;
    app = await buildTestApp(db, clock);
    world = await buildWorld(db, app);
  });
  afterAll(() => app?.close());

  const valid = { host: 'smtp.example.gov.cn', port: 465, secure: true, from: 'noreply@example.gov.cn', username: 'noreply', password: SECRET, enabled: true };

  it('sets an organ\'s mail server and reads it back without the password; the audit event holds no password', async () => {
    const admin = await signInAs(app, world.users.admin);
    const put = await admin.inject({ method: 'PUT', url: `/api/v1/settings/smtp/${world.orgs.dongcheng.id}`, payload: valid });
    expect(put.statusCode, put.body).toBe(204);

    const get = await admin.inject({ method: 'GET', url: '/api/v1/settings/smtp' });
    expect(get.statusCode, get.body).toBe(200);
    expect(get.body).not.toContain(SECRET);
    expect(get.body).not.toContain('"password"');
    const items = (get.json() as { data: { organ: { id: string }; configured: boolean; hasPassword: boolean; host: string | null }[] }).data;
    expect(items.map((i) => i.organ.id)).toEqual(expect.arrayContaining([world.orgs.committee.id, world.orgs.dongcheng.id, world.orgs.xicheng.id]));
    expect(items.find((i) => i.organ.id === world.orgs.dongcheng.id)).toMatchObject({ configured: true, hasPassword: true, host: 'smtp.example.gov.cn', port: 465, secure: true, from: 'noreply@example.gov.cn', username: 'noreply', enabled: true });
    expect(items.find((i) => i.organ.id === world.orgs.xicheng.id)).toMatchObject({ configured: false, hasPassword: false });

    // Without a password the old one stays.
    const { password: _omitted, ...withoutPassword } = valid;
    const again = await admin.inject({ method: 'PUT', url: `/api/v1/settings/smtp/${world.orgs.dongcheng.id}`, payload: { ...withoutPassword, port: 587, secure: false } });
    expect(again.statusCode, again.body).toBe(204);
    const row = await database.current.db.selectFrom('organ_smtp_settings').selectAll().where('organ_id', '=', world.orgs.dongcheng.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ port: 587, secure: false, password_plaintext_legacy: null });
    // Sealed at rest, bound to the organ: the raw row holds no trace of the password.
    expect(row.password_sealed!.includes(Buffer.from(SECRET, 'utf8'))).toBe(false);
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect(openSmtpPassword(TEST_CRYPTO.secrets, world.orgs.dongcheng.id, row.password_sealed!)).toBe(SECRET);
    expect(() => openSmtpPassword(TEST_CRYPTO.secrets, world.orgs.xicheng.id, row.password_sealed!)).toThrow();
    // Nothing can write a password in plaintext any more.
    await expect(sql`UPDATE organ_smtp_settings SET password_plaintext_legacy = ${SECRET}`.execute(database.current.db)).rejects.toThrow(/organ_smtp_settings_no_plaintext_password/);

    // An empty password clears it.
    const cleared = await admin.inject({ method: 'PUT', url: `/api/v1/settings/smtp/${world.orgs.dongcheng.id}`, payload: { ...valid, password: '' } });
    expect(cleared.statusCode, cleared.body).toBe(204);
    const afterClear = (await admin.inject({ method: 'GET', url: '/api/v1/settings/smtp' })).json() as { data: { organ: { id: string }; hasPassword: boolean }[] };
    expect(afterClear.data.find((i) => i.organ.id === world.orgs.dongcheng.id)).toMatchObject({ hasPassword: false });
    expect((await database.current.db.selectFrom('organ_smtp_settings').select('password_sealed').where('organ_id', '=', world.orgs.dongcheng.id).executeTakeFirstOrThrow()).password_sealed).toBeNull();

    const events = await database.current.db.selectFrom('events').selectAll().where('type', '=', 'settings.smtp-configured').orderBy('seq').execute();
    expect(events).toHaveLength(3);
    expect(events[0]!.actor).toBe(`user:${world.users.admin.id}`);
    expect(events[0]!.payload).toMatchObject({ organId: world.orgs.dongcheng.id, host: 'smtp.example.gov.cn', passwordChanged: true });
    expect(events[1]!.payload).toMatchObject({ port: 587, passwordChanged: false });
    for (const event of events) {
      expect(JSON.stringify(event.payload)).not.toContain(SECRET);
      expect(event.payload).not.toHaveProperty('password');
    }
  });

  it('refuses non-administrators and organs outside the administrator\'s jurisdiction', async () => {
    const handler = await signInAs(app, world.users.handler);
    expect((await handler.inject({ method: 'GET', url: '/api/v1/settings/smtp' })).statusCode).toBe(403);
    expect((await handler.inject({ method: 'PUT', url: `/api/v1/settings/smtp/${world.orgs.dongcheng.id}`, payload: valid })).statusCode).toBe(403);

    const db = database.current.db;
    const elsewhere = await createOrganization(db, { name: '别处单位' });
    const dcAdmin = await createUser(db, { username: 'dc-admin', roles: [{ role: 'system-administrator', organizationId: world.orgs.dongcheng.id }] });
    const signedIn = await signInAs(app, dcAdmin);
    expect((await signedIn.inject({ method: 'PUT', url: `/api/v1/settings/smtp/${elsewhere.id}`, payload: valid })).statusCode).toBe(404);
    // Above their organ is outside it too.
    expect((await signedIn.inject({ method: 'PUT', url: `/api/v1/settings/smtp/${world.orgs.committee.id}`, payload: valid })).statusCode).toBe(404);
    const seen = (await signedIn.inject({ method: 'GET', url: '/api/v1/settings/smtp' })).json() as { data: { organ: { id: string } }[] };
    expect(seen.data.map((i) => i.organ.id)).toContain(world.orgs.dongcheng.id);
    expect(seen.data.map((i) => i.organ.id)).not.toContain(world.orgs.committee.id);
  });

  it('names the field of a bad port or address', async () => {
    const admin = await signInAs(app, world.users.admin);
    const badPort = await admin.inject({ method: 'PUT', url: `/api/v1/settings/smtp/${world.orgs.xicheng.id}`, payload: { ...valid, port: 70000 } });
    expect(badPort.statusCode).toBe(400);
    expect(badPort.json()).toMatchObject({ key: 'port' });
    const badFrom = await admin.inject({ method: 'PUT', url: `/api/v1/settings/smtp/${world.orgs.xicheng.id}`, payload: { ...valid, from: 'not-an-address' } });
    expect(badFrom.json()).toMatchObject({ key: 'from' });
    expect(await database.current.db.selectFrom('organ_smtp_settings').select('organ_id').where('organ_id', '=', world.orgs.xicheng.id).execute()).toEqual([]);

    const badEmail = await admin.inject({ method: 'PUT', url: '/api/v1/settings/my-email', payload: { email: 'no at sign' } });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.json()).toMatchObject({ key: 'email' });
  });

  it('lets any signed-in user set their own e-mail address', async () => {
    const supervisor = await signInAs(app, world.users.supervisor);
    const put = await supervisor.inject({ method: 'PUT', url: '/api/v1/settings/my-email', payload: { email: 'jiandu@example.gov.cn' } });
    expect(put.statusCode, put.body).toBe(200);
    const row = await database.current.db.selectFrom('users').select('email').where('id', '=', world.users.supervisor.id).executeTakeFirstOrThrow();
    expect(row.email).toBe('jiandu@example.gov.cn');
    expect(((await supervisor.inject({ method: 'GET', url: '/api/v1/settings/my-email' })).json() as { data: { email: string } }).data.email).toBe('jiandu@example.gov.cn');
    const cleared = await supervisor.inject({ method: 'PUT', url: '/api/v1/settings/my-email', payload: { email: null } });
    expect(cleared.statusCode).toBe(200);
    expect((await app.inject({ method: 'PUT', url: '/api/v1/settings/my-email', payload: { email: 'x@y.cn' } })).statusCode).toBe(401);
  });
});
