import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, injectTransport, signInAs, signInFresh } from '../../../../test/helpers/app.js';
import { useTestDatabase } from '../../../../test/helpers/db.js';
import { createOrganization, createUser } from '../../../../test/helpers/factories.js';
import { SESSION_COOKIE } from '../../plugins/session.js';

describe('session routes', () => {
  const database = useTestDatabase();
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp(database.current.db);
  });
  afterAll(() => app.close());

  it('refuses without a session', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/session' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'NOT_SIGNED_IN', title: '请先登录', status: 401 });
  });

  it('signs in through both factors, shows the user with their roles, and signs out', async () => {
    const organization = await createOrganization(database.current.db);
    const user = await createUser(database.current.db, { roles: [{ role: 'handler', organizationId: organization.id }] });
    const session = await signInAs(app, user);
    const me = await session.inject({ method: 'GET', url: '/api/v1/session' });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({
      stage: 'complete',
      user: { id: user.id, username: user.username, displayName: `测试用户 ${user.username}`, officialId: null, roles: [{ role: 'handler', organizationId: organization.id }] },
      serverTime: expect.any(String),
    });
    expect(JSON.stringify(me.json())).not.toContain('password');

    const out = await session.inject({ method: 'DELETE', url: '/api/v1/session' });
    expect(out.statusCode).toBe(204);
    const after = await session.inject({ method: 'GET', url: '/api/v1/session' });
    expect(after.statusCode).toBe(401);

    const events = await database.current.db.selectFrom('events').select(['type', 'actor']).where('actor', '=', `user:${user.id}`).orderBy('seq').execute();
    expect(events.map((e) => e.type)).toEqual(['user.password-verified', 'user.totp-enrolled', 'user.signed-in', 'user.signed-out']);
  });

  it('sets an HttpOnly, SameSite=Strict cookie and stores only the token hash', async () => {
    const user = await createUser(database.current.db);
    const response = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: user.username, password: user.password } });
    const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(cookie.path).toBe('/');
    const stored = await database.current.db.selectFrom('sessions').select('token_hash').where('user_id', '=', user.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash.toString('base64url')).not.toBe(cookie.value);
    // 256 random bits, base64url.
    expect(Buffer.from(cookie.value, 'base64url')).toHaveLength(32);
  });

  it('refuses a wrong password, an unknown user, a disabled and an expired account alike, and audits each', async () => {
    const user = await createUser(database.current.db);
    const disabled = await createUser(database.current.db, { disabled: true });
    const expired = await createUser(database.current.db, { expiresAt: new Date(Date.now() - 60_000) });
    const bodies: unknown[] = [];
    for (const credentials of [
      { username: user.username, password: 'not-the-password' },
      { username: 'nobody-here', password: 'whatever' },
      { username: disabled.username, password: disabled.password },
      { username: expired.username, password: expired.password },
    ]) {
      const response = await app.inject({ method: 'POST', url: '/api/v1/session', payload: credentials });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'INVALID_CREDENTIALS', title: '用户名或密码错误' });
      expect(response.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
      bodies.push(response.json());
    }
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    const failures = await database.current.db.selectFrom('events').select('payload').where('type', '=', 'user.sign-in-failed').execute();
    expect(failures.map((f) => (f.payload as { reason: string }).reason).sort()).toEqual(['disabled', 'expired', 'unknown-user', 'wrong-password']);
    // The audit keeps reasons and ids, never the name typed or the password.
    expect(JSON.stringify(failures)).not.toContain('nobody-here');
    expect(JSON.stringify(failures)).not.toContain('not-the-password');
  });

  it('answers the password with the next step, not with the user, and opens a pending session', async () => {
    const user = await createUser(database.current.db);
    const transport = injectTransport(app);
    const response = await transport.request('POST', '/api/v1/session', { username: user.username, password: user.password });
    expect(response).toEqual({ status: 200, body: { stage: 'enrol-totp', account: { id: user.id, username: user.username, displayName: `测试用户 ${user.username}` }, serverTime: expect.any(String) } });
    expect(await transport.request('GET', '/api/v1/session')).toMatchObject({ status: 200, body: { stage: 'enrol-totp' } });
  });

  it('names the missing field when the body is incomplete', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'someone' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'INVALID_INPUT', key: 'password' });
  });

  it('answers unknown routes without revealing whether they exist', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(401);
  });

  it('gives a fresh session to a fresh sign-in and reuses a valid one for signInAs', async () => {
    const user = await createUser(database.current.db);
    const first = await signInAs(app, user);
    expect((await signInAs(app, user)).cookie).toBe(first.cookie);
    const fresh = await signInFresh(app, user);
    expect(fresh.cookie).not.toBe(first.cookie);
    expect((await first.inject({ method: 'GET', url: '/api/v1/session' })).statusCode).toBe(200);
  });
});

describe('sign-in rate limit', () => {
  const database = useTestDatabase();

  it('refuses the 11th attempt within a minute from one address with 429 in Chinese', async () => {
    const { buildApp } = await import('../../app.js');
    const { LocalFileStore } = await import('../../../files/store.js');
    const files = new LocalFileStore(await mkdtemp(path.join(tmpdir(), 'rongcuo-files-')));
    const app = await buildApp({ context: { db: database.current.db, clock: { now: () => new Date() }, version: 'test', files, secureCookies: false } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        statuses.push((await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'nobody', password: 'x' } })).statusCode);
      }
      expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
      const limited = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'nobody', password: 'x' } });
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED', title: '请求过于频繁，请稍后再试' });
    } finally {
      await app.close();
    }
  });

  it('limits the second-factor answers from one address the same way', async () => {
    const { buildApp } = await import('../../app.js');
    const { LocalFileStore } = await import('../../../files/store.js');
    const files = new LocalFileStore(await mkdtemp(path.join(tmpdir(), 'rongcuo-files-')));
    const app = await buildApp({ context: { db: database.current.db, clock: { now: () => new Date() }, version: 'test', files, secureCookies: false, signInRateLimit: 3 } });
    try {
      const user = await createUser(database.current.db);
      const transport = injectTransport(app);
      expect((await transport.request('POST', '/api/v1/session', { username: user.username, password: user.password })).status).toBe(200);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await transport.request('POST', '/api/v1/session/second-factor', { method: 'totp', code: '000000' })).status);
      // A pending session at the enrolment step: refused for the step three times, then for the rate.
      expect(statuses).toEqual([409, 409, 409, 429]);
    } finally {
      await app.close();
    }
  });
});
