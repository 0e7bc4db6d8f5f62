import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from '../../access/actor.js';
import { passwordPolicy } from '../../access/password-policy.js';
import { loadSession, type SessionState } from '../../access/session.js';
import { notSignedIn } from '../../errors.js';
import type { AppContext } from '../context.js';

/** The session cookie over plain HTTP (development, tests on loopback). */
export const SESSION_COOKIE = 'rongcuo_session';
/**
 * Behind TLS: the `__Host-` prefix makes the browser accept the cookie only with Secure, Path=/ and no Domain,
 * so neither a sibling subdomain nor a plain-HTTP page can set or overwrite it.
 */
export const SECURE_SESSION_COOKIE = '__Host-rongcuo_session';

export const sessionCookieName = (secureCookies: boolean): string => (secureCookies ? SECURE_SESSION_COOKIE : SESSION_COOKIE);

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in actor: set for a complete session only. */
    actor: Actor | undefined;
    /** The session behind the cookie, complete or pending. */
    session: SessionState | undefined;
    sessionToken: string | undefined;
  }
  interface FastifyContextConfig {
    /** Routes reachable without a session (health, sign-in). Everything else requires one. */
    public?: boolean;
    /** Routes that finish a sign-in: reachable by a pending session too (second factor, enrolment, password change). */
    signInStep?: boolean;
  }
}

/** The signed-in actor of a route that is not public (the hook guarantees one). */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw notSignedIn();
  return request.actor;
}

/** The session, complete or pending, of a sign-in step route. */
export function requireSession(request: FastifyRequest): SessionState {
  if (!request.session || !request.sessionToken) throw notSignedIn();
  return request.session;
}

/**
 * Every route requires a complete session unless it declares `config: { public: true }`; a pending session
 * (password accepted, second factor or required password change outstanding) reaches only the routes that say
 * `config: { signInStep: true }`. A new route is protected by default, so forgetting is safe.
 */
export const sessionPlugin = fp(async (app: FastifyInstance, { context }: { context: AppContext }) => {
  const cookieName = sessionCookieName(context.secureCookies);
  const policy = passwordPolicy(context.passwordPolicy);
  app.decorateRequest('actor', undefined);
  app.decorateRequest('session', undefined);
  app.decorateRequest('sessionToken', undefined);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[cookieName];
    if (token) {
      const session = await loadSession(context.db, token, context.clock, policy);
      if (session) {
        request.session = session;
        request.sessionToken = token;
        request.actor = session.actor;
      }
    }
    // The web application's files are public; every API route needs a session unless it says otherwise.
    if (!request.url.startsWith('/api/') || request.routeOptions.config.public) return;
    if (request.actor) return;
    if (request.session && request.routeOptions.config.signInStep) return;
    throw notSignedIn();
  });
});
