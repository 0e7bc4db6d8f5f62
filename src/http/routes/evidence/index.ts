import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DEFAULT_SETTINGS } from '../../../cases/settings.js';
import { attachmentTooLarge, formatBytes, MAX_ATTACHMENTS, recordEvidence, type EvidenceAttachmentInput } from '../../../commands/record-evidence.js';
import { clearanceOf, levelLabel } from '../../../access/clearance.js';
import { AppError, forbidden, invalidInput, notFound } from '../../../errors.js';
import { contentDisposition } from '../../../files/filename.js';
import type { AppContext } from '../../context.js';
import { findRefusal, strictValidatorCompiler } from '../../validation.js';
import { requireActor } from '../../plugins/session.js';
import { requireVisibleCase } from '../../../access/case.js';
import { evidenceScope } from '../../../access/evidence.js';
import { findAttachment, findEvidence } from '../../../queries/evidence.js';
import { ATTACHMENTS_FIELD, FORM_FIELDS, ZAttachmentParams, ZCaseParams, ZEvidenceFields, ZEvidenceForm, ZEvidenceList, ZRecordEvidenceResult } from './schema.js';


// Enough for the longest description in 4-byte characters; a longer field is refused, not silently cut.
const MAX_FIELD_BYTES = 64 * 1024;

const errorCode = (error: unknown) => (error as { code?: unknown } | null)?.code;

/**
 * Zod for params as everywhere. The upload's body schema only documents the form for OpenAPI: a multipart
 * body is read and checked by the handler, so that schema (and only that one) lets the body through.
 */
const zodExceptUploadForm: typeof strictValidatorCompiler = (route) => (route.schema === ZEvidenceForm ? (data) => ({ value: data }) : strictValidatorCompiler(route));

interface EvidenceForm {
  fields: Record<string, string>;
  attachments: EvidenceAttachmentInput[];
}

/** Reads the multipart form into memory, naming the field at fault for anything it refuses. */
async function readEvidenceForm(request: FastifyRequest, maxBytes: number): Promise<EvidenceForm> {
  if (!request.isMultipart()) {
    throw invalidInput('body', '请以 multipart/form-data 格式提交证据及其附件', 'the request must be multipart/form-data');
  }
  const fields: Record<string, string> = {};
  const attachments: EvidenceAttachmentInput[] = [];
  const known: readonly string[] = FORM_FIELDS;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== ATTACHMENTS_FIELD) {
          throw invalidInput(part.fieldname, `附件应放在“${ATTACHMENTS_FIELD}”字段中`, `files belong in the "${ATTACHMENTS_FIELD}" field`, [ATTACHMENTS_FIELD]);
        }
        const index = attachments.length;
        let bytes: Buffer;
        try {
          bytes = await part.toBuffer();
        } catch (error) {
          if (errorCode(error) === 'FST_REQ_FILE_TOO_LARGE') throw attachmentTooLarge(index, maxBytes);
          throw error;
        }
        // A file input left empty still sends a part, with no name and no bytes: nothing was chosen.
        if (part.filename === '' && bytes.length === 0) continue;
        attachments.push({ filename: part.filename, bytes });
      } else {
        const name = part.fieldname;
        if (!known.includes(name)) {
          throw invalidInput(name, `表单中有不接受的字段“${name}”`, `unknown form field "${name}"`, [...FORM_FIELDS, ATTACHMENTS_FIELD]);
        }
        if (Object.hasOwn(fields, name)) throw invalidInput(name, `字段“${name}”重复`, `form field "${name}" given more than once`);
        if (part.valueTruncated || typeof part.value !== 'string') {
          throw invalidInput(name, `字段“${name}”过长或格式不正确`, `form field "${name}" is too long or not text`);
        }
        fields[name] = part.value;
      }
    }
  } catch (error) {
    if (errorCode(error) === 'FST_FILES_LIMIT') {
      throw invalidInput(ATTACHMENTS_FIELD, `每项证据最多 ${MAX_ATTACHMENTS} 个附件`, `at most ${MAX_ATTACHMENTS} attachments per evidence item`);
    }
    // Nothing but parsing and reading the body happens in this block, so an error without an HTTP status
    // (busboy's "Malformed part header", a stream closed early) means a malformed or cut-off request.
    if (!(error instanceof AppError) && typeof (error as { statusCode?: unknown } | null)?.statusCode !== 'number') {
      throw invalidInput('body', '表单格式有误或上传未完成', 'malformed or incomplete multipart body');
    }
    throw error;
  }
  return { fields, attachments };
}

