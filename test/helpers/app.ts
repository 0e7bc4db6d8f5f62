import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { fixedClock, systemClock, type Clock } from '../../src/clock.js';
import type { Db } from '../../src/db/connect.js';
import { LocalFileStore } from '../../src/files/store.js';
import { buildApp } from '../../src/http/app.js';
import { SESSION_COOKIE } from '../../src/http/plugins/session.js';
import { createOrganization, createUser } from './factories.js';

export { fixedClock };

/** The real application on a test database, driven through inject (no port). */
export async function buildTestApp(db: Db, clock: Clock = systemClock): Promise<FastifyInstance> {
  // Tests sign in far more often than a person: the per-address sign-in limit is lifted here (and tested on its own).
  const files = new LocalFileStore(await mkdtemp(path.join(tmpdir(), 'rongcuo-files-')));
  const app = await buildApp({ context: { db, clock, version: 'test', files, secureCookies: false, signInRateLimit: 10_000 } });
  await app.ready();
  return app;
}

export interface SignedIn {
  cookie: string;
  userId: string;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

/** Signs in through the real route and returns an inject that carries the session cookie. */
export async function signInAs(app: FastifyInstance, credentials: { username: string; password: string }): Promise<SignedIn> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/session', payload: credentials });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error('sign-in set no session cookie');
  const userId = (response.json() as { user: { id: string } }).user.id;
  return {
    cookie: cookie.value,
    userId,
    inject: (options) => app.inject({ ...options, cookies: { ...(options.cookies ?? {}), [SESSION_COOKIE]: cookie.value } }),
  };
}

/** A signed-in handler of a fresh organization. */
export async function signedInHandler(app: FastifyInstance, db: Db): Promise<SignedIn> {
  const organization = await createOrganization(db);
  const user = await createUser(db, { roles: [{ role: 'handler', organizationId: organization.id }] });
  return signInAs(app, user);
}
