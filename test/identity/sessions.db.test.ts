import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, injectTransport, signInAs, signInFresh, type SignedIn } from '../helpers/app.js';
import { useTestDatabase } from '../helpers/db.js';
import { createOrganization, createUser } from '../helpers/factories.js';
import { movableClock, nextTotpCode, totpCode, totpStepAt, rememberedTotpSecret } from '../helpers/identity.js';

/** Pending sessions, lockout, expiry, disabling, timeouts, session ids and cookies, over HTTP. */

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

/** The routes a pending session may call: those that finish a sign-in. */
const SIGN_IN_STEPS = [
  'GET /api/v1/session',
  'DELETE /api/v1/session',
  'GET /api/v1/session/totp-enrolment',
  'POST /api/v1/session/totp-enrolment',
  'POST /api/v1/session/second-factor',
  'POST /api/v1/session/sm2-challenge',
  'PUT /api/v1/session/password',
];

describe('sessions and accounts', () => {
  const database = useTestDatabase();
  const time = movableClock('2026-03-02T01:00:10Z');
  let app: FastifyInstance;
  let adminUser: { id: string; username: string; password: string };
  let organizationId: string;
  beforeAll(async () => {
    app = await buildTestApp(database.current.db, time.clock);
    organizationId = (await createOrganization(database.current.db)).id;
    adminUser = await createUser(database.current.db, { roles: [{ role: 'system-administrator', organizationId }] });
  });
  // The clock moves a lot here: the administrator's session is signed in again when it has gone idle.
  const admin = { inject: async (options: Parameters<SignedIn['inject']>[0]) => (await signInAs(app, adminUser)).inject(options), get userId() { return adminUser.id; } };
  afterAll(() => app.close());

  const db = () => database.current.db;
  const handler = () => createUser(db(), { roles: [{ role: 'handler', organizationId }] });
  const sessionsOf = async (userId: string) => (await db().selectFrom('sessions').select('token_hash').where('user_id', '=', userId).execute()).length;
  const reasons = async (userId: string) =>
    (await db().selectFrom('events').select('payload').where('type', '=', 'user.sign-in-failed').where('actor', '=', `user:${userId}`).orderBy('seq').execute()).map(
      (e) => (e.payload as { reason: string }).reason,
    );
  // Only the two fields: the route refuses any other (a factory user carries its id and roles too).
  const post = ({ username, password }: { username: string; password: string }) =>
    app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password } });
  /** The answer to an unknown user: what every refused sign-in must look like. */
  const unknownUserAnswer = async () => {
    const response = await post({ username: `nobody-${randomUUID().slice(0, 8)}`, password: 'whatever-it-is' });
    return { status: response.statusCode, type: response.headers['content-type'], body: response.json() as unknown };
  };
  const answerOf = async ({ username, password }: { username: string; password: string }) => {
    const response = await post({ username, password });
    return { status: response.statusCode, type: response.headers['content-type'], body: response.json() as unknown };
  };

  it('lets a pending session reach the sign-in steps and nothing else', async () => {
    const user = await handler();
    const transport = injectTransport(app);
    await transport.request('POST', '/api/v1/session', user);
    const cookies = { [transport.cookie!.name]: transport.cookie!.value };
    const walked: string[] = [];
    for (const route of app.registeredRoutes.filter((r) => r.url.startsWith('/api/') && !r.public)) {
      const key = `${route.method} ${route.url}`;
      if (SIGN_IN_STEPS.includes(key)) continue;
      const url = route.url.replace(/:[A-Za-z0-9]+/g, randomUUID());
      const response = await app.inject({ method: route.method as 'GET', url, cookies, payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {} });
      expect(response.statusCode, key).toBe(401);
      expect(response.json(), key).toMatchObject({ code: 'NOT_SIGNED_IN' });
      walked.push(key);
    }
    expect(walked).toContain('GET /api/v1/cases');
    expect(walked).toContain('GET /api/v1/workbench');
    expect(walked).toContain('PUT /api/v1/users/:userId/disabled');
    // The steps it may take answer (each refuses what does not fit the stage, but not for want of a session).
    expect((await transport.request('GET', '/api/v1/session')).status).toBe(200);
    expect((await transport.request('GET', '/api/v1/session/totp-enrolment')).status).toBe(200);
    expect((await transport.request('PUT', '/api/v1/session/password', { newPassword: 'Another#Password1' })).status).toBe(409);
    expect((await transport.request('DELETE', '/api/v1/session')).status).toBe(204);
    expect(await sessionsOf(user.id)).toBe(0);
  });

  it('locks an account for 15 minutes after 5 failures, answering as for an unknown user, and audits each', async () => {
    const user = await handler();
    await signInAs(app, user);
    const expected = await unknownUserAnswer();
    for (let i = 0; i < 5; i++) expect(await answerOf({ username: user.username, password: `wrong-${i}` })).toEqual(expected);
    expect((await db().selectFrom('events').select('payload').where('type', '=', 'user.locked').where('actor', '=', `user:${user.id}`).execute()).map((e) => e.payload)).toEqual([
      { until: new Date(time.now().getTime() + 15 * MINUTE).toISOString(), failures: 5 },
    ]);
    // The right password changes nothing while the lock lasts.
    expect(await answerOf(user)).toEqual(expected);
    time.advance(15 * MINUTE - 1000);
    expect(await answerOf(user)).toEqual(expected);
    time.advance(1000);
    expect((await post(user)).json()).toMatchObject({ stage: 'second-factor' });
    expect(await reasons(user.id)).toEqual([...Array(5).fill('wrong-password'), 'locked', 'locked']);
  });

  it('counts wrong second factors towards the lockout and ends the pending session at the fifth', async () => {
    const user = await handler();
    const first = await signInFresh(app, user);
    const secret = rememberedTotpSecret(first.userId)!;
    const transport = injectTransport(app);
    await transport.request('POST', '/api/v1/session', user);
    const wrong = totpCode(secret, totpStepAt(time.now()) + 7);
    for (let i = 0; i < 4; i++) expect((await transport.request('POST', '/api/v1/session/second-factor', { method: 'totp', code: wrong })).status).toBe(401);
    // A full sign-in in between would clear the count; the fifth failure locks.
    expect((await transport.request('POST', '/api/v1/session/second-factor', { method: 'totp', code: wrong })).status).toBe(401);
    expect((await transport.request('GET', '/api/v1/session')).status).toBe(401);
    expect(await answerOf(user)).toEqual(await unknownUserAnswer());
    // The complete session signed in before the lock is left alone: a lock slows guessing, it does not evict.
    expect((await first.inject({ method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(200);
  });

  it('clears the failure count at a full sign-in', async () => {
    const user = await handler();
    await signInFresh(app, user);
    for (let i = 0; i < 4; i++) await post({ username: user.username, password: `wrong-${i}` });
    time.advance(MINUTE);
    await signInFresh(app, user);
    for (let i = 0; i < 4; i++) await post({ username: user.username, password: `wrong-again-${i}` });
    expect((await post(user)).statusCode).toBe(200);
  });

  it('ends an expired account: no sign-in, and its sessions stop working at the expiry', async () => {
    const user = await handler();
    const session = await signInFresh(app, user);
    const expiry = await admin.inject({ method: 'PUT', url: `/api/v1/users/${user.id}/expiry`, payload: { expiresAt: new Date(time.now().getTime() + HOUR).toISOString() } });
    expect(expiry.statusCode).toBe(200);
    expect(expiry.json()).toMatchObject({ data: { id: user.id, expiresAt: new Date(time.now().getTime() + HOUR).toISOString() } });
    expect((await session.inject({ method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(200);

    time.advance(HOUR);
    expect((await session.inject({ method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(401);
    expect(await answerOf(user)).toEqual(await unknownUserAnswer());
    expect(await reasons(user.id)).toEqual(['expired']);

    // Extended again by the administrator, the account signs in.
    await admin.inject({ method: 'PUT', url: `/api/v1/users/${user.id}/expiry`, payload: { expiresAt: null } });
    expect((await post(user)).statusCode).toBe(200);
    const events = await db().selectFrom('events').select('payload').where('type', '=', 'user.expiry-set').execute();
    expect(events.map((e) => (e.payload as { userId: string }).userId)).toEqual([user.id, user.id]);
  });

  it('ends every session of an account the moment it is disabled, pending ones too, and audits it', async () => {
    const user = await handler();
    const session = await signInFresh(app, user);
    const pending = injectTransport(app);
    await pending.request('POST', '/api/v1/session', user);
    expect(await sessionsOf(user.id)).toBe(2);

    const disabled = await admin.inject({ method: 'PUT', url: `/api/v1/users/${user.id}/disabled` });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toMatchObject({ data: { id: user.id, disabled: true } });
    expect(await sessionsOf(user.id)).toBe(0);
    expect((await session.inject({ method: 'GET', url: '/api/v1/session' })).statusCode).toBe(401);
    expect((await pending.request('GET', '/api/v1/session')).status).toBe(401);
    expect(await answerOf(user)).toEqual(await unknownUserAnswer());
    const event = await db().selectFrom('events').select(['actor', 'payload']).where('type', '=', 'user.disabled').executeTakeFirstOrThrow();
    expect(event).toEqual({ actor: `user:${admin.userId}`, payload: { userId: user.id, endedSessions: 2 } });

    expect((await admin.inject({ method: 'DELETE', url: `/api/v1/users/${user.id}/disabled` })).json()).toMatchObject({ data: { disabled: false } });
    expect((await post(user)).statusCode).toBe(200);
  });

  it('lets only an administrator of the account manage it, and not disable their own', async () => {
    const user = await handler();
    const elsewhere = await createUser(db(), { roles: [{ role: 'handler', organizationId: (await createOrganization(db())).id }] });
    expect((await admin.inject({ method: 'PUT', url: `/api/v1/users/${elsewhere.id}/disabled` })).statusCode).toBe(404);
    expect((await admin.inject({ method: 'PUT', url: `/api/v1/users/${admin.userId}/disabled` })).statusCode).toBe(403);
    const notAdmin = await signInAs(app, user);
    expect((await notAdmin.inject({ method: 'PUT', url: `/api/v1/users/${user.id}/disabled` })).statusCode).toBe(403);
    expect((await notAdmin.inject({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(403);
    const listed = (await admin.inject({ method: 'GET', url: '/api/v1/users' })).json() as { data: { id: string }[] };
    expect(listed.data.map((u) => u.id)).toContain(user.id);
    expect(listed.data.map((u) => u.id)).not.toContain(elsewhere.id);
    expect(JSON.stringify(listed)).not.toMatch(/hash|secret/i);
  });

  it('resets an authenticator: the sessions end and the next sign-in enrols again', async () => {
    const user = await handler();
    const session = await signInFresh(app, user);
    expect((await admin.inject({ method: 'DELETE', url: `/api/v1/users/${user.id}/totp` })).json()).toMatchObject({ data: { totpEnrolled: false } });
    expect((await session.inject({ method: 'GET', url: '/api/v1/session' })).statusCode).toBe(401);
    expect((await post(user)).json()).toMatchObject({ stage: 'enrol-totp' });
  });

  it('ends a session idle for 30 minutes', async () => {
    const session = await signInFresh(app, await handler());
    time.advance(29 * MINUTE);
    expect((await session.inject({ method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(200);
    time.advance(30 * MINUTE + 1000);
    expect((await session.inject({ method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(401);
  });

  it('ends a session 12 hours after sign-in however busy it is', async () => {
    const session = await signInFresh(app, await handler());
    for (let elapsed = 0; elapsed < 12 * HOUR - 20 * MINUTE; elapsed += 20 * MINUTE) {
      time.advance(20 * MINUTE);
      expect((await session.inject({ method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(200);
    }
    time.advance(20 * MINUTE);
    expect((await session.inject({ method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(401);
  });

  it('gives a pending session 10 minutes to finish signing in', async () => {
    const user = await handler();
    await signInFresh(app, user);
    const transport = injectTransport(app);
    await transport.request('POST', '/api/v1/session', user);
    time.advance(10 * MINUTE);
    expect((await transport.request('GET', '/api/v1/session')).status).toBe(401);
  });

  it('gives a new session id at every sign-in and at the second factor, ending the one the client held', async () => {
    const user = await handler();
    const first = await signInFresh(app, user);
    time.advance(MINUTE);
    const transport = injectTransport(app);
    transport.cookie = { name: 'rongcuo_session', value: first.cookie };
    await transport.request('POST', '/api/v1/session', user);
    const pending = transport.cookie.value;
    expect(pending).not.toBe(first.cookie);
    expect((await first.inject({ method: 'GET', url: '/api/v1/session' })).statusCode).toBe(401);
    await transport.request('POST', '/api/v1/session/second-factor', { method: 'totp', code: nextTotpCode(first.userId, time.now()) });
    expect(transport.cookie.value).not.toBe(pending);
    expect((await app.inject({ method: 'GET', url: '/api/v1/session', cookies: { rongcuo_session: pending } })).statusCode).toBe(401);
    expect((await transport.request('GET', '/api/v1/cases')).status).toBe(200);
    expect(await sessionsOf(user.id)).toBe(1);
  });
});

describe('the session cookie behind TLS', () => {
  const database = useTestDatabase();
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp(database.current.db, undefined, { secureCookies: true });
  });
  afterAll(() => app.close());

  it('is __Host- prefixed, Secure, HttpOnly, SameSite=Strict, for the whole site and no domain, at every step', async () => {
    const user = await createUser(database.current.db);
    const transport = injectTransport(app);
    await transport.request('POST', '/api/v1/session', user);
    const check = () => {
      const cookie = transport.last!.cookies.find((c) => c.name.startsWith('__Host-'))!;
      expect(cookie).toMatchObject({ name: '__Host-rongcuo_session', secure: true, httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(cookie.domain).toBeUndefined();
      expect(transport.last!.headers['set-cookie']).toMatch(/^__Host-rongcuo_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    };
    check();
    const { secret } = (await transport.request('GET', '/api/v1/session/totp-enrolment')).body as { secret: string };
    await transport.request('POST', '/api/v1/session/totp-enrolment', { code: totpCode(secret, totpStepAt(new Date())) });
    check();
    expect((await transport.request('GET', '/api/v1/cases')).status).toBe(200);
    // The plain-HTTP name is not read by a server behind TLS.
    expect((await app.inject({ method: 'GET', url: '/api/v1/cases', cookies: { rongcuo_session: transport.cookie!.value } })).statusCode).toBe(401);
  });
});
