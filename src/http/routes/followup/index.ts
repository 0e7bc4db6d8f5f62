import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordComprehensiveAssessment } from '../../../commands/followup/record-comprehensive-assessment.js';
import { recordPenalty } from '../../../commands/followup/record-penalty.js';
import { recordReminder } from '../../../commands/followup/record-reminder.js';
import { recordReminderFollowUp } from '../../../commands/followup/record-reminder-follow-up.js';
import { recordUnscheduledVisit, recordVisit } from '../../../commands/followup/record-visit.js';
import { DEFAULT_ORGAN_PERIODS, STATUTORY_PERIODS, type PenaltySystem } from '../../../followup/periods.js';
import { configurePenaltyPeriod } from '../../../commands/followup/configure-penalty-period.js';
import { checkSelection, findAssessmentsDue, findReminders, findVisitsDueThisWeek } from '../../../queries/followup.js';
import type { AppContext } from '../../context.js';
import { requireActor } from '../../plugins/session.js';
import * as S from './schema.js';

const tags = ['followup'];

/**
 * After the decision (Art. 17, 19): follow-up visits and talks, penalties with their periods, comprehensive
 * assessments, prevention reminders, and the organization department's selection check. Every route needs a
 * session; an official outside the user's follow-up jurisdiction does not exist for them (404).
 */
