import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { Secret, TOTP } from 'otpauth';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from '../../src/http/plugins/session.js';

/**
 * Brings an account through every sign-in step the way a person would, so that tests can keep saying "sign in
 * as this user": the password (then the one the helpers chose when a change was required), enrolling an
 * authenticator (its secret remembered here), a TOTP code computed at the *server's* time (the answers carry
 * `serverTime`, so an injected clock is honoured), and a required password change to a strong password derived
 * from the original. Used over inject (test/helpers/app.ts) and over real HTTP (httpTransport below: the browser
 * harness, the two-instance test, the benchmarks and fault drills).
 */

export interface Transport {
  request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

/** The session cookie's two names: plain, and `__Host-` when the server sends Secure cookies. */
export const SESSION_COOKIES: readonly string[] = [SESSION_COOKIE, SECURE_SESSION_COOKIE];

export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One request over node:http(s) on a connection of its own, from `localAddress` when given (a loopback address of
 * its own is a new client to the server's per-address limits); rejects when no answer comes (refused, reset, cut,
 * or nothing within `timeoutMs`).
 */
export function httpRequest(
  url: URL,
  method: string,
  options: { headers?: Record<string, string>; body?: Buffer; localAddress?: string; timeoutMs?: number } = {},
): Promise<HttpReply> {
  const headers = { ...(options.headers ?? {}), ...(options.body !== undefined ? { 'content-length': String(options.body.length) } : {}) };
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, agent: false, ...(options.localAddress ? { localAddress: options.localAddress } : {}) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    request.setTimeout(options.timeoutMs ?? 30_000, () => request.destroy(new Error('timeout')));
    request.on('error', reject);
    request.end(options.body);
  });
}

export interface HttpTransport extends Transport {
  /** The session cookie the server set last (`rongcuo_session` or `__Host-rongcuo_session`); none before. */
  readonly cookie: { name: string; value: string } | undefined;
}

/**
 * Speaks to a running server (`baseUrl`, e.g. `http://127.0.0.1:3000`) over real HTTP with a cookie jar of one
 * session cookie, updated from every answer (the token changes at the second factor). `localAddress` binds each
 * request to that source address (127.0.x.y: a client of its own as far as the per-address limits go).
 */
export function httpTransport(baseUrl: string, options: { localAddress?: string } = {}): HttpTransport {
  let cookie: { name: string; value: string } | undefined;
  return {
    get cookie() {
      return cookie;
    },
    async request(method, route, body) {
      const reply = await httpRequest(new URL(route, baseUrl), method, {
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie: `${cookie.name}=${cookie.value}` } : {}) },
        ...(body !== undefined ? { body: Buffer.from(JSON.stringify(body)) } : {}),
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      });
      for (const line of reply.headers['set-cookie'] ?? []) {
        const [pair = ''] = line.split(';');
        const at = pair.indexOf('=');
        if (at > 0 && SESSION_COOKIES.includes(pair.slice(0, at).trim())) cookie = { name: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim() };
      }
      const text = reply.body.toString('utf8');
      return { status: reply.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
  };
}

export interface SessionStateBody {
  stage: 'enrol-totp' | 'second-factor' | 'change-password' | 'complete';
  user?: { id: string; username: string };
  account?: { id: string; username: string };
  methods?: string[];
  serverTime: string;
}

const PERIOD_MS = 30_000;

/** Per account (by user id, unique across databases): the authenticator secret and the last time step used. */
const authenticators = new Map<string, { secret: string; lastStep: number }>();
/** Per username and original password: the password the helpers changed it to, and how many changes so far. */
const passwords = new Map<string, { current: string; generation: number }>();

const passwordKey = (username: string, original: string) => `${username}\n${original}`;

/** A password every policy accepts (upper, lower, digit, symbol; 24 characters), new for each change. */
export function derivedPassword(username: string, original: string, generation: number): string {
  return `Rc7!${createHash('sha256').update(`${username}\n${original}\n${generation}`).digest('base64url').slice(0, 20)}`;
}

export const totpStepAt = (at: Date): number => Math.floor(at.getTime() / PERIOD_MS);

/** The code of a time step. */
export function totpCode(secret: string, step: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: step * PERIOD_MS });
}

/** The remembered authenticator secret of an account the helpers enrolled. */
export const rememberedTotpSecret = (userId: string): string | undefined => authenticators.get(userId)?.secret;

export function rememberTotp(userId: string, secret: string, lastStep = Number.NEGATIVE_INFINITY): void {
  authenticators.set(userId, { secret, lastStep });
}

/**
 * The next code the server will take for this account at `serverTime`: its current step, or the next one when
 * the current step was used already (codes are single-use; the server accepts ±1 step). Two sign-ins of one
 * account per step under a fixed clock; more and the test must reuse a session or move its clock.
 */
export function nextTotpCode(userId: string, serverTime: Date): string {
  const entry = authenticators.get(userId);
  if (!entry) throw new Error(`no authenticator remembered for user ${userId}: it was enrolled outside the test helpers`);
  const step = Math.max(entry.lastStep + 1, totpStepAt(serverTime));
  if (step > totpStepAt(serverTime) + 1) {
    throw new Error('a third sign-in of the same account within one TOTP step at a fixed clock: reuse the session (signInAs) or advance the clock');
  }
  entry.lastStep = step;
  return totpCode(entry.secret, step);
}

