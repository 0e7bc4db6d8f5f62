import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticateSession, SESSION_MAX_MS } from '../../../access/session.js';
import { signIn } from '../../../commands/sign-in.js';
import { signOut } from '../../../commands/sign-out.js';
import { presentActor } from '../../../presenters/actor.js';
import type { AppContext } from '../../context.js';
import { requireActor, SESSION_COOKIE } from '../../plugins/session.js';
import { ZSessionUser, ZSignIn } from './schema.js';

export const sessionRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    // Strict same-site cookies keep other sites from riding the session (CSRF).
    sameSite: 'strict' as const,
    secure: context.secureCookies,
  };

  app.post(
    '/api/v1/session',
    {
      config: { audit: { records: 'user.signed-in' }, public: true, rateLimit: { max: context.signInRateLimit ?? 10, timeWindow: '1 minute' } },
      schema: { tags: ['session'], summary: '登录', body: ZSignIn, response: { 200: ZSessionUser } },
    },
    async (request, reply) => {
      const { token } = await signIn({ db: context.db, clock: context.clock, ...request.body });
      const actor = await authenticateSession(context.db, token, context.clock);
      reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, maxAge: SESSION_MAX_MS / 1000 });
      return presentActor(actor!);
    },
  );

  app.get('/api/v1/session', { config: { audit: { none: '用户读取本人的会话信息' } }, schema: { tags: ['session'], summary: '当前用户', response: { 200: ZSessionUser } } }, async (request) =>
    presentActor(requireActor(request)),
  );

  app.delete('/api/v1/session', { config: { audit: { records: 'user.signed-out' } }, schema: { tags: ['session'], summary: '退出登录', response: { 204: z.null() } } }, async (request, reply) => {
    await signOut({ db: context.db, clock: context.clock, actor: requireActor(request), token: request.sessionToken! });
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return reply.status(204).send(null);
  });
};
