import { z } from 'zod';
import { ZMaskedIdentifiers } from '../identifiers/schema.js';
import { PENALTY_SYSTEM_IDS } from '../../../followup/periods.js';
import { ASSESSMENT_BASES, ASSESSMENT_CONCLUSIONS, REMINDER_KINDS, SELECTION_PURPOSES, VISIT_KINDS } from '../../../followup/settings.js';

const keys = <T extends Record<string, unknown>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

const ZDay = z.iso.date('日期格式应为 YYYY-MM-DD');
// Kept exactly as given; a blank value is refused rather than trimmed.
const ZText = (message: string, max = 5000) => z.string().min(1, message).refine((value) => value.trim() !== '', message).max(max);
const ZOfficialRef = z.object({ id: z.string(), name: z.string(), position: z.string() });

export const ZVisitParams = z.object({ visitId: z.uuid('回访编号格式不正确') });
export const ZOfficialParams = z.object({ officialId: z.uuid('干部编号格式不正确') });

export const ZRecordVisit = z.object({ record: ZText('请填写回访情况'), kind: z.enum(keys(VISIT_KINDS)).optional() });
export const ZRecordUnscheduledVisit = z.object({
  officialId: z.uuid('请选择干部'),
  kind: z.enum(keys(VISIT_KINDS)),
  record: ZText('请填写回访或谈话情况'),
  caseId: z.uuid().optional(),
});
export const ZVisitResult = z.object({ data: z.object({ id: z.string(), kind: z.string(), doneAt: z.string() }) });

export const ZDueVisits = z.object({
  data: z.object({
    week: z.object({ start: z.string(), end: z.string() }),
    items: z.array(z.object({ id: z.string(), official: ZOfficialRef, caseId: z.string().nullable(), kind: z.string(), dueOn: z.string(), overdue: z.boolean() })),
  }),
});

export const ZRecordPenalty = z.object({
  caseId: z.uuid('案件编号格式不正确'),
  system: z.enum(PENALTY_SYSTEM_IDS as [string, ...string[]]),
  kind: z.string().trim().regex(/^[a-z][a-z0-9-]*$/, '处分种类格式不正确').max(60),
  termMonths: z.number().int().optional(),
  effectiveFrom: ZDay,
});
export const ZPenaltyResult = z.object({
  data: z.object({ id: z.string(), system: z.string(), kind: z.string(), label: z.string(), effectiveFrom: z.string(), periodMonths: z.number(), effectUntil: z.string(), periodSource: z.string() }),
});

export const ZAssessmentsDueQuery = z.object({ until: ZDay.optional() });
export const ZDueAssessments = z.object({
  data: z.object({
    asOf: z.string(),
    items: z.array(
      z.object({
        basis: z.string(),
        official: ZOfficialRef,
        caseId: z.string(),
        penalty: z.object({ id: z.string(), label: z.string(), until: z.string() }).nullable(),
        dueOn: z.string(),
      }),
    ),
  }),
});

export const ZRecordAssessment = z.object({
  officialId: z.uuid('请选择干部'),
  basis: z.enum(keys(ASSESSMENT_BASES)),
  caseIds: z.array(z.uuid()).max(20).default([]),
  penaltyId: z.uuid().optional(),
  factors: z.object({
    nature: ZText('请填写问题性质'),
    motive: ZText('请填写主观动机'),
    degree: ZText('请填写轻重程度'),
    tolerance: ZText('请填写容错情形'),
    usualPerformance: ZText('请填写一贯表现'),
    performanceSince: ZText('请填写被处理、处分后的工作状态'),
  }),
  conclusion: z.enum(keys(ASSESSMENT_CONCLUSIONS)),
  note: z.string().max(5000).optional(),
  sentToOrganizationId: z.uuid().optional(),
});
export const ZAssessmentResult = z.object({
  data: z.object({
    id: z.string(),
    basis: z.string(),
    caseIds: z.array(z.string()),
    penaltyId: z.string().nullable(),
    dueOn: z.string().nullable(),
    conclusion: z.string(),
    sentToOrganizationId: z.string(),
  }),
});

