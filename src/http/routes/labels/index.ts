import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Level } from '../../../access/clearance.js';
import { setAttachmentSensitivity } from '../../../commands/labels/set-attachment-sensitivity.js';
import { setCaseSensitivity } from '../../../commands/labels/set-case-sensitivity.js';
import type { AppContext } from '../../context.js';
import { requireActor } from '../../plugins/session.js';

const tags = ['cases'];
const ZLevel = z.union([z.literal(1), z.literal(2), z.literal(3)], { error: '密级只能是 1（普通）、2（敏感）或 3（核心）' });

/** Sensitivity labels (普通 / 敏感 / 核心) of a case and of its evidence attachments, set by the handler conducting it. */
export const labelRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { db, clock } = context;

  app.put(
    '/api/v1/cases/:caseId/sensitivity',
    {
      config: { audit: { records: 'case.sensitivity-set' } },
      schema: {
        tags,
        summary: '设置案件密级（不得高于本人的密级许可）',
        params: z.object({ caseId: z.uuid('案件编号格式不正确') }),
        body: z.strictObject({ version: z.number().int(), level: ZLevel }),
        response: { 200: z.object({ data: z.object({ sensitivity: z.number() }), version: z.number() }) },
      },
    },
    async (request) => {
      const { sensitivity, version } = await setCaseSensitivity({ db, clock, actor: requireActor(request), caseId: request.params.caseId, expectedVersion: request.body.version, level: request.body.level as Level });
      return { data: { sensitivity }, version };
    },
  );

  app.put(
    '/api/v1/cases/:caseId/evidence/:evidenceId/attachments/:attachmentId/sensitivity',
    {
      config: { audit: { records: 'case.attachment-sensitivity-set' } },
      schema: {
        tags,
        summary: '设置证据附件密级（不得高于本人的密级许可）',
        params: z.object({ caseId: z.uuid('案件编号格式不正确'), evidenceId: z.uuid('证据编号格式不正确'), attachmentId: z.uuid('附件编号格式不正确') }),
        body: z.strictObject({ level: ZLevel }),
        response: { 200: z.object({ data: z.object({ sensitivity: z.number() }) }) },
      },
    },
    async (request) => ({
      data: await setAttachmentSensitivity({ db, clock, actor: requireActor(request), ...request.params, level: request.body.level as Level }),
    }),
  );
};
