import { z } from 'zod';
import { ZMaskedIdentifiers } from '../identifiers/schema.js';
import { ACCOUNTABILITY_MEASURES } from '../../../cases/settings.js';
import { CASE_STATES } from '../../../cases/procedure.js';

export const ZCaseParams = z.object({ caseId: z.uuid('案件编号格式不正确') });

// Kept exactly as given (names round-trip byte-exact; a leading full-width indent is text): a blank value is
// refused rather than trimmed.
const ZText = (label: string, max = 20_000) => z.string().min(1, `请填写${label}`).refine((value) => value.trim() !== '', `请填写${label}`).max(max, `${label}过长`);
/** Every command states the case version the user acted on (optimistic concurrency). */
const ZVersion = z.number().int().min(1).describe('用户所看到的案件版本号；他人已更新时返回 409');

const ZOutcome = z.enum(['exempt', 'reduced', 'not_tolerated']);
const ZMeasures = z.array(z.enum(Object.keys(ACCOUNTABILITY_MEASURES) as [keyof typeof ACCOUNTABILITY_MEASURES, ...(keyof typeof ACCOUNTABILITY_MEASURES)[]])).max(6);
const ZDecisionFields = {
  outcome: ZOutcome,
  reduction: z.enum(['lighter', 'mitigated']).nullish(),
  measures: ZMeasures.default([]),
  measureDetails: z.string().max(5000).optional(),
  toleranceOpinion: z.string().max(20_000),
  toleranceReasons: z.string().max(20_000).default(''),
  departureReason: z.string().max(5000).nullish(),
};

export const ZOpenCase = z.object({
  officialId: z.uuid('请选择干部'),
  title: ZText('案件名称', 200),
  description: ZText('问题描述'),
  organId: z.uuid().optional(),
});

export const ZRecordOpinion = z.object({
  version: ZVersion,
  kind: z.enum(['statement', 'unit', 'interested-party', 'society']),
  source: ZText('意见来源', 200),
  content: ZText('意见内容'),
});
export const ZRecordStatement = z.object({ version: ZVersion, content: ZText('陈述申辩内容') });
export const ZSubmitApplication = z.object({ version: ZVersion, content: z.string().max(20_000) });
export const ZMarkProfessional = z.object({ version: ZVersion, professional: z.boolean() });
export const ZInviteExpert = z.object({
  version: ZVersion,
  expertId: z.uuid('请选择专家'),
  question: ZText('咨询问题', 5000),
  evidenceIds: z.array(z.uuid()).max(100).default([]),
});
export const ZExpertOpinion = z.object({ version: ZVersion, content: ZText('专家意见') });
export const ZRecordAssessment = z.object({
  version: ZVersion,
  input: z.unknown().describe('政策引擎的输入：situations、exclusions、factors'),
  note: z.string().max(5000).optional(),
});
export const ZRecordDeliberation = z.object({
  version: ZVersion,
  heldOn: z.iso.date('请填写会议日期（YYYY-MM-DD）'),
  membersPresent: z.array(z.uuid()).min(1, '请选择到会成员'),
  memberOpinions: z.array(z.object({ memberId: z.uuid(), opinion: ZOutcome, comment: z.string().max(5000).default('') })),
  accountabilityOpinion: ZText('问责追责意见'),
  toleranceOpinion: z.string().max(20_000),
  proposedOutcome: ZOutcome,
  applicationAnswers: z.array(z.object({ applicationId: z.uuid(), answer: z.string().max(5000) })).default([]),
  departureReason: z.string().max(5000).nullish(),
});
export const ZDecide = z.object({ version: ZVersion, ...ZDecisionFields });
export const ZApproveDecision = z.object({ version: ZVersion, approve: z.boolean(), note: z.string().max(5000).optional() });
export const ZServe = z.object({
  version: ZVersion,
  explanationToOfficial: z.string().max(20_000),
  explanationToPartyOrg: z.string().max(20_000),
});
export const ZLodgeAppeal = z.object({ version: ZVersion, grounds: z.string().max(20_000) });
export const ZDecideAppeal = z.object({
  version: ZVersion,
  outcome: z.enum(['upheld', 'changed', 'revoked']),
  reasons: z.string().max(20_000),
  change: z.object(ZDecisionFields).optional(),
});
export const ZClose = z.object({ version: ZVersion });


const commaList = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value), z.array(item)).optional();

export const ZCaseListQuery = z.object({
  state: commaList(z.enum(Object.keys(CASE_STATES) as [keyof typeof CASE_STATES, ...(keyof typeof CASE_STATES)[]])),
  outcome: commaList(z.enum(['exempt', 'reduced', 'not_tolerated', 'revoked'])),
  organId: z.uuid().optional(),
  situation: z.string().regex(/^[a-z][a-z0-9-]{1,49}$/, '情形标识格式不正确').optional().describe('第八条情形标识，如 reform-pilot'),
  openedFrom: z.iso.date().optional(),
  openedTo: z.iso.date().optional(),
  q: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional(),
});

const ZAbility = z.object({ allowed: z.boolean(), reason: z.string().optional(), code: z.string().optional(), rule: z.string().optional(), article: z.string().optional() });
export const ZCommandResult = z.object({ data: z.looseObject({}), version: z.number().int(), abilities: z.record(z.string(), ZAbility) });
export const ZCaseResponse = z.object({
  data: z.looseObject({
    id: z.string(),
    state: z.string(),
    version: z.number(),
    // Declared so that the identifiers are checked to be masked (staff of the organ; null for the others).
    official: z.looseObject({ identifiers: ZMaskedIdentifiers.nullable() }),
  }),
  abilities: z.record(z.string(), ZAbility),
});
export const ZCaseList = z.object({
  data: z.array(z.looseObject({ id: z.string(), title: z.string(), state: z.string() })),
  total: z.number().int(),
  /** The count stopped at its cap (queries/find-cases.ts TOTAL_CAP): there are more than `total`. */
  totalCapped: z.boolean(),
  nextCursor: z.string().nullable(),
});
