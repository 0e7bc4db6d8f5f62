import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getWorkbench } from '../../../queries/workbench.js';
import type { AppContext } from '../../context.js';
import { requireActor } from '../../plugins/session.js';
import { ZWorkbench } from './schema.js';

/** The 工作台: what the signed-in user has to do now, across the cases in their jurisdiction. */
export const workbenchRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { db, clock } = context;

  app.get(
    '/api/v1/workbench',
    { config: { audit: { reads: 'report.read' } }, schema: { tags: ['workbench'], summary: '工作台：本人当前的待办事项（按角色和管辖范围）', response: { 200: ZWorkbench } } },
    async (request) => ({ data: await getWorkbench(db, requireActor(request), clock) }),
  );
};
