import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addItems, checkItem, createCasePlan, createUnitPlan, recordPoorRectification, reportProgress, sweepOverdue } from '../../../commands/rectification/index.js';
import { getCasePlan, getPlan, listPlans, listReminders } from '../../../queries/rectification.js';
import type { AppContext } from '../../context.js';
import { requireActor } from '../../plugins/session.js';
import * as S from './schema.js';

/**
 * Rectification (整改, Art. 18, R12) over HTTP. Every route needs a session; a plan or case outside the user's
 * jurisdiction is 404. Commands carry the plan `version` the user saw (409 if someone changed it) and answer
 * with the plan as it is now.
 */
export const rectificationRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { db, clock } = context;
  const tags = ['rectification'];

  app.get('/api/v1/cases/:caseId/rectification', { schema: { tags, summary: '案件的整改方案（第十八条）', params: S.ZCaseParams, response: { 200: S.ZCasePlanResponse } } }, async (request) => ({
    data: await getCasePlan(db, requireActor(request), request.params.caseId, clock),
  }));

  app.post('/api/v1/cases/:caseId/rectification', { schema: { tags, summary: '为已作出决定的案件制定整改方案', params: S.ZCaseParams, body: S.ZCreateCasePlan, response: { 201: S.ZPlanCommandResult } } }, async (request, reply) => {
    const actor = requireActor(request);
    const result = await createCasePlan({ db, clock, actor, caseId: request.params.caseId, ...request.body });
    return reply.status(201).send({ data: result, version: result.planVersion, plan: await getPlan(db, actor, result.id, clock) });
  });

  app.get('/api/v1/rectification/plans', { schema: { tags, summary: '管辖范围内的整改方案', querystring: S.ZPlanListQuery, response: { 200: S.ZPlanList } } }, async (request) => ({
    data: await listPlans(db, requireActor(request), request.query, clock),
  }));

  app.post('/api/v1/rectification/plans', { schema: { tags, summary: '为单位制定整改方案', body: S.ZCreateUnitPlan, response: { 201: S.ZPlanCommandResult } } }, async (request, reply) => {
    const actor = requireActor(request);
    const { organId, ...rest } = request.body;
    const result = await createUnitPlan({ db, clock, actor, ...rest, ...(organId !== undefined ? { organId } : {}) });
    return reply.status(201).send({ data: result, version: result.planVersion, plan: await getPlan(db, actor, result.id, clock) });
  });

  app.get('/api/v1/rectification/plans/:planId', { schema: { tags, summary: '整改方案详情', params: S.ZPlanParams, response: { 200: S.ZPlanResponse } } }, async (request) => ({
    data: await getPlan(db, requireActor(request), request.params.planId, clock),
  }));

  app.post('/api/v1/rectification/plans/:planId/items', { schema: { tags, summary: '增加整改事项（责任人、期限、长效机制）', params: S.ZPlanParams, body: S.ZAddItems, response: { 200: S.ZPlanCommandResult } } }, async (request) => {
    const actor = requireActor(request);
    const { version, items } = request.body;
    const result = await addItems({ db, clock, actor, planId: request.params.planId, expectedVersion: version, items });
    return { data: result, version: result.planVersion, plan: await getPlan(db, actor, request.params.planId, clock) };
  });

  app.post('/api/v1/rectification/items/:itemId/progress', { schema: { tags, summary: '报告整改进展（可附文件）', params: S.ZItemParams, body: S.ZReportProgress, response: { 200: S.ZPlanCommandResult } } }, async (request) => {
    const actor = requireActor(request);
    const { version, ...rest } = request.body;
    const result = await reportProgress({ db, clock, actor, itemId: request.params.itemId, expectedVersion: version, ...rest });
    return { data: result, version: result.planVersion, plan: await getPlan(db, actor, await planIdOf(request.params.itemId), clock) };
  });

  app.post('/api/v1/rectification/items/:itemId/check', { schema: { tags, summary: '监督检查：核查通过或退回整改', params: S.ZItemParams, body: S.ZCheckItem, response: { 200: S.ZPlanCommandResult } } }, async (request) => {
    const actor = requireActor(request);
    const { version, ...rest } = request.body;
    const result = await checkItem({ db, clock, actor, itemId: request.params.itemId, expectedVersion: version, ...rest });
    return { data: result, version: result.planVersion, plan: await getPlan(db, actor, await planIdOf(request.params.itemId), clock) };
  });

  app.post(
    '/api/v1/rectification/plans/:planId/poor-rectification',
    { schema: { tags, summary: '认定整改不力并启动关联的问责追责案件（第十条第（四）项）', params: S.ZPlanParams, body: S.ZPoorRectification, response: { 200: S.ZPlanCommandResult } } },
    async (request) => {
      const actor = requireActor(request);
      const { version, ...rest } = request.body;
      const result = await recordPoorRectification({ db, clock, actor, planId: request.params.planId, expectedVersion: version, ...rest });
      return { data: result, version: result.planVersion, plan: await getPlan(db, actor, request.params.planId, clock) };
    },
  );

  app.get('/api/v1/rectification/reminders', { schema: { tags, summary: '逾期整改提醒（监督检查、组织部门）', response: { 200: S.ZReminderList } } }, async (request) => ({
    data: await listReminders(db, requireActor(request)),
  }));

  app.post('/api/v1/rectification/overdue-sweep', { schema: { tags, summary: '检查逾期整改事项并提醒监督部门（供定时任务调用）', response: { 200: z.object({ data: z.object({ raised: z.number() }) }) } } }, async (request) => ({
    data: await sweepOverdue({ db, clock, actor: requireActor(request) }),
  }));

  async function planIdOf(itemId: string): Promise<string> {
    const row = await db.selectFrom('rectification_items').select('plan_id').where('id', '=', itemId).executeTakeFirstOrThrow();
    return row.plan_id;
  }
};
