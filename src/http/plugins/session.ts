import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from '../../access/actor.js';
import { authenticateSession } from '../../access/session.js';
import { notSignedIn } from '../../errors.js';
import type { AppContext } from '../context.js';

export const SESSION_COOKIE = 'rongcuo_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | undefined;
    sessionToken: string | undefined;
  }
  interface FastifyContextConfig {
    /** Routes reachable without a session (health, sign-in). Everything else requires one. */
    public?: boolean;
  }
}

/** The signed-in actor of a route that is not public (the hook guarantees one). */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw notSignedIn();
  return request.actor;
}

/**
 * Every route requires a session unless it declares `config: { public: true }`: a new route is protected by
 * default, so forgetting is safe.
 */
export const sessionPlugin = fp(async (app: FastifyInstance, { context }: { context: AppContext }) => {
  app.decorateRequest('actor', undefined);
  app.decorateRequest('sessionToken', undefined);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      request.actor = await authenticateSession(context.db, token, context.clock);
      if (request.actor) request.sessionToken = token;
    }
    // The web application's files are public; every API route needs a session unless it says otherwise.
    if (request.url.startsWith('/api/') && !request.routeOptions.config.public && !request.actor) throw notSignedIn();
  });
});
