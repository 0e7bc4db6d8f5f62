import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signInAs } from '../../../../test/helpers/app.js';
import { useTestDatabase } from '../../../../test/helpers/db.js';
import { createOrganization, createUser } from '../../../../test/helpers/factories.js';
import { SESSION_IDLE_MS } from '../../../access/session.js';
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

  it('signs in, shows the user with their roles, and signs out', async () => {
    const organization = await createOrganization(database.current.db);
    const user = await createUser(database.current.db, { roles: [{ role: 'handler', organizationId: organization.id }] });
    const session = await signInAs(app, user);
    const me = await session.inject({ method: 'GET', url: '/api/v1/session' });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({
      user: { id: user.id, username: user.username, displayName: `测试用户 ${user.username}`, officialId: null, roles: [{ role: 'handler', organizationId: organization.id }] },
    });
    expect(JSON.stringify(me.json())).not.toContain('password');

    const out = await session.inject({ method: 'DELETE', url: '/api/v1/session' });
    expect(out.statusCode).toBe(204);
    const after = await session.inject({ method: 'GET', url: '/api/v1/session' });
    expect(after.statusCode).toBe(401);

    const events = await database.current.db.selectFrom('events').select(['type', 'actor']).where('actor', '=', `user:${user.id}`).orderBy('seq').execute();
    expect(events.map((e) => e.type)).toEqual(['user.signed-in', 'user.signed-out']);
  });

  it('sets an HttpOnly, SameSite=Strict cookie and stores only the token hash', async () => {
    const user = await createUser(database.current.db);
    const response = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: user.username, password: user.password } });
    const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    const stored = await database.current.db.selectFrom('sessions').select('token_hash').where('user_id', '=', user.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash.toString('base64url')).not.toBe(cookie.value);
  });

  it('refuses a wrong password, an unknown user and a disabled account alike, and audits each', async () => {
    const user = await createUser(database.current.db);
    const disabled = await createUser(database.current.db, { disabled: true });
    for (const credentials of [
      { username: user.username, password: 'wrong' },
      { username: 'nobody-here', password: 'whatever' },
      { username: disabled.username, password: disabled.password },
    ]) {
      const response = await app.inject({ method: 'POST', url: '/api/v1/session', payload: credentials });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'INVALID_CREDENTIALS', title: '用户名或密码错误' });
      expect(response.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
    }
    const failures = await database.current.db.selectFrom('events').select('payload').where('type', '=', 'user.sign-in-failed').execute();
    expect(failures.map((f) => (f.payload as { reason: string }).reason).sort()).toEqual(['disabled', 'unknown-user', 'wrong-password']);
  });

  it('names the missing field when the body is incomplete', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'someone' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'INVALID_INPUT', key: 'password' });
  });

  it('ends a session left idle longer than the idle timeout', async () => {
    const user = await createUser(database.current.db);
    let now = new Date('2026-03-01T08:00:00Z');
    const clock = { now: () => new Date(now) };
    const timedApp = await buildTestApp(database.current.db, clock);
    try {
      const session = await signInAs(timedApp, user);
      now = new Date(now.getTime() + SESSION_IDLE_MS - 1000);
      expect((await session.inject({ method: 'GET', url: '/api/v1/session' })).statusCode).toBe(200);
      now = new Date(now.getTime() + SESSION_IDLE_MS + 1000);
      expect((await session.inject({ method: 'GET', url: '/api/v1/session' })).statusCode).toBe(401);
    } finally {
      await timedApp.close();
    }
  });

  it('answers unknown routes without revealing whether they exist', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(401);
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
});
