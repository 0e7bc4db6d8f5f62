import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditActor } from '../../../access/actor.js';
import { requireVisibleCase, seesInternals } from '../../../access/case.js';
import { appendEvent } from '../../../audit/chain.js';
import { exportCaseFile } from '../../../casefile/export.js';
import { notFound } from '../../../errors.js';
import { contentDisposition } from '../../../files/filename.js';
import type { AppContext } from '../../context.js';
import { requireActor } from '../../plugins/session.js';
import { ZCaseParams } from '../cases/schema.js';

/** The sealed case file (问责追责案卷) as one .zip with its manifest, for the organ's staff and supervisors. */
export const caseFileRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  app.get(
    '/api/v1/cases/:caseId/case-file',
    { config: { audit: { records: 'case.file-exported' } }, schema: { tags: ['cases'], summary: '导出已封存的问责追责案卷（.zip，含清单）', params: ZCaseParams } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { relations } = await requireVisibleCase(context.db, actor, request.params.caseId);
      // The case file holds the investigation: only those who may see a case's internals may take it away.
      if (!seesInternals(relations)) throw notFound('案件');
      const zip = await exportCaseFile(context.db, request.params.caseId, context.files);
      await context.db.transaction().execute((tx) =>
        appendEvent(tx, { type: 'case.file-exported', actor: auditActor(actor), caseId: request.params.caseId, payload: { size: zip.length } }, context.clock),
      );
      return reply
        .type('application/zip')
        .header('content-disposition', contentDisposition(`案卷-${request.params.caseId}.zip`))
        .header('cache-control', 'no-store')
        .send(zip);
    },
  );
};
