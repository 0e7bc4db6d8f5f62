import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { shareConclusion } from '../../../commands/sharing/share-conclusion.js';
import { findSharingInbox, findSharingLog, findSharingRecipients } from '../../../sharing/queries.js';
import type { AppContext } from '../../context.js';
import { requireActor } from '../../plugins/session.js';
import * as S from './schema.js';

const tags = ['sharing'];

/** Information sharing between the discipline commission and the organization department (协作配合, Art. 19(2)). */
export const sharingRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { db, clock } = context;

  app.post(
    '/api/v1/sharing',
    { config: { audit: { records: 'sharing.shared' } }, schema: { tags, summary: '向管理同一干部的纪检监察机关或组织人事部门共享结论', body: S.ZShare, response: { 201: S.ZShareResult } } },
    async (request, reply) => reply.status(201).send({ data: await shareConclusion({ db, clock, actor: requireActor(request), ...request.body }) }),
  );

  app.get(
    '/api/v1/sharing/recipients',
    {
      config: { audit: { reads: 'person.searched' } },
      schema: {
        tags,
        summary: '可接收该干部结论的单位（管理同一干部的组织人事部门或纪检监察机关）',
        querystring: S.ZRecipientsQuery,
        response: { 200: S.ZRecipients },
      },
    },
    async (request) => ({ data: await findSharingRecipients(db, requireActor(request), request.query.officialId, request.query.fromOrgId) }),
  );

  app.get(
    '/api/v1/sharing/inbox',
    { config: { audit: { reads: 'record.read' } }, schema: { tags, summary: '本单位收到的共享结论', response: { 200: S.ZShareList } } },
    async (request) => ({ data: await findSharingInbox(db, requireActor(request)) }),
  );

  app.get(
    '/api/v1/sharing/log',
    { config: { audit: { reads: 'record.read' } }, schema: { tags, summary: '信息共享记录（监督检查：向谁共享了什么）', response: { 200: S.ZShareList } } },
    async (request) => ({ data: await findSharingLog(db, requireActor(request)) }),
  );
};
