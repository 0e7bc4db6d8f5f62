import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../../access/actor.js';
import { grantsOf } from '../../../access/case.js';
import { forbidden } from '../../../errors.js';
import { contentDisposition } from '../../../files/filename.js';
import { beijingDay } from '../../../followup/dates.js';
import { getOversight } from '../../../queries/oversight.js';
import { getStatistics, statisticsWorkbook } from '../../../queries/statistics.js';
import type { AppContext } from '../../context.js';
import { requireActor } from '../../plugins/session.js';

const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const STATISTICS_ROLES = ['supervisor', 'organization-department', 'handler'] as const;

const ZRange = z
  .object({ from: z.iso.date().optional(), to: z.iso.date().optional() })
  .refine((r) => !r.from || !r.to || r.from <= r.to, { message: '起始日期不能晚于截止日期', path: ['to'] });

const ZCount = z.object({ key: z.string(), label: z.string(), count: z.number(), link: z.string().nullable() });
const ZStatistics = z.object({
  range: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  total: z.number(),
  byState: z.array(ZCount),
  byOutcome: z.array(ZCount),
  bySituation: z.array(ZCount),
  byOrgan: z.array(ZCount),
  byMonth: z.array(ZCount),
  decisionDays: z.object({ decided: z.number(), medianDays: z.number().nullable(), meanDays: z.number().nullable() }),
  rectification: z.object({ total: z.number(), done: z.number(), rate: z.number().nullable() }),
});

const ZRate = { decided: z.number(), tolerated: z.number(), rate: z.number(), caseIds: z.array(z.string()), toleratedCaseIds: z.array(z.string()) };
const ZOversight = z.object({
  toleranceByOrgan: z.array(z.object({ organId: z.string(), organName: z.string(), ...ZRate })),
  toleranceBySituation: z.array(z.object({ situation: z.string(), label: z.string(), ...ZRate, link: z.string(), toleratedLink: z.string() })),
  departures: z.array(
    z.object({
      caseId: z.string(), caseTitle: z.string(), decisionId: z.string(), version: z.number(), current: z.boolean(), outcome: z.string(),
      recommendation: z.string().nullable(), reason: z.string().nullable(), deliberationReason: z.string().nullable(), decidedAt: z.string(),
    }),
  ),
  repeatedTolerance: z.array(z.object({ officialId: z.string(), officialName: z.string(), position: z.string().nullable(), count: z.number(), caseIds: z.array(z.string()) })),
  unansweredApplications: z.array(z.object({ applicationId: z.string(), caseId: z.string(), caseTitle: z.string(), applicantKind: z.string(), submittedAt: z.string(), deliberationId: z.string() })),
  recusalWarnings: z.array(
    z.object({ caseId: z.string(), caseTitle: z.string(), decisionId: z.string(), userId: z.string(), userName: z.string(), openedAndDecided: z.boolean(), deliberatedAndDecided: z.boolean() }),
  ),
  overdueRectification: z.array(z.object({ itemId: z.string(), caseId: z.string(), caseTitle: z.string(), title: z.string(), deadline: z.string(), status: z.string() })),
});

function requireStatisticsRole(actor: Actor): void {
  if (!STATISTICS_ROLES.some((role) => grantsOf(actor, role).length > 0)) {
    throw forbidden('只有监督检查人员、组织部门和经办人可以查看统计', 'only supervisors, organization departments and handlers see the statistics');
  }
}

/** Oversight for supervisors (Art. 20 ¶2, R15) and statistics for leaders, all within the user's jurisdiction. */
export const oversightRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { db, clock } = context;

  app.get(
    '/api/v1/oversight',
    { config: { audit: { reads: 'report.read' } }, schema: { tags: ['oversight'], summary: '监督：容错率、偏离研判建议、重复容错、未答复申请、回避提示、整改逾期', response: { 200: z.object({ data: ZOversight }) } } },
    async (request) => {
      const actor = requireActor(request);
      if (grantsOf(actor, 'supervisor').length === 0) throw forbidden('只有监督检查人员可以查看监督情况', 'only supervisors see the oversight figures');
      return { data: await getOversight(db, actor, beijingDay(clock.now())) };
    },
  );

  app.get(
    '/api/v1/statistics',
    { config: { audit: { reads: 'report.read' } }, schema: { tags: ['oversight'], summary: '统计：按阶段、结果、情形、单位、月份；办理用时；整改完成', querystring: ZRange, response: { 200: z.object({ data: ZStatistics }) } } },
    async (request) => {
      const actor = requireActor(request);
      requireStatisticsRole(actor);
      return { data: await getStatistics(db, actor, request.query) };
    },
  );

  app.get(
    '/api/v1/statistics.xlsx',
    { config: { audit: { reads: 'report.read' } }, schema: { tags: ['oversight'], summary: '统计导出（Excel）', querystring: ZRange } },
    async (request, reply) => {
      const actor = requireActor(request);
      requireStatisticsRole(actor);
      const bytes = await statisticsWorkbook(await getStatistics(db, actor, request.query));
      const name = `容错纠错统计${request.query.from ? `-${request.query.from}` : ''}${request.query.to ? `至${request.query.to}` : ''}.xlsx`;
      return reply.type(XLSX_MEDIA_TYPE).header('content-disposition', contentDisposition(name)).header('cache-control', 'no-store').send(bytes);
    },
  );
};
