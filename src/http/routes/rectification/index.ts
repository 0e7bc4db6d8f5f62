import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor } from '../../../access/actor.js';
import { appendEvent } from '../../../audit/chain.js';
import { DEFAULT_SETTINGS } from '../../../cases/settings.js';
import { addItems, checkItem, createCasePlan, createUnitPlan, recordPoorRectification, reportProgress, sweepOverdue } from '../../../commands/rectification/index.js';
import { formatBytes } from '../../../commands/record-evidence.js';
import { AppError, invalidInput, notFound } from '../../../errors.js';
import { cleanFilename, codePointLength, contentDisposition } from '../../../files/filename.js';
import { ALLOWED_EXTENSIONS, ALLOWED_LABELS, ALLOWED_TYPES, sniffAttachment } from '../../../files/sniff.js';
import { assertMayAttach, findReportAttachment, getCasePlan, getPlan, listPlans, listPlanUnits, listReminders } from '../../../queries/rectification.js';
import type { AppContext } from '../../context.js';
import { requireActor } from '../../plugins/session.js';
import * as S from './schema.js';

/**
 * Rectification (整改, Art. 18, R12) over HTTP. Every route needs a session; a plan or case outside the user's
 * jurisdiction is 404. Commands carry the plan `version` the user saw (409 if someone changed it) and answer
 * with the plan as it is now.
 */
