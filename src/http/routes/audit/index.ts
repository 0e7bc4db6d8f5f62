import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor } from '../../../access/actor.js';
import { appendEvent } from '../../../audit/chain.js';
import { verifyChain } from '../../../audit/verify.js';
import { ruleError } from '../../../cases/rules.js';
import { forbidden } from '../../../errors.js';
import { findAuditEvents } from '../../../queries/audit-events.js';
import { getCaseAccessLog } from '../../../queries/case-access-log.js';
import type { AppContext } from '../../context.js';
import { requireActor } from '../../plugins/session.js';

const AUDITORS = new Set(['supervisor', 'audit-administrator']);

/** R16: anyone with the right can verify the tamper-evident log. A broken chain is reported as a rule problem. */
export const auditRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  app.get(
    '/api/v1/audit/verify',
    {
      config: { audit: { records: 'audit.verified' } },
      schema: {
        tags: ['audit'],
        summary: '校验审计哈希链',
        response: { 200: z.object({ ok: z.literal(true), checked: z.number(), head: z.object({ seq: z.string(), hash: z.string() }) }) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      if (!actor.roles.some((g) => AUDITORS.has(g.role))) throw forbidden('只有监督检查人员和管理员可以校验审计链', 'only supervisors and administrators may verify the audit chain');
      const result = await verifyChain(context.db);
      await context.db.transaction().execute((tx) =>
        appendEvent(tx, { type: 'audit.verified', actor: auditActor(actor), payload: { ok: result.ok, checked: result.checked, firstBreak: result.firstBreak?.seq ?? null } }, context.clock),
      );
      if (!result.ok) {
        const broken = result.firstBreak!;
        throw ruleError('R16', 'CHAIN_BROKEN', `审计链在第 ${broken.seq} 号事件处断裂：${broken.message}`, `the audit chain is broken at event ${broken.seq} (${broken.reason})`, 409);
      }
      return { ok: true as const, checked: result.checked, head: result.head };
    },
  );

  app.get(
    '/api/v1/cases/:caseId/access-log',
    {
      config: { audit: { reads: 'audit.read' } },
      schema: {
        tags: ['audit'],
        summary: '案件查阅记录（谁查看、下载、导出了本案）',
        params: z.object({ caseId: z.uuid('案件编号格式不正确') }),
        response: {
          200: z.object({
            data: z.array(
              z.object({ seq: z.string(), at: z.string(), type: z.string(), userId: z.string().nullable(), user: z.string(), route: z.string(), clientAddress: z.string().nullable() }),
            ),
          }),
        },
      },
    },
    async (request) => ({ data: await getCaseAccessLog(context.db, requireActor(request), request.params.caseId) }),
  );

  app.get(
    '/api/v1/audit/events',
    {
      config: { admin: true, audit: { reads: 'audit.read' } },
      schema: {
        tags: ['audit'],
        summary: '审计记录查询（审计管理员）',
        querystring: z.strictObject({
          type: z.string().max(100).optional(),
          actorUserId: z.uuid('账号编号格式不正确').optional(),
          caseId: z.uuid('案件编号格式不正确').optional(),
          from: z.iso.date().optional(),
          to: z.iso.date().optional(),
          before: z.string().regex(/^\d{1,19}$/, '序号格式不正确').optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({
            data: z.array(z.object({ seq: z.string(), at: z.string(), actor: z.string(), actorName: z.string().nullable(), type: z.string(), caseId: z.string().nullable(), payload: z.record(z.string(), z.unknown()) })),
            nextBefore: z.string().nullable(),
          }),
        },
      },
    },
    async (request) => {
      const { items, nextBefore } = await findAuditEvents(context.db, requireActor(request), request.query);
      return { data: items, nextBefore };
    },
  );
};
