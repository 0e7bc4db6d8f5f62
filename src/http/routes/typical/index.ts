import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { approveTypicalCase, draftTypicalCase, editTypicalCase, publishTypicalCase, returnTypicalCase, submitTypicalCase } from '../../../commands/typical/index.js';
import {
  findClosedCasesForTypical,
  getPublishedTypicalCase,
  getStaffTypicalCase,
  listPublishedTypicalCases,
  listStaffTypicalCases,
} from '../../../queries/typical-cases.js';
import type { EventType } from '../../../audit/event-types.js';
import type { AppContext } from '../../context.js';
import { requireActor } from '../../plugins/session.js';

const ZId = z.object({ id: z.uuid('典型案例编号格式不正确') });
const ZVersion = z.object({ version: z.number().int().min(1) });
const ZStaff = z.object({
  id: z.string(),
  sourceCaseId: z.string(),
  title: z.string(),
  body: z.string(),
  status: z.string(),
  flaggedTerms: z.array(z.string()),
  version: z.number(),
  returnNote: z.string().nullable(),
  draftedAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
  mine: z.boolean(),
  publicity: z.boolean(),
});
// The public shape: title, text and day, nothing else (the strict schema drops anything more).
const ZPublic = z.object({ id: z.string(), title: z.string(), body: z.string(), publishedOn: z.string() });

/**
 * Typical cases (典型案例, Art. 20 ¶4). Staff routes need a session (handlers draft, edit, submit; the publicity
 * department approves, returns, publishes). The two public routes need none and show only published typical
 * cases' title, text and publication day — never the source case, its organ or its people.
 */
export const typicalRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { db, clock } = context;
  const tags = ['typical-cases'];

  app.get('/api/public/typical-cases', { config: { public: true, audit: { none: '已发布的典型案例是去标识化的公开内容' } }, schema: { tags, summary: '已发布的典型案例（公开）', response: { 200: z.object({ data: z.array(ZPublic) }) } } }, async () => ({
    data: await listPublishedTypicalCases(db),
  }));

  app.get('/api/public/typical-cases/:id', { config: { public: true, audit: { none: '已发布的典型案例是去标识化的公开内容' } }, schema: { tags, summary: '已发布的典型案例（公开）', params: ZId, response: { 200: z.object({ data: ZPublic }) } } }, async (request) => ({
    data: await getPublishedTypicalCase(db, request.params.id),
  }));

  app.get('/api/v1/typical-cases', { config: { audit: { reads: 'record.read' } }, schema: { tags, summary: '本人经办或审核的典型案例', response: { 200: z.object({ data: z.array(ZStaff) }) } } }, async (request) => ({
    data: await listStaffTypicalCases(db, requireActor(request)),
  }));

  app.get('/api/v1/typical-cases/sources', { config: { audit: { reads: 'case.searched' } }, schema: { tags, summary: '可起草典型案例的已结案案件', response: { 200: z.object({ data: z.array(z.object({ id: z.string(), title: z.string(), closedAt: z.string().nullable() })) }) } } }, async (request) => ({
    data: await findClosedCasesForTypical(db, requireActor(request)),
  }));

  app.get('/api/v1/typical-cases/:id', { config: { audit: { reads: 'record.read' } }, schema: { tags, summary: '典型案例详情', params: ZId, response: { 200: z.object({ data: ZStaff }) } } }, async (request) => ({
    data: await getStaffTypicalCase(db, requireActor(request), request.params.id),
  }));

  app.post('/api/v1/typical-cases', { config: { audit: { records: 'typical.drafted' } }, schema: { tags, summary: '从已结案案件起草典型案例（去除可识别身份的信息）', body: z.object({ caseId: z.uuid('案件编号格式不正确') }), response: { 201: z.object({ data: ZStaff }) } } }, async (request, reply) => {
    const actor = requireActor(request);
    const result = await draftTypicalCase({ db, clock, actor, caseId: request.body.caseId });
    return reply.status(201).send({ data: await getStaffTypicalCase(db, actor, result.id) });
  });

  app.put(
    '/api/v1/typical-cases/:id',
    { config: { audit: { records: 'typical.edited' } }, schema: { tags, summary: '修改典型案例草稿', params: ZId, body: ZVersion.extend({ title: z.string().min(1).max(200), body: z.string().min(1).max(20_000) }), response: { 200: z.object({ data: ZStaff }) } } },
    async (request) => {
      const actor = requireActor(request);
      await editTypicalCase({ db, clock, actor, id: request.params.id, expectedVersion: request.body.version, title: request.body.title, body: request.body.body });
      return { data: await getStaffTypicalCase(db, actor, request.params.id) };
    },
  );

  const step = (path: string, event: EventType, summary: string, run: (props: { db: typeof db; clock: typeof clock; actor: ReturnType<typeof requireActor>; id: string; expectedVersion: number }) => Promise<unknown>) =>
    app.post(`/api/v1/typical-cases/:id/${path}`, { config: { audit: { records: event } }, schema: { tags, summary, params: ZId, body: ZVersion, response: { 200: z.object({ data: ZStaff }) } } }, async (request) => {
      const actor = requireActor(request);
      await run({ db, clock, actor, id: request.params.id, expectedVersion: request.body.version });
      return { data: await getStaffTypicalCase(db, actor, request.params.id) };
    });

  step('submit', 'typical.submitted', '报送宣传部门审核', submitTypicalCase);
  step('approve', 'typical.approved', '宣传部门审核同意', approveTypicalCase);
  step('publish', 'typical.published', '宣传部门发布（仍含可识别信息的不予发布）', publishTypicalCase);

  app.post(
    '/api/v1/typical-cases/:id/return',
    { config: { audit: { records: 'typical.returned' } }, schema: { tags, summary: '宣传部门退回修改', params: ZId, body: ZVersion.extend({ note: z.string().min(1, '请写明退回意见').refine((value) => value.trim() !== '', '请写明退回意见').max(2000) }), response: { 200: z.object({ data: ZStaff }) } } },
    async (request) => {
      const actor = requireActor(request);
      await returnTypicalCase({ db, clock, actor, id: request.params.id, expectedVersion: request.body.version, note: request.body.note });
      return { data: await getStaffTypicalCase(db, actor, request.params.id) };
    },
  );
};