export const followupRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { db, clock } = context;

  app.get(
    '/api/v1/followup/periods',
    { config: { audit: { none: '处分影响期等设置，不含个人信息' } }, schema: { tags, summary: '处分影响期（含依据）', response: { 200: S.ZPeriodsWithConfigured } } },
    async (request) => {
      const organIds = [...new Set(requireActor(request).roles.map((g) => g.organizationId))];
      const configured =
        organIds.length === 0
          ? []
          : await db
              .selectFrom('penalty_period_settings')
              .innerJoin('organizations', 'organizations.id', 'penalty_period_settings.organ_id')
              .select(['penalty_period_settings.organ_id', 'organizations.name', 'penalty_period_settings.kind', 'penalty_period_settings.label', 'penalty_period_settings.months', 'penalty_period_settings.source', 'penalty_period_settings.set_at'])
              .where('penalty_period_settings.organ_id', 'in', organIds)
              .orderBy('organizations.name')
              .orderBy('penalty_period_settings.kind')
              .execute();
      return {
        data: {
          statutory: STATUTORY_PERIODS.map((p) => ({ system: p.system, kind: p.kind, label: p.label, months: p.months, addsTerm: p.addsTerm === true, source: p.source })),
          organDefaults: DEFAULT_ORGAN_PERIODS.map((p) => ({ ...p })),
          configured: configured.map((c) => ({ organId: c.organ_id, organName: c.name, kind: c.kind, label: c.label, months: c.months, source: c.source, setAt: c.set_at.toISOString() })),
        },
      };
    },
  );

  app.post(
    '/api/v1/followup/penalty-periods',
    { config: { audit: { records: 'settings.penalty-period-configured' } }, schema: { tags, summary: '机关设置其他处理措施（诫勉、组织处理等）的影响期及依据', body: S.ZConfigurePenaltyPeriod, response: { 200: S.ZPenaltyPeriodResult } } },
    async (request) => ({ data: await configurePenaltyPeriod({ db, clock, actor: requireActor(request), ...request.body }) }),
  );

  app.get(
    '/api/v1/followup/visits/due',
    { config: { audit: { reads: 'record.read' } }, schema: { tags, summary: '本周应回访（含逾期未回访）', response: { 200: S.ZDueVisits } } },
    async (request) => ({ data: await findVisitsDueThisWeek(db, requireActor(request), clock) }),
  );

  app.post(
    '/api/v1/followup/visits/:visitId/record',
    { config: { audit: { records: 'visit.recorded' } }, schema: { tags, summary: '记录回访（或谈心谈话）情况', params: S.ZVisitParams, body: S.ZRecordVisit, response: { 200: S.ZVisitResult } } },
    async (request) => ({ data: await recordVisit({ db, clock, actor: requireActor(request), visitId: request.params.visitId, ...request.body }) }),
  );

  app.post(
    '/api/v1/followup/visits',
    { config: { audit: { records: 'visit.recorded' } }, schema: { tags, summary: '记录计划外的回访或谈心谈话', body: S.ZRecordUnscheduledVisit, response: { 201: S.ZVisitResult } } },
    async (request, reply) => reply.status(201).send({ data: await recordUnscheduledVisit({ db, clock, actor: requireActor(request), ...request.body }) }),
  );

  app.post(
    '/api/v1/followup/penalties',
    { config: { audit: { records: 'penalty.recorded' } }, schema: { tags, summary: '记录处理决定给予的处分及其影响期', body: S.ZRecordPenalty, response: { 201: S.ZPenaltyResult } } },
    async (request, reply) => {
      const { system, ...rest } = request.body;
      return reply.status(201).send({ data: await recordPenalty({ db, clock, actor: requireActor(request), system: system as PenaltySystem, ...rest }) });
    },
  );

  app.get(
    '/api/v1/followup/assessments/due',
    { config: { audit: { reads: 'record.read' } }, schema: { tags, summary: '应进行综合研判的干部（容错免责、处分影响期满）', querystring: S.ZAssessmentsDueQuery, response: { 200: S.ZDueAssessments } } },
    async (request) => ({ data: await findAssessmentsDue(db, requireActor(request), clock, request.query.until) }),
  );

  app.post(
    '/api/v1/followup/assessments',
    { config: { audit: { records: 'comprehensive-assessment.recorded' } }, schema: { tags, summary: '记录综合研判并报送组织部门', body: S.ZRecordAssessment, response: { 201: S.ZAssessmentResult } } },
    async (request, reply) => reply.status(201).send({ data: await recordComprehensiveAssessment({ db, clock, actor: requireActor(request), ...request.body }) }),
  );

  app.post(
    '/api/v1/followup/reminders',
    { config: { audit: { records: 'prevention.reminder-recorded' } }, schema: { tags, summary: '记录预防提醒或提醒谈话（不属于问责追责）', body: S.ZRecordReminder, response: { 201: S.ZReminderResult } } },
    async (request, reply) => reply.status(201).send({ data: await recordReminder({ db, clock, actor: requireActor(request), ...request.body }) }),
  );

  app.get(
    '/api/v1/followup/reminders',
    { config: { audit: { reads: 'record.read' } }, schema: { tags, summary: '管辖范围内干部的预防提醒及其跟踪情况（应跟踪的在前）', response: { 200: S.ZReminders } } },
    async (request) => ({ data: await findReminders(db, requireActor(request), clock) }),
  );

  app.post(
    '/api/v1/followup/reminders/:reminderId/follow-ups',
    {
      config: { audit: { records: 'prevention.reminder-followed-up' } },
      schema: {
        tags,
        summary: '记录预防提醒的跟踪情况（是否解决，可安排下次跟踪）',
        params: S.ZReminderParams,
        body: S.ZRecordReminderFollowUp,
        response: { 201: S.ZReminderFollowUpResult },
      },
    },
    async (request, reply) =>
      reply.status(201).send({ data: await recordReminderFollowUp({ db, clock, actor: requireActor(request), reminderId: request.params.reminderId, ...request.body }) }),
  );

  app.get(
    '/api/v1/officials/:officialId/selection-check',
    {
      config: { audit: { records: 'selection.queried' } },
      schema: {
        tags,
        summary: '选拔任用等事项查询：是否受影响及原因（容错免责不受影响）',
        params: S.ZOfficialParams,
        querystring: S.ZSelectionQuery,
        response: { 200: S.ZSelectionCheck },
      },
    },
    async (request) => ({ data: await checkSelection(db, requireActor(request), clock, request.params.officialId, request.query.purpose) }),
  );
};
