import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Actor } from '../../../access/actor.js';
import type { CaseCommandProps } from '../../../commands/case-command.js';
import { approveDecision } from '../../../commands/approve-decision.js';
import { closeCase } from '../../../commands/close-case.js';
import { decideAppeal } from '../../../commands/decide-appeal.js';
import { decide } from '../../../commands/decide.js';
import { inviteExpert, markProfessional, recordExpertOpinion } from '../../../commands/invite-expert.js';
import { lodgeAppeal } from '../../../commands/lodge-appeal.js';
import { openCase } from '../../../commands/open-case.js';
import { recordAssessment } from '../../../commands/record-assessment.js';
import { recordDeliberation } from '../../../commands/record-deliberation.js';
import { recordOpinion, recordStatement } from '../../../commands/record-opinion.js';
import { serveDecision } from '../../../commands/serve-decision.js';
import { submitApplication } from '../../../commands/submit-application.js';
import { findCases } from '../../../queries/find-cases.js';
import { getCase } from '../../../queries/get-case.js';
import type { EventType } from '../../../audit/event-types.js';
import type { AppContext } from '../../context.js';
import { requireActor } from '../../plugins/session.js';
import * as S from './schema.js';

/**
 * The case procedure over HTTP. Each command route is the same three lines: the signed-in actor, the case and
 * the version the user saw, one command. The rules live in the commands; the abilities in GET tell the client
 * what it may do next.
 */
export const caseRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { db, clock } = context;
  const tags = ['cases'];

  app.get('/api/v1/cases', { config: { audit: { reads: 'case.searched' } }, schema: { tags, summary: '案件列表（按管辖范围过滤）', querystring: S.ZCaseListQuery, response: { 200: S.ZCaseList } } }, async (request) =>
    findCases(db, requireActor(request), request.query),
  );

  app.post('/api/v1/cases', { config: { audit: { records: 'case.opened' } }, schema: { tags, summary: '启动问责追责（同步启动容错认定）', body: S.ZOpenCase, response: { 201: S.ZCommandResult } } }, async (request, reply) => {
    const actor = requireActor(request);
    const result = await openCase({ db, clock, actor, ...request.body });
    const { abilities } = await getCase(db, actor, result.id, clock);
    return reply.status(201).send({ data: result, version: result.version, abilities });
  });

  app.get('/api/v1/cases/:caseId', { config: { audit: { reads: 'case.read' } }, schema: { tags, summary: '案件详情（含当前用户可执行的操作）', params: S.ZCaseParams, response: { 200: S.ZCaseResponse } } }, async (request) => {
    const { data, abilities } = await getCase(db, requireActor(request), request.params.caseId, clock);
    return { data, abilities };
  });

  /** Registers one case command: POST /api/v1/cases/:caseId/<path> with a body holding `version`. */
  function command<B extends z.ZodObject<{ version: z.ZodNumber }>>(
    path: string,
    event: EventType,
    summary: string,
    body: B,
    run: (props: CaseCommandProps, body: Omit<z.infer<B>, 'version'>, actor: Actor) => Promise<object & { version: number }>,
  ) {
    app.post(`/api/v1/cases/:caseId/${path}`, { config: { audit: { records: event } }, schema: { tags, summary, params: S.ZCaseParams, body, response: { 200: S.ZCommandResult } } }, async (request) => {
      const actor = requireActor(request);
      const { version, ...rest } = request.body as z.infer<B>;
      const settings = context.settings ? { settings: context.settings } : {};
      const result = await run({ db, clock, actor, caseId: request.params.caseId, expectedVersion: version, ...settings }, rest as Omit<z.infer<B>, 'version'>, actor);
      // What the user may do next, computed after the change, so the client never has to guess.
      const { abilities } = await getCase(db, actor, request.params.caseId, clock);
      return { data: result, version: result.version, abilities };
    });
  }

  command('opinions', 'case.opinion-recorded', '记录听取的意见（本人陈述、相关单位、利害相关方、社会方面）', S.ZRecordOpinion, (props, body) => recordOpinion({ ...props, ...body }));
  command('statement', 'case.opinion-recorded', '干部本人提交陈述申辩', S.ZRecordStatement, (props, body) => recordStatement({ ...props, ...body }));
  command('applications', 'case.application-submitted', '提出书面容错申请（本人或所在党组织）', S.ZSubmitApplication, (props, body) => submitApplication({ ...props, ...body }));
  command('professional', 'case.marked-professional', '标记涉及专业性或者技术性问题', S.ZMarkProfessional, (props, body) => markProfessional({ ...props, ...body }));
  command('experts', 'case.expert-invited', '邀请专家就专业问题提出意见', S.ZInviteExpert, (props, body) => inviteExpert({ ...props, ...body }));
  command('expert-opinion', 'case.expert-opinion-recorded', '专家提交意见', S.ZExpertOpinion, (props, body) => recordExpertOpinion({ ...props, ...body }));
  command('assessment', 'case.assessment-recorded', '记录容错研判（第八条至第十条）并保存引擎建议', S.ZRecordAssessment, (props, body) => recordAssessment({ ...props, input: body.input, ...(body.note !== undefined ? { note: body.note } : {}) }));
  command('deliberations', 'case.deliberation-recorded', '记录集体研究', S.ZRecordDeliberation, (props, body) => recordDeliberation({ ...props, ...body }));
  command('decision', 'case.decided', '作出处理决定', S.ZDecide, (props, body) => decide({ ...props, ...body }));
  command('decision/approval', 'case.decision-approved', '上级审批或者退回处理决定', S.ZApproveDecision, (props, body) => approveDecision({ ...props, ...body }));
  command('service', 'case.served', '送达决定并说明容错情况', S.ZServe, (props, body) => serveDecision({ ...props, ...body }));
  command('appeal', 'case.appeal-lodged', '提出申诉', S.ZLodgeAppeal, (props, body) => lodgeAppeal({ ...props, ...body }));
  command('appeal/decision', 'case.appeal-decided', '处理申诉（维持、变更、撤销）', S.ZDecideAppeal, (props, body) => decideAppeal({ ...props, ...body }));
  command('close', 'case.closed', '结案并封存案卷', S.ZClose, (props) => closeCase({ ...props, files: context.files }));
};
