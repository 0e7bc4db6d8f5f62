import { z } from 'zod';

// Kept exactly as given; a blank value is refused rather than trimmed.
const ZText = (label: string, field: string, max = 20_000) =>
  z.string().min(1, `请填写${label}（${field}）`).refine((value) => value.trim() !== '', `请填写${label}（${field}）`).max(max, `${label}（${field}）过长`);
const ZPlanVersion = z.number({ error: '请提供整改方案版本号（version）' }).int().min(1).describe('用户所看到的整改方案版本号；他人已更新时返回 409');

export const ZPlanParams = z.object({ planId: z.uuid('整改方案编号（planId）格式不正确') });
export const ZItemParams = z.object({ itemId: z.uuid('整改事项编号（itemId）格式不正确') });
export const ZCaseParams = z.object({ caseId: z.uuid('案件编号（caseId）格式不正确') });

export const ZCreateCasePlan = z.object({ title: ZText('整改方案名称', 'title', 200), description: z.string().max(20_000).default('') });
export const ZCreateUnitPlan = z.object({
  unitId: z.uuid('请选择整改单位（unitId）'),
  organId: z.uuid('机关编号（organId）格式不正确').optional(),
  title: ZText('整改方案名称', 'title', 200),
  description: z.string().max(20_000).default(''),
});

export const ZNewItem = z.object({
  title: ZText('整改事项', 'title', 200),
  ownerOfficialId: z.uuid('责任干部编号（ownerOfficialId）格式不正确').optional(),
  ownerUnitId: z.uuid('责任单位编号（ownerUnitId）格式不正确').optional(),
  deadline: z.iso.date('整改期限（deadline）应为 YYYY-MM-DD 格式的日期'),
  mechanism: ZText('长效机制', 'mechanism', 5000),
});
export const ZAddItems = z.object({ version: ZPlanVersion, items: z.array(ZNewItem).min(1, '请至少填写一项整改事项（items）').max(50, '一次最多增加 50 项整改事项（items）') });

export const ZReportProgress = z.object({
  version: ZPlanVersion,
  content: ZText('整改进展', 'content'),
  attachments: z.array(z.string().regex(/^[0-9a-f]{64}$/, '附件（attachments）应为文件的 SHA-256（64 位小写十六进制）')).max(20, '附件（attachments）最多 20 个').default([]),
});

export const ZCheckItem = z.object({
  version: ZPlanVersion,
  accepted: z.boolean({ error: '请选择核查结论（accepted）' }),
  note: z.string().max(5000, '核查说明（note）过长').default(''),
});

export const ZPoorRectification = z.object({
  version: ZPlanVersion,
  finding: ZText('整改不力情况', 'finding'),
  officialId: z.uuid('被问责干部编号（officialId）格式不正确').optional(),
  title: ZText('新案件名称', 'title', 200).optional(),
  description: ZText('问题描述', 'description').optional(),
});

export const ZPlanListQuery = z.object({
  caseId: z.uuid('案件编号（caseId）格式不正确').optional(),
  unitId: z.uuid('单位编号（unitId）格式不正确').optional(),
  subject: z.enum(['case', 'unit'], '方案类别（subject）应为 case（案件整改）或 unit（单位整改）').optional().describe('只列案件的整改方案（case）或单位的整改方案（unit）'),
});

export const ZAttachmentParams = z.object({
  itemId: z.uuid('整改事项编号（itemId）格式不正确'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, '附件（sha256）应为文件的 SHA-256（64 位小写十六进制）'),
});
/** The multipart field that carries the file of an upload. */
export const ATTACHMENT_FIELD = 'file';
export const ZUploadedAttachment = z.object({ data: z.object({ sha256: z.string(), size: z.number(), mediaType: z.string(), filename: z.string() }) });

export const ZPlanUnitList = z.object({
  data: z.array(z.object({ id: z.string(), parentId: z.string().nullable(), name: z.string(), shortName: z.string().nullable(), type: z.string() })),
});

const ZItem = z.object({
  id: z.string(),
  position: z.number(),
  title: z.string(),
  owner: z.object({ kind: z.enum(['official', 'unit']), id: z.string(), name: z.string() }),
  deadline: z.string(),
  mechanism: z.string(),
  status: z.enum(['open', 'reported', 'done', 'returned']),
  overdue: z.boolean(),
  doneAt: z.string().nullable(),
  reports: z.array(z.object({ id: z.string(), content: z.string(), attachments: z.array(z.string()), reportedBy: z.string(), reportedAt: z.string() })),
  checks: z.array(z.object({ id: z.string(), reportId: z.string(), accepted: z.boolean(), note: z.string(), checkedBy: z.string(), checkedAt: z.string() })),
  reminders: z.array(z.object({ id: z.string(), deadline: z.string(), raisedAt: z.string() })),
});

export const ZPlan = z.object({
  id: z.string(),
  caseId: z.string().nullable(),
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
  organId: z.string(),
  organName: z.string(),
  title: z.string(),
  description: z.string(),
  version: z.number(),
  createdAt: z.string(),
  items: z.array(ZItem),
  poorRecords: z.array(z.object({ id: z.string(), newCaseId: z.string(), officialId: z.string(), finding: z.string(), itemIds: z.array(z.string()), recordedAt: z.string() })),
  abilities: z.object({ addItems: z.boolean(), check: z.boolean(), recordPoorRectification: z.boolean() }),
});

export const ZPlanResponse = z.object({ data: ZPlan });
export const ZCasePlanResponse = z.object({ data: z.object({ plan: ZPlan.nullable(), linkedCases: z.array(z.object({ id: z.string(), title: z.string() })), mayCreatePlan: z.boolean() }) });
export const ZPlanList = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      caseId: z.string().nullable(),
      unitId: z.string().nullable(),
      unitName: z.string().nullable(),
      organId: z.string(),
      organName: z.string(),
      title: z.string(),
      version: z.number(),
      createdAt: z.string(),
      items: z.number(),
      done: z.number(),
      reported: z.number(),
      overdue: z.number(),
      nextDeadline: z.string().nullable(),
    }),
  ),
});
export const ZReminderList = z.object({
  data: z.array(z.object({ id: z.string(), itemId: z.string(), itemTitle: z.string(), planId: z.string(), caseId: z.string().nullable(), deadline: z.string(), raisedAt: z.string(), toMe: z.boolean() })),
});
/** A command's result with the plan after it (so the client never has to guess what changed). */
export const ZPlanCommandResult = z.object({ data: z.looseObject({}), version: z.number(), plan: ZPlan });