/** How many more codes the server would take from this account at `serverTime` (its current and next step). */
function codesLeftInStep(userId: string, serverTime: Date): number {
  const entry = authenticators.get(userId);
  if (!entry) return 1;
  return Math.max(0, totpStepAt(serverTime) + 1 - entry.lastStep);
}

const fail = (what: string, response: { status: number; body: unknown }) => new Error(`${what} failed: ${response.status} ${JSON.stringify(response.body)}`);

/**
 * Signs in through every step. Returns the signed-in user id. The transport keeps the session cookie (the
 * token changes at the second factor).
 */
export async function completeSignIn(transport: Transport, credentials: { username: string; password: string }): Promise<{ userId: string }> {
  const key = passwordKey(credentials.username, credentials.password);
  const remembered = passwords.get(key);
  let response = await transport.request('POST', '/api/v1/session', { username: credentials.username, password: remembered?.current ?? credentials.password });
  // Remembered from another database of this process, where the change happened: here the original still holds.
  if (response.status === 401 && remembered) response = await transport.request('POST', '/api/v1/session', { username: credentials.username, password: credentials.password });
  if (response.status !== 200) throw fail(`sign-in as ${credentials.username}`, response);

  let state = response.body as SessionStateBody;
  for (let step = 0; step < 6; step++) {
    const userId = state.user?.id ?? state.account!.id;
    switch (state.stage) {
      case 'complete':
        return { userId };
      case 'enrol-totp': {
        const enrolment = await transport.request('GET', '/api/v1/session/totp-enrolment');
        if (enrolment.status !== 200) throw fail('reading the TOTP enrolment', enrolment);
        rememberTotp(userId, (enrolment.body as { secret: string }).secret);
        const confirmed = await transport.request('POST', '/api/v1/session/totp-enrolment', { code: nextTotpCode(userId, new Date(state.serverTime)) });
        if (confirmed.status !== 200) throw fail('confirming the TOTP enrolment', confirmed);
        state = (confirmed.body as { session: SessionStateBody }).session;
        break;
      }
      case 'second-factor': {
        let serverTime = new Date(state.serverTime);
        // On a real clock (a running server), a third sign-in of one account within a 30-s step waits for the next
        // step, as a person would; on an injected clock that cannot happen by waiting, and nextTotpCode says so.
        if (codesLeftInStep(userId, serverTime) === 0 && Math.abs(serverTime.getTime() - Date.now()) < 10_000) {
          await new Promise((resolve) => setTimeout(resolve, PERIOD_MS - (serverTime.getTime() % PERIOD_MS) + 200));
          const fresh = await transport.request('GET', '/api/v1/session');
          if (fresh.status !== 200) throw fail('reading the sign-in state', fresh);
          serverTime = new Date((fresh.body as SessionStateBody).serverTime);
        }
        let answered = await transport.request('POST', '/api/v1/session/second-factor', { method: 'totp', code: nextTotpCode(userId, serverTime) });
        if (answered.status === 401) {
          // A real clock may have crossed into the next step since serverTime was read: once more, at the new time.
          const fresh = await transport.request('GET', '/api/v1/session');
          if (fresh.status !== 200) throw fail('reading the sign-in state', fresh);
          answered = await transport.request('POST', '/api/v1/session/second-factor', { method: 'totp', code: nextTotpCode(userId, new Date((fresh.body as SessionStateBody).serverTime)) });
        }
        if (answered.status !== 200) throw fail('the second factor', answered);
        state = answered.body as SessionStateBody;
        break;
      }
      case 'change-password': {
        const generation = (passwords.get(key)?.generation ?? 0) + 1;
        const newPassword = derivedPassword(credentials.username, credentials.password, generation);
        const changed = await transport.request('PUT', '/api/v1/session/password', { newPassword });
        if (changed.status !== 200) throw fail('the required password change', changed);
        passwords.set(key, { current: newPassword, generation });
        state = changed.body as SessionStateBody;
        break;
      }
    }
  }
  throw new Error(`sign-in as ${credentials.username} did not complete`);
}

/** Tells the helpers about a sign-in a test went through by hand (the form), so that later ones can sign in again. */
export function rememberSignIn(credentials: { username: string; password: string }, done: { userId: string; password: string; totpSecret: string; lastStep: number }): void {
  passwords.set(passwordKey(credentials.username, credentials.password), { current: done.password, generation: 1 });
  rememberTotp(done.userId, done.totpSecret, done.lastStep);
}

/** The password the helpers gave this account, or the original when they never had to change it. */
export const currentPassword = (credentials: { username: string; password: string }): string =>
  passwords.get(passwordKey(credentials.username, credentials.password))?.current ?? credentials.password;

/** A clock a test moves by hand (lockout, idle and absolute timeouts, TOTP steps). */
export function movableClock(start: string | Date) {
  let now = new Date(start);
  return {
    clock: { now: () => new Date(now) },
    now: () => new Date(now),
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
}
