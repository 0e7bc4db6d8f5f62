import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';

const ZHealth = z.object({ status: z.enum(['ok', 'unavailable']), database: z.enum(['ok', 'unavailable']), version: z.string() });

/** Liveness and readiness for load balancers and operators; no session needed, no data disclosed. */
export const healthRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  app.get(
    '/api/health',
    { config: { public: true, audit: { none: '健康检查不含任何业务数据' } }, schema: { tags: ['system'], summary: '健康检查', response: { 200: ZHealth, 503: ZHealth } } },
    async (_request, reply) => {
      const database = await sql`SELECT 1`.execute(context.db).then(
        () => 'ok' as const,
        () => 'unavailable' as const,
      );
      const status = database === 'ok' ? 'ok' : 'unavailable';
      return reply.status(status === 'ok' ? 200 : 503).send({ status, database, version: context.version });
    },
  );
};