export const rectificationRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { db, clock, files } = context;
  const settings = context.settings ?? DEFAULT_SETTINGS;
  const tags = ['rectification'];

  app.get('/api/v1/cases/:caseId/rectification', { config: { audit: { reads: 'case.read' } }, schema: { tags, summary: '案件的整改方案（第十八条）', params: S.ZCaseParams, response: { 200: S.ZCasePlanResponse } } }, async (request) => ({
    data: await getCasePlan(db, requireActor(request), request.params.caseId, clock),
  }));

  app.post('/api/v1/cases/:caseId/rectification', { config: { audit: { records: 'rectification.plan-created' } }, schema: { tags, summary: '为已作出决定的案件制定整改方案', params: S.ZCaseParams, body: S.ZCreateCasePlan, response: { 201: S.ZPlanCommandResult } } }, async (request, reply) => {
    const actor = requireActor(request);
    const result = await createCasePlan({ db, clock, actor, caseId: request.params.caseId, ...request.body });
    return reply.status(201).send({ data: result, version: result.planVersion, plan: await getPlan(db, actor, result.id, clock) });
  });

  app.get('/api/v1/rectification/plans', { config: { audit: { reads: 'record.read' } }, schema: { tags, summary: '管辖范围内的整改方案', querystring: S.ZPlanListQuery, response: { 200: S.ZPlanList } } }, async (request) => ({
    data: await listPlans(db, requireActor(request), request.query, clock),
  }));

  app.post('/api/v1/rectification/plans', { config: { audit: { records: 'rectification.plan-created' } }, schema: { tags, summary: '为单位制定整改方案', body: S.ZCreateUnitPlan, response: { 201: S.ZPlanCommandResult } } }, async (request, reply) => {
    const actor = requireActor(request);
    const { organId, ...rest } = request.body;
    const result = await createUnitPlan({ db, clock, actor, ...rest, ...(organId !== undefined ? { organId } : {}) });
    return reply.status(201).send({ data: result, version: result.planVersion, plan: await getPlan(db, actor, result.id, clock) });
  });

  app.get('/api/v1/rectification/units', { config: { audit: { reads: 'person.searched' } }, schema: { tags, summary: '可为其制定整改方案的单位（经办人所在机关管辖）', response: { 200: S.ZPlanUnitList } } }, async (request) => ({
    data: await listPlanUnits(db, requireActor(request)),
  }));

  app.get('/api/v1/rectification/plans/:planId', { config: { audit: { reads: 'record.read' } }, schema: { tags, summary: '整改方案详情', params: S.ZPlanParams, response: { 200: S.ZPlanResponse } } }, async (request) => ({
    data: await getPlan(db, requireActor(request), request.params.planId, clock),
  }));

  app.post('/api/v1/rectification/plans/:planId/items', { config: { audit: { records: 'rectification.item-added' } }, schema: { tags, summary: '增加整改事项（责任人、期限、长效机制）', params: S.ZPlanParams, body: S.ZAddItems, response: { 200: S.ZPlanCommandResult } } }, async (request) => {
    const actor = requireActor(request);
    const { version, items } = request.body;
    const result = await addItems({ db, clock, actor, planId: request.params.planId, expectedVersion: version, items });
    return { data: result, version: result.planVersion, plan: await getPlan(db, actor, request.params.planId, clock) };
  });

  app.post('/api/v1/rectification/items/:itemId/progress', { config: { audit: { records: 'rectification.progress-reported' } }, schema: { tags, summary: '报告整改进展（可附文件）', params: S.ZItemParams, body: S.ZReportProgress, response: { 200: S.ZPlanCommandResult } } }, async (request) => {
    const actor = requireActor(request);
    const { version, ...rest } = request.body;
    const result = await reportProgress({ db, clock, actor, itemId: request.params.itemId, expectedVersion: version, ...rest });
    return { data: result, version: result.planVersion, plan: await getPlan(db, actor, await planIdOf(request.params.itemId), clock) };
  });

  app.post('/api/v1/rectification/items/:itemId/check', { config: { audit: { records: 'rectification.item-checked' } }, schema: { tags, summary: '监督检查：核查通过或退回整改', params: S.ZItemParams, body: S.ZCheckItem, response: { 200: S.ZPlanCommandResult } } }, async (request) => {
    const actor = requireActor(request);
    const { version, ...rest } = request.body;
    const result = await checkItem({ db, clock, actor, itemId: request.params.itemId, expectedVersion: version, ...rest });
    return { data: result, version: result.planVersion, plan: await getPlan(db, actor, await planIdOf(request.params.itemId), clock) };
  });

  app.post(
    '/api/v1/rectification/plans/:planId/poor-rectification',
    { config: { audit: { records: 'rectification.poor-recorded' } }, schema: { tags, summary: '认定整改不力并启动关联的问责追责案件（第十条第（四）项）', params: S.ZPlanParams, body: S.ZPoorRectification, response: { 200: S.ZPlanCommandResult } } },
    async (request) => {
      const actor = requireActor(request);
      const { version, ...rest } = request.body;
      const result = await recordPoorRectification({ db, clock, actor, planId: request.params.planId, expectedVersion: version, ...rest });
      return { data: result, version: result.planVersion, plan: await getPlan(db, actor, request.params.planId, clock) };
    },
  );

  app.get('/api/v1/rectification/reminders', { config: { audit: { reads: 'record.read' } }, schema: { tags, summary: '逾期整改提醒（监督检查、组织部门）', response: { 200: S.ZReminderList } } }, async (request) => ({
    data: await listReminders(db, requireActor(request)),
  }));

  app.post('/api/v1/rectification/overdue-sweep', { config: { audit: { records: 'rectification.overdue' } }, schema: { tags, summary: '检查逾期整改事项并提醒监督部门（供定时任务调用）', response: { 200: z.object({ data: z.object({ raised: z.number() }) }) } } }, async (request) => ({
    data: await sweepOverdue({ db, clock, actor: requireActor(request) }),
  }));

  // A child plugin, so that only the upload accepts multipart bodies.
  await app.register(async (child) => {
    const upload = child.withTypeProvider<ZodTypeProvider>();
    await upload.register(multipart, { limits: { fileSize: settings.maxAttachmentBytes, files: 1, fields: 0, parts: 1 } });
    upload.post(
      '/api/v1/rectification/items/:itemId/attachments',
      {
        config: { audit: { records: 'rectification.attachment-uploaded' } },
        schema: {
          tags,
          summary: '上传整改进展的附件（报告进展时按 SHA-256 引用）',
          description: `multipart/form-data，一个文件，字段名“${S.ATTACHMENT_FIELD}”。按内容识别类型，仅接受 ${ALLOWED_LABELS}，不超过 ${formatBytes(settings.maxAttachmentBytes)}。`,
          consumes: ['multipart/form-data'],
          params: S.ZItemParams,
          response: { 201: S.ZUploadedAttachment },
        },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        // Before reading the upload: someone who may not report on the item makes us buffer nothing.
        await assertMayAttach(db, actor, request.params.itemId);
        const { filename, bytes } = await readAttachment(request);
        const sniffed = sniffAttachment(filename, bytes);
        if (!sniffed.ok) throw refusedAttachment(filename, sniffed);
        // Content-addressed, and registered in `files` so that a report can cite it later: a file uploaded but
        // never reported on is never shown, and the orphan sweep keeps it (it keeps every registered file).
        const stored = await files.put(bytes);
        await db.transaction().execute(async (tx) => {
          await tx
            .insertInto('files')
            .values({ sha256: stored.sha256, size: String(stored.size), media_type: sniffed.mediaType, stored_at: clock.now() })
            .onConflict((oc) => oc.column('sha256').doNothing())
            .execute();
          await appendEvent(tx, { type: 'rectification.attachment-uploaded', actor: auditActor(actor), payload: { itemId: request.params.itemId, sha256: stored.sha256, size: stored.size } }, clock);
        });
        return reply.status(201).send({ data: { sha256: stored.sha256, size: stored.size, mediaType: sniffed.mediaType, filename } });
      },
    );
  });

  app.get(
    '/api/v1/rectification/items/:itemId/attachments/:sha256',
    { config: { audit: { reads: 'case.attachment-downloaded' } }, schema: { tags, summary: '下载整改进展的附件', description: '以附件方式下载（Content-Disposition: attachment），类型为按内容识别的类型。', params: S.ZAttachmentParams } },
    async (request, reply) => {
      const { itemId, sha256 } = request.params;
      const file = await findReportAttachment(db, requireActor(request), itemId, sha256);
      if (!file) throw notFound('附件');
      // Verified against its hash by the store: altered bytes fail here (500) and are never sent.
      const bytes = await files.get(file.sha256);
      return reply
        .header('content-disposition', contentDisposition(attachmentName(file.sha256, file.mediaType)))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .type(file.mediaType)
        .send(bytes);
    },
  );

  /** The one file of an upload, naming the field at fault for anything refused. */
  async function readAttachment(request: FastifyRequest): Promise<{ filename: string; bytes: Buffer }> {
    if (!request.isMultipart()) throw invalidInput('body', `请以 multipart/form-data 格式上传附件（字段“${S.ATTACHMENT_FIELD}”）`, 'the request must be multipart/form-data');
    const tooLarge = () => invalidInput(S.ATTACHMENT_FIELD, `附件超过大小上限（${formatBytes(settings.maxAttachmentBytes)}）`, `the file exceeds ${settings.maxAttachmentBytes} bytes`);
    let part;
    try {
      part = await request.file();
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_FILES_LIMIT') {
        throw invalidInput(S.ATTACHMENT_FIELD, `请只上传一个文件，放在“${S.ATTACHMENT_FIELD}”字段中`, `send exactly one file in the "${S.ATTACHMENT_FIELD}" field`, [S.ATTACHMENT_FIELD]);
      }
      throw invalidInput('body', '表单格式有误或上传未完成', 'malformed or incomplete multipart body');
    }
    if (!part || part.fieldname !== S.ATTACHMENT_FIELD) {
      throw invalidInput(S.ATTACHMENT_FIELD, `请选择要上传的文件（字段“${S.ATTACHMENT_FIELD}”）`, `no file in the "${S.ATTACHMENT_FIELD}" field`, [S.ATTACHMENT_FIELD]);
    }
    let bytes: Buffer;
    try {
      bytes = await part.toBuffer();
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
      throw invalidInput('body', '表单格式有误或上传未完成', 'malformed or incomplete multipart body');
    }
    const filename = cleanFilename(part.filename);
    if (filename === '') throw invalidInput(S.ATTACHMENT_FIELD, '附件缺少文件名', 'the file has no name');
    if (codePointLength(filename) > 255) throw invalidInput(S.ATTACHMENT_FIELD, '附件的文件名超过 255 个字符', 'file name longer than 255 characters');
    return { filename, bytes };
  }

  async function planIdOf(itemId: string): Promise<string> {
    const row = await db.selectFrom('rectification_items').select('plan_id').where('id', '=', itemId).executeTakeFirstOrThrow();
    return row.plan_id;
  }
};

