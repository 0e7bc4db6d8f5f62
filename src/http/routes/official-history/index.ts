import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findOfficialHistory } from '../../../queries/official-history.js';
import type { AppContext } from '../../context.js';
import { requireActor } from '../../plugins/session.js';

const ZParams = z.object({ caseId: z.uuid('案件编号格式不正确') });
const ZOfficialHistory = z.object({
  data: z.object({
    official: z.object({ id: z.string(), name: z.string() }),
    cases: z.array(z.object({ id: z.string(), title: z.string(), openedOn: z.string(), state: z.string(), outcome: z.string().nullable() })),
    reminders: z.array(z.object({ id: z.string(), kind: z.string(), givenOn: z.string(), problem: z.string(), followUp: z.string(), followUpOn: z.string().nullable() })),
  }),
});

/**
 * The official's earlier cases and prevention reminders, for the assessment (Art. 9(1): 初次犯错还是重复犯错).
 * Staff who see the case's internals only; to others the case does not exist (404).
 */
export const officialHistoryRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { db } = context;
  app.get(
    '/api/v1/cases/:caseId/official-history',
    { config: { audit: { reads: 'case.read' } }, schema: { tags: ['cases'], summary: '该干部此前的案件与预防提醒（第九条第（一）项）', params: ZParams, response: { 200: ZOfficialHistory } } },
    async (request) => ({ data: await findOfficialHistory(db, requireActor(request), request.params.caseId) }),
  );
};