export const ZRecordReminder = z.object({
  officialId: z.uuid('请选择干部'),
  kind: z.enum(keys(REMINDER_KINDS)),
  problem: ZText('请写明苗头性、倾向性问题'),
  followUp: z.string().max(5000).optional(),
  followUpOn: ZDay.optional(),
  givenOn: ZDay.optional(),
});
export const ZReminderResult = z.object({ data: z.object({ id: z.string(), kind: z.string(), givenOn: z.string(), followUpOn: z.string().nullable() }) });

export const ZReminderParams = z.object({ reminderId: z.uuid('提醒编号格式不正确') });
export const ZRecordReminderFollowUp = z.object({
  followedUpOn: ZDay,
  record: ZText('请填写跟踪了解的情况和采取的措施'),
  resolved: z.boolean({ error: '请说明问题是否已经解决' }),
  nextFollowUpOn: ZDay.optional(),
});
export const ZReminderFollowUpResult = z.object({
  data: z.object({ id: z.string(), reminderId: z.string(), followedUpOn: z.string(), resolved: z.boolean(), nextFollowUpOn: z.string().nullable() }),
});
const ZReminderFollowUp = z.object({
  id: z.string(),
  followedUpOn: z.string(),
  record: z.string(),
  resolved: z.boolean(),
  nextFollowUpOn: z.string().nullable(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});
export const ZReminders = z.object({
  data: z.object({
    asOf: z.string(),
    items: z.array(
      z.object({
        id: z.string(),
        official: ZOfficialRef,
        kind: z.string(),
        givenOn: z.string(),
        problem: z.string(),
        followUp: z.string(),
        followUpOn: z.string().nullable(),
        overdue: z.boolean(),
        resolved: z.boolean(),
        followUps: z.array(ZReminderFollowUp),
      }),
    ),
  }),
});

export const ZSelectionQuery = z.object({ purpose: z.enum(keys(SELECTION_PURPOSES)) });
export const ZSelectionCheck = z.object({
  data: z.object({
    officialId: z.string(),
    purpose: z.string(),
    asOf: z.string(),
    restricted: z.boolean(),
    reasons: z.array(z.object({ kind: z.literal('penalty'), label: z.string(), from: z.string(), until: z.string(), source: z.string() })),
    identifiers: ZMaskedIdentifiers,
  }),
});

export const ZPeriods = z.object({
  data: z.object({
    statutory: z.array(z.object({ system: z.string(), kind: z.string(), label: z.string(), months: z.number(), addsTerm: z.boolean(), source: z.string() })),
    organDefaults: z.array(z.object({ kind: z.string(), label: z.string(), months: z.number(), source: z.string() })),
  }),
});

// An organ's configured effect period for one of its other measures (penalty_period_settings). The code's format,
// the range of months and empty texts are refused by the command (configure-penalty-period.ts), one field at a
// time with that field's own message — what the form shows next to the field; here only the types and lengths.
export const ZConfigurePenaltyPeriod = z.object({
  organId: z.uuid('机关编号格式不正确'),
  kind: z.string({ error: '请填写种类编码' }).trim().max(60, '种类编码不超过 60 个字符'),
  label: z.string({ error: '请填写名称' }).trim().max(60, '名称不超过 60 个字'),
  months: z.number({ error: '影响期应为月数' }),
  source: z.string({ error: '请写明影响期的依据' }).trim().max(5000, '依据不超过 5000 字'),
});
export const ZPenaltyPeriodResult = z.object({
  data: z.object({ organId: z.string(), kind: z.string(), label: z.string(), months: z.number(), source: z.string(), setAt: z.string() }),
});
/** The periods, with those configured by the organs where the user holds a role (they override the defaults there). */
export const ZPeriodsWithConfigured = z.object({
  data: ZPeriods.shape.data.extend({
    configured: z.array(z.object({ organId: z.string(), organName: z.string(), kind: z.string(), label: z.string(), months: z.number(), source: z.string(), setAt: z.string() })),
  }),
});
