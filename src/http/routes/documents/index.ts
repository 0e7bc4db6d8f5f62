import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor, type Actor } from '../../../access/actor.js';
import { requireVisibleCase, seesInternals, type CaseRelations } from '../../../access/case.js';
import { appendEvent } from '../../../audit/chain.js';
import { DOCX_MEDIA_TYPE, issueDocument } from '../../../commands/issue-document.js';
import { DOCUMENT_KIND_SPECS, DOCUMENT_KINDS, fieldNames, type DocumentKind } from '../../../documents/kinds.js';
import { convertToPdf } from '../../../documents/pdf.js';
import { defaultTemplate, inspectTemplate } from '../../../documents/render.js';
import { AppError, forbidden, invalidInput, notFound } from '../../../errors.js';
import { contentDisposition } from '../../../files/filename.js';
import type { AppContext } from '../../context.js';
import { requireActor } from '../../plugins/session.js';
import { ZCaseParams } from '../cases/schema.js';

const ZKind = z.enum(DOCUMENT_KINDS as unknown as [DocumentKind, ...DocumentKind[]]);
const ZDocument = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  version: z.number(),
  number: z.string().nullable(),
  generatedAt: z.string(),
  sha256: z.string(),
  hasPdf: z.boolean(),
  latest: z.boolean(),
});

/** What the official and the party organization receive (Art. 15); the rest of the file stays with the organ. */
const OUTSIDE_KINDS: Record<'official' | 'partyOrganization', readonly DocumentKind[]> = {
  official: ['decision', 'explanation-official', 'service-receipt', 'appeal-decision'],
  partyOrganization: ['explanation-party-org'],
};

function visibleKinds(relations: CaseRelations): readonly DocumentKind[] {
  if (seesInternals(relations)) return DOCUMENT_KINDS;
  return [...(relations.official ? OUTSIDE_KINDS.official : []), ...(relations.partyOrganization ? OUTSIDE_KINDS.partyOrganization : [])];
}

/** Organs where the user may manage templates: where they are a handler or an administrator. */
const templateOrgans = (actor: Actor) => actor.roles.filter((g) => g.role === 'handler' || g.role === 'system-administrator').map((g) => g.organizationId);