type Refusal = Exclude<ReturnType<typeof sniffAttachment>, { ok: true }>;

function refusedAttachment(filename: string, sniffed: Refusal): AppError {
  const field = S.ATTACHMENT_FIELD;
  switch (sniffed.reason) {
    case 'empty':
      return invalidInput(field, `附件“${filename}”是空文件`, 'the file is empty');
    case 'extension-not-allowed':
      return invalidInput(field, `不接受${sniffed.extension ? `“${sniffed.extension}”类型` : '无扩展名'}的附件，仅接受 ${ALLOWED_LABELS}`, `extension "${sniffed.extension}" is not allowed`, ALLOWED_EXTENSIONS);
    case 'content-not-allowed':
      return invalidInput(field, `附件“${filename}”的内容不是允许的文件类型，仅接受 ${ALLOWED_LABELS}`, `content is not ${sniffed.extension} nor any allowed type`, ALLOWED_EXTENSIONS);
    case 'mismatch':
      return invalidInput(field, `附件“${filename}”的扩展名（${sniffed.extension}）与内容（${sniffed.content}）不符`, `extension ${sniffed.extension} does not match its content (${sniffed.content})`, ALLOWED_EXTENSIONS);
  }
}

/** The attachments table keeps no file name (only the hash), so a download is named by its hash and type. */
const attachmentName = (sha256: string, mediaType: string) => `整改进展附件-${sha256.slice(0, 12)}${ALLOWED_TYPES.find((t) => t.mediaType === mediaType)?.extension ?? ''}`;
