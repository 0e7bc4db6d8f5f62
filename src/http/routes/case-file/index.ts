import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditActor } from '../../../access/actor.js';
import { requireVisibleCase, seesInternals } from '../../../access/case.js';
import { appendEvent } from '../../../audit/chain.js';
import { prepareCaseFileExport } from '../../../casefile/export.js';
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
      // Every stored file is checked and measured first: an unsealed case, a missing or damaged file still
      // answers as a problem, and the archive's length is known before a byte of it is sent.
      const exported = await prepareCaseFileExport(context.db, request.params.caseId, context.files);
      // Recorded before any byte leaves: a download the log does not know of never happens.
      const payload = { size: exported.archiveBytes, items: exported.items, bytes: exported.itemBytes };
      await context.db.transaction().execute((tx) =>
        appendEvent(tx, { type: 'case.file-exported', actor: auditActor(actor), caseId: request.params.caseId, payload }, context.clock),
      );
      // Streamed entry by entry, each file read again from the store. Should a file fail its hash now (changed
      // since it was checked an instant ago), the stream fails and the connection is cut short of the announced
      // length: the client holds a broken download, never a complete archive with a wrong file in it.
      return reply
        .type('application/zip')
        .header('content-length', exported.archiveBytes)
        .header('content-disposition', contentDisposition(`案卷-${request.params.caseId}.zip`))
        .header('cache-control', 'no-store')
        .send(exported.stream());
    },
  );
};