/** Official documents of a case (Art. 13–15) and the templates organs issue them from. */
export const documentRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { db, files } = context;

  app.get(
    '/api/v1/cases/:caseId/documents',
    {
      config: { audit: { reads: 'case.read' } },
      schema: {
        tags: ['documents'],
        summary: '案件文书（决定书、容错理由和依据、情况说明、送达回证、申诉处理决定书）',
        params: ZCaseParams,
        response: { 200: z.object({ data: z.array(ZDocument), canIssue: z.boolean(), kinds: z.array(z.object({ kind: z.string(), title: z.string(), article: z.string() })) }) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { relations } = await requireVisibleCase(db, actor, request.params.caseId);
      const kinds = visibleKinds(relations);
      const served = await db.selectFrom('services').select('id').where('case_id', '=', request.params.caseId).executeTakeFirst();
      // Outside the organ, documents exist for the recipient once they are served.
      const rows =
        kinds.length === 0 || (!seesInternals(relations) && !served)
          ? []
          : await db
              .selectFrom('documents')
              .select(['id', 'kind', 'version', 'number', 'generated_at', 'file_sha256', 'pdf_sha256'])
              .where('case_id', '=', request.params.caseId)
              .where('kind', 'in', kinds)
              .orderBy('kind')
              .orderBy('version', 'desc')
              .execute();
      const state = await db.selectFrom('cases').select('state').where('id', '=', request.params.caseId).executeTakeFirstOrThrow();
      return {
        data: rows.map((r, i) => ({
          id: r.id,
          kind: r.kind,
          title: DOCUMENT_KIND_SPECS[r.kind as DocumentKind].title,
          version: r.version,
          number: r.number,
          generatedAt: r.generated_at.toISOString(),
          sha256: r.file_sha256,
          hasPdf: r.pdf_sha256 !== null,
          latest: i === 0 || rows[i - 1]!.kind !== r.kind,
        })),
        canIssue: relations.handler && state.state !== 'closed',
        kinds: (relations.handler ? DOCUMENT_KINDS : []).map((kind) => ({ kind, title: DOCUMENT_KIND_SPECS[kind].title, article: DOCUMENT_KIND_SPECS[kind].article })),
      };
    },
  );

  app.post(
    '/api/v1/cases/:caseId/documents',
    {
      config: { audit: { records: 'case.document-generated' } },
      schema: {
        tags: ['documents'],
        summary: '制作文书（再次制作为新版本，文号不变）',
        params: ZCaseParams,
        body: z.object({ kind: ZKind }),
        response: { 201: z.object({ data: z.object({ id: z.string(), kind: z.string(), version: z.number(), number: z.string().nullable(), sha256: z.string() }) }) },
      },
    },
    async (request, reply) => {
      const issued = await issueDocument({ db, clock: context.clock, actor: requireActor(request), files, caseId: request.params.caseId, kind: request.body.kind });
      return reply.status(201).send({ data: issued });
    },
  );

  app.get(
    '/api/v1/cases/:caseId/documents/:documentId/file',
    {
      config: { audit: { records: 'case.document-downloaded' } },
      schema: {
        tags: ['documents'],
        summary: '下载文书（.docx，或经 LibreOffice 转换的 PDF）',
        params: ZCaseParams.extend({ documentId: z.uuid() }),
        querystring: z.object({ format: z.enum(['docx', 'pdf']).default('docx') }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { caseId, documentId } = request.params;
      const { relations } = await requireVisibleCase(db, actor, caseId);
      const document = await db.selectFrom('documents').selectAll().where('id', '=', documentId).where('case_id', '=', caseId).executeTakeFirst();
      const served = await db.selectFrom('services').select('id').where('case_id', '=', caseId).executeTakeFirst();
      if (!document || !visibleKinds(relations).includes(document.kind as DocumentKind) || (!seesInternals(relations) && !served)) throw notFound('文书');
      const title = `${DOCUMENT_KIND_SPECS[document.kind as DocumentKind].title}${document.number ? `（${document.number}）` : ''}-第${document.version}版`;
      let bytes: Buffer;
      if (request.query.format === 'pdf') {
        bytes = await pdfOf(document);
        reply.type('application/pdf').header('content-disposition', contentDisposition(`${title}.pdf`));
      } else {
        bytes = await files.get(document.file_sha256);
        reply.type(DOCX_MEDIA_TYPE).header('content-disposition', contentDisposition(`${title}.docx`));
      }
      await db.transaction().execute((tx) =>
        appendEvent(tx, { type: 'case.document-downloaded', actor: auditActor(actor), caseId, payload: { documentId, format: request.query.format } }, context.clock),
      );
      return reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').send(bytes);
    },
  );

  /** The PDF for printing: made once through LibreOffice and kept beside the .docx. */
  async function pdfOf(document: { id: string; file_sha256: string; pdf_sha256: string | null }): Promise<Buffer> {
    if (document.pdf_sha256) return files.get(document.pdf_sha256);
    const pdf = await convertToPdf(await files.get(document.file_sha256));
    if (!pdf) {
      throw new AppError({ code: 'PDF_UNAVAILABLE', status: 503, message: '服务器未安装 LibreOffice，暂不能生成 PDF，请下载 Word 文书打印', messageEn: 'LibreOffice is not installed: PDF is unavailable' });
    }
    const stored = await files.put(pdf);
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('files').values({ sha256: stored.sha256, size: String(stored.size), media_type: 'application/pdf', stored_at: context.clock.now() }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
      await tx.updateTable('documents').set({ pdf_sha256: stored.sha256 }).where('id', '=', document.id).where('pdf_sha256', 'is', null).execute();
    });
    return pdf;
  }

  app.get(
    '/api/v1/document-templates',
    {
      config: { audit: { none: '文书模板不含个人信息' } },
      schema: {
        tags: ['documents'],
        summary: '文书模板：可引用的字段及本机关上传的模板',
        response: {
          200: z.object({
            data: z.array(
              z.object({
                kind: z.string(),
                title: z.string(),
                fields: z.array(z.string()),
                uploads: z.array(z.object({ id: z.string(), organId: z.string(), filename: z.string(), uploadedAt: z.string() })),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const organs = templateOrgans(requireActor(request));
      if (organs.length === 0) throw forbidden('只有经办人和管理员可以管理文书模板', 'only handlers and administrators manage templates');
      const uploads = await db
        .selectFrom('document_templates')
        .select(['id', 'organ_id', 'kind', 'filename', 'uploaded_at'])
        .where('organ_id', 'in', organs)
        .orderBy('uploaded_at', 'desc')
        .execute();
      return {
        data: DOCUMENT_KINDS.map((kind) => ({
          kind,
          title: DOCUMENT_KIND_SPECS[kind].title,
          fields: fieldNames(kind),
          uploads: uploads.filter((u) => u.kind === kind).map((u) => ({ id: u.id, organId: u.organ_id, filename: u.filename, uploadedAt: u.uploaded_at.toISOString() })),
        })),
      };
    },
  );

  app.get(
    '/api/v1/document-templates/:kind/default',
    { config: { audit: { none: '默认文书模板不含个人信息' } }, schema: { tags: ['documents'], summary: '下载系统默认模板（可在 Word 或 WPS 中修改后上传）', params: z.object({ kind: ZKind }) } },
    async (request, reply) => {
      requireActor(request);
      return reply
        .type(DOCX_MEDIA_TYPE)
        .header('content-disposition', contentDisposition(`${DOCUMENT_KIND_SPECS[request.params.kind].title}-默认模板.docx`))
        .send(defaultTemplate(request.params.kind));
    },
  );

  app.post(
    '/api/v1/document-templates/:kind',
    {
      config: { audit: { records: 'template.uploaded' } },
      // A template is small; base64 in JSON keeps the route simple for a file of a few dozen kilobytes.
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags: ['documents'],
        summary: '上传本机关的文书模板（引用的字段须在可用字段之列）',
        params: z.object({ kind: ZKind }),
        body: z.object({ organId: z.uuid(), filename: z.string().trim().min(1).max(200).regex(/\.docx$/i, '模板须为 .docx 文件'), contentBase64: z.string().min(1) }),
        response: { 201: z.object({ data: z.object({ id: z.string(), fields: z.array(z.string()) }) }) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { organId, filename, contentBase64 } = request.body;
      if (!templateOrgans(actor).includes(organId)) throw invalidInput('organId', '您不能为该机关上传模板', 'you may not upload templates for that organ', templateOrgans(actor));
      const template = Buffer.from(contentBase64, 'base64');
      // Refused here, at upload, rather than as a blank in a served decision.
      const { fields } = inspectTemplate(template, request.params.kind);
      const now = context.clock.now();
      const stored = await files.put(template);
      const row = await db.transaction().execute(async (tx) => {
        await tx.insertInto('files').values({ sha256: stored.sha256, size: String(stored.size), media_type: DOCX_MEDIA_TYPE, stored_at: now }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
        const inserted = await tx
          .insertInto('document_templates')
          .values({ organ_id: organId, kind: request.params.kind, file_sha256: stored.sha256, filename, uploaded_by: actor.userId, uploaded_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await appendEvent(tx, { type: 'template.uploaded', actor: auditActor(actor), payload: { templateId: inserted.id, organId, kind: request.params.kind, sha256: stored.sha256 } }, context.clock);
        return inserted;
      });
      return reply.status(201).send({ data: { id: row.id, fields } });
    },
  );
};
