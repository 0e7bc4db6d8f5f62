import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { PasswordPolicyName } from '../../src/access/password-policy.js';
import { fixedClock, systemClock, type Clock } from '../../src/clock.js';
import { ephemeralAppCrypto, type AppCrypto } from '../../src/crypto/app-crypto.js';
import type { Db } from '../../src/db/connect.js';
import { LocalFileStore, type FileStore } from '../../src/files/store.js';
import { buildApp } from '../../src/http/app.js';
import { createOrganization, createUser } from './factories.js';
import { completeSignIn, SESSION_COOKIES, type Transport } from './identity.js';

export { fixedClock };

/**
 * One keyring for every test app of this process: an app rebuilt on the same database (a harness restarting its
 * app, a second clock) must open the TOTP secrets the first one sealed.
 */
export const TEST_CRYPTO = ephemeralAppCrypto();

export interface TestAppOptions {
  secureCookies?: boolean;
  passwordPolicy?: PasswordPolicyName;
  signInRateLimit?: number;
  trustedProxies?: string;
  /** The attachment store: one the test looks into or seeded (seedDemo) itself; a fresh temporary one when absent. */
  files?: FileStore;
  /** A keyring of the test's own (a server started with a given key file, or the one seedDemo sealed under); TEST_CRYPTO when absent. */
  crypto?: AppCrypto;
  /** The built web application (dist/web), served at / as the server does; the API alone when absent. */
  webRoot?: string;
  /** Routes or hooks the test adds to the application before it is ready (none can be added after). */
  beforeReady?: (app: FastifyInstance) => void | Promise<void>;
}

/** An attachment store in a fresh temporary directory. */
export const tempFileStore = async (): Promise<LocalFileStore> => new LocalFileStore(await mkdtemp(path.join(tmpdir(), 'rongcuo-files-')));

/** The real application on a test database, driven through inject (no port) or listening where a test needs one. */
export async function buildTestApp(db: Db, clock: Clock = systemClock, options: TestAppOptions = {}): Promise<FastifyInstance> {
  // Tests sign in far more often than a person: the per-address sign-in limit is lifted here (and tested on its own).
  const app = await buildApp({
    context: {
      db,
      clock,
      version: 'test',
      files: options.files ?? (await tempFileStore()),
      crypto: options.crypto ?? TEST_CRYPTO,
      secureCookies: options.secureCookies ?? false,
      signInRateLimit: options.signInRateLimit ?? 10_000,
      ...(options.passwordPolicy ? { passwordPolicy: options.passwordPolicy } : {}),
      ...(options.trustedProxies ? { trustedProxies: options.trustedProxies } : {}),
    },
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
  });
  await options.beforeReady?.(app);
  await app.ready();
  return app;
}

export interface SignedIn {
  cookie: string;
  userId: string;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

/** Inject with a cookie jar of one session cookie, updated from every answer (the token changes at the second factor). */
export function injectTransport(app: FastifyInstance): Transport & { cookie: { name: string; value: string } | undefined; last: LightMyRequestResponse | undefined } {
  const transport = {
    cookie: undefined as { name: string; value: string } | undefined,
    last: undefined as LightMyRequestResponse | undefined,
    async request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) {
      // Tests pass a factory's user (it carries its id too) as credentials: the form sends only these two fields,
      // and the API refuses unknown ones.
      const payload =
        method === 'POST' && url === '/api/v1/session' && body && typeof body === 'object'
          ? { username: (body as { username: string }).username, password: (body as { password: string }).password }
          : body;
      const response = await app.inject({
        method,
        url,
        ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
        ...(transport.cookie ? { cookies: { [transport.cookie.name]: transport.cookie.value } } : {}),
      });
      const set = response.cookies.find((c) => SESSION_COOKIES.includes(c.name));
      if (set) transport.cookie = { name: set.name, value: set.value };
      transport.last = response;
      return { status: response.statusCode, body: response.body ? (JSON.parse(response.body) as unknown) : undefined };
    },
  };
  return transport;
}

/**
 * A fresh sign-in through every step (password, authenticator enrolment or TOTP code, a required password
 * change), returning an inject that carries the new session cookie. For tests about signing in itself; the others
 * use signInAs.
 */
export async function signInFresh(app: FastifyInstance, credentials: { username: string; password: string }): Promise<SignedIn> {
  const transport = injectTransport(app);
  const { userId } = await completeSignIn(transport, credentials);
  const cookie = transport.cookie;
  if (!cookie) throw new Error('sign-in set no session cookie');
  return {
    cookie: cookie.value,
    userId,
    inject: (options) => app.inject({ ...options, cookies: { ...(options.cookies ?? {}), [cookie.name]: cookie.value } }),
  };
}

const sessions = new WeakMap<FastifyInstance, Map<string, SignedIn>>();

/**
 * A signed-in session of this user on this app: the one signed in before while it is still valid (a TOTP code
 * is good once per 30-second step, and tests run at fixed clocks), otherwise a fresh sign-in.
 */
export async function signInAs(app: FastifyInstance, credentials: { username: string; password: string }): Promise<SignedIn> {
  let byUser = sessions.get(app);
  if (!byUser) sessions.set(app, (byUser = new Map()));
  const cached = byUser.get(credentials.username);
  if (cached) {
    const check = await cached.inject({ method: 'GET', url: '/api/v1/session' });
    if (check.statusCode === 200 && (check.json() as { stage: string; user?: { id: string } }).user?.id === cached.userId) return cached;
  }
  const signedIn = await signInFresh(app, credentials);
  byUser.set(credentials.username, signedIn);
  return signedIn;
}

/** A signed-in handler of a fresh organization. */
export async function signedInHandler(app: FastifyInstance, db: Db): Promise<SignedIn> {
  const organization = await createOrganization(db);
  const user = await createUser(db, { roles: [{ role: 'handler', organizationId: organization.id }] });
  return signInAs(app, user);
}
