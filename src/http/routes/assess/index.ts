import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor } from '../../../access/actor.js';
import { appendEvent } from '../../../audit/chain.js';
import { assess, getPack, listPacks } from '../../../policy/index.js';
import type { AppContext } from '../../context.js';
import { requireActor } from '../../plugins/session.js';
import { ZAssessmentInput, ZAssessmentOutput, ZPolicySummary } from './schema.js';

/** The policy engine's HTTP face: the same JSON in and out as `rongcuo assess`. */
export const assessRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  app.post(
    '/api/v1/assess',
    {
      config: { audit: { records: 'policy.assessed' } },
      schema: {
        tags: ['policy'],
        summary: '容错研判建议（政策引擎）',
        description: '按政策包给出容错建议及其依据（条款原文）。建议仅供集体研究参考，不代替决定。',
        body: ZAssessmentInput,
        response: { 200: ZAssessmentOutput },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const output = assess(request.body, { today: context.clock.now() });
      await context.db.transaction().execute((tx) =>
        appendEvent(
          tx,
          {
            type: 'policy.assessed',
            actor: auditActor(actor),
            payload: { policy: output.policy.id, version: output.policy.version, recommendation: output.recommendation, binding: output.binding },
          },
          context.clock,
        ),
      );
      return output;
    },
  );

  app.get('/api/v1/policies', { config: { audit: { none: '政策包为公开的政策原文，不含个人信息' } }, schema: { tags: ['policy'], summary: '政策包列表', response: { 200: z.object({ data: z.array(ZPolicySummary) }) } } }, async () => ({
    data: listPacks().map((pack) => ({ id: pack.id, version: pack.version, title: pack.title, effectiveFrom: pack.effectiveFrom })),
  }));

  app.get(
    '/api/v1/policies/:policyId',
    {
      config: { audit: { none: '政策包为公开的政策原文，不含个人信息' } },
      schema: {
        tags: ['policy'],
        summary: '政策包全文（条款原文、情形、因素及研判规则）',
        params: z.object({ policyId: z.string().min(1).max(50) }),
        response: { 200: z.object({ data: z.looseObject({ id: z.string(), version: z.string(), title: z.string() }) }) },
      },
    },
    // The pack is data: the web form renders its situations, exclusions and factors with their original words.
    async (request) => ({ data: { ...getPack(request.params.policyId) } }),
  );
};
