import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireVisibleCase, seesInternals } from '../../../access/case.js';
import { notFound } from '../../../errors.js';
import { getCaseTimeline } from '../../../queries/case-timeline.js';
import { findCaseParticipants, findManageableOfficials, findOrganizations } from '../../../queries/directory.js';
import type { AppContext } from '../../context.js';
import { requireActor } from '../../plugins/session.js';
import { ZCaseParams } from '../cases/schema.js';

const ZPerson = z.object({ id: z.string(), displayName: z.string() });

/** Pickers and lists the procedure needs: organizations, officials one may open a case against, participants, the timeline. */
export const directoryRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { db } = context;

  app.get(
    '/api/v1/organizations',
    { config: { audit: { reads: 'person.searched' } }, schema: { tags: ['directory'], summary: '本人所在及下级单位', response: { 200: z.object({ data: z.array(z.object({ id: z.string(), parentId: z.string().nullable(), name: z.string(), shortName: z.string().nullable(), type: z.string() })) }) } } },
    async (request) => ({ data: await findOrganizations(db, requireActor(request)) }),
  );

  app.get(
    '/api/v1/officials',
    {
      config: { audit: { reads: 'person.searched' } },
      schema: {
        tags: ['directory'],
        summary: '有管理权限的干部（可对其启动问责追责）',
        querystring: z.object({ q: z.string().trim().min(1).max(50).optional(), limit: z.coerce.number().int().min(1).max(100).default(50) }),
        response: { 200: z.object({ data: z.array(z.looseObject({ id: z.string(), name: z.string() })) }) },
      },
    },
    async (request) => ({ data: await findManageableOfficials(db, requireActor(request), request.query.q, request.query.limit) }),
  );

  app.get(
    '/api/v1/cases/:caseId/participants',
    { config: { audit: { reads: 'case.read' } }, schema: { tags: ['cases'], summary: '本案可选的集体研究成员和专家', params: ZCaseParams, response: { 200: z.object({ data: z.object({ members: z.array(ZPerson), experts: z.array(ZPerson) }) }) } } },
    async (request) => {
      const { relations, organId } = await requireVisibleCase(db, requireActor(request), request.params.caseId);
      // Only the organ's own staff pick participants; an outsider learns nothing, as if the route did not exist.
      if (!seesInternals(relations)) throw notFound('案件');
      return { data: await findCaseParticipants(db, organId) };
    },
  );

  app.get(
    '/api/v1/cases/:caseId/events',
    { config: { audit: { reads: 'case.read' } }, schema: { tags: ['cases'], summary: '案件办理过程（来自审计链）', params: ZCaseParams, response: { 200: z.object({ data: z.array(z.object({ seq: z.string(), at: z.string(), type: z.string(), actor: z.string() })) }) } } },
    async (request) => ({ data: await getCaseTimeline(db, requireActor(request), request.params.caseId) }),
  );
};