/**
 * Evidence of a case (Art. 12): upload with attachments, list, download. Attachments are held in memory while
 * a request is read (at most MAX_ATTACHMENTS × maxAttachmentBytes) and served only as downloads.
 */
export const evidenceRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { db, clock, files } = context;
  const settings = context.settings ?? DEFAULT_SETTINGS;
  const tags = ['evidence'];

  app.setValidatorCompiler(zodExceptUploadForm);
  // Registered here, not app-wide, so only this plugin's routes accept multipart bodies.
  await app.register(multipart, {
    limits: { fileSize: settings.maxAttachmentBytes, files: MAX_ATTACHMENTS, fields: 2 * FORM_FIELDS.length, fieldSize: MAX_FIELD_BYTES, parts: 2 * (MAX_ATTACHMENTS + FORM_FIELDS.length) },
  });

  app.post(
    '/api/v1/cases/:caseId/evidence',
    {
      config: { audit: { records: 'case.evidence-recorded' } },
      schema: {
        tags,
        summary: '记录证据（含附件）',
        description: `multipart/form-data。附件按内容识别类型，单个不超过 ${formatBytes(settings.maxAttachmentBytes)}。`,
        consumes: ['multipart/form-data'],
        params: ZCaseParams,
        body: ZEvidenceForm,
        response: { 201: ZRecordEvidenceResult },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { caseId } = request.params;
      // Before reading the upload: a user who cannot see the case gets 404 without making us buffer files.
      await requireVisibleCase(db, actor, caseId);
      const form = await readEvidenceForm(request, settings.maxAttachmentBytes);
      const parsed = ZEvidenceFields.safeParse(form.fields);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const key = issue.path.map(String).join('.') || 'body';
        throw invalidInput(key, issue.message, `${key}: ${issue.code}`, issue.code === 'invalid_value' ? issue.values.map(String) : undefined);
      }
      // The form bypasses the route's validator: the same refusal of NUL characters applies here.
      const refusal = findRefusal(form.fields, parsed.data);
      if (refusal) throw invalidInput(refusal.path.map(String).join('.') || 'body', `字段${refusal.message}`, `${refusal.keyword} in form field`);
      const { version, title, description, kind } = parsed.data;
      const result = await recordEvidence({
        db,
        clock,
        actor,
        caseId,
        expectedVersion: version,
        settings,
        store: files,
        title,
        ...(description !== undefined ? { description } : {}),
        kind,
        attachments: form.attachments,
      });
      return reply.status(201).send({ data: { id: result.id, attachments: result.attachments }, version: result.version });
    },
  );

  app.get(
    '/api/v1/cases/:caseId/evidence',
    { config: { audit: { reads: 'case.read' } }, schema: { tags, summary: '证据列表（专家仅见邀请时提供的证据）', params: ZCaseParams, response: { 200: ZEvidenceList } } },
    async (request) => {
      const actor = requireActor(request);
      const { caseId } = request.params;
      const access = await requireVisibleCase(db, actor, caseId);
      const scope = await evidenceScope(db, actor, caseId, access.relations);
      return { data: await findEvidence(db, caseId, scope, await clearanceOf(db, actor.userId)), version: access.version };
    },
  );

  app.get(
    '/api/v1/cases/:caseId/evidence/:evidenceId/attachments/:attachmentId',
    {
      config: { audit: { reads: 'case.attachment-downloaded' } },
      schema: {
        tags,
        summary: '下载证据附件',
        description: '以附件方式下载（Content-Disposition: attachment），类型为按内容识别的类型。',
        params: ZAttachmentParams,
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { caseId } = request.params;
      const access = await requireVisibleCase(db, actor, caseId);
      const scope = await evidenceScope(db, actor, caseId, access.relations);
      const attachment = await findAttachment(db, request.params, scope);
      if (!attachment) throw notFound('附件');
      if (attachment.sensitivity > (await clearanceOf(db, actor.userId))) {
        throw forbidden(`该附件密级为“${levelLabel(attachment.sensitivity)}”，高于您的密级许可`, 'the attachment\'s label is above your clearance');
      }
      // Verified against its hash by the store: altered bytes fail here (500) and are never sent.
      const bytes = await files.get(attachment.file_sha256);
      return reply
        .header('content-disposition', contentDisposition(attachment.filename))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .type(attachment.media_type)
        .send(bytes);
    },
  );
};
