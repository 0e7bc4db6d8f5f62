import { z } from 'zod';
import { TASK_KINDS } from '../../../queries/workbench.js';

export const ZTaskKind = z.enum(TASK_KINDS).describe(
  '待办类型：investigate 待调查核实、deliberate 待集体研究、decide 待作出决定、approve 待审批、serve 待送达、' +
    'handle-appeal 待处理申诉、close 待结案、answer-application 待答复申请、expert-opinion 待提交专家意见、' +
    'statement 待陈述申辩、appeal 可提出申诉、application 可提出容错申请',
);

export const ZWorkItem = z.object({
  task: ZTaskKind,
  caseId: z.string(),
  caseTitle: z.string(),
  official: z.object({ name: z.string(), position: z.string() }),
  organ: z.object({ name: z.string() }),
  state: z.string(),
  since: z.string().describe('何时成为待办（ISO 8601）'),
  deadline: z.string().nullable().describe('办理期限（ISO 8601），无期限为 null'),
});

export const ZWorkbench = z.object({
  data: z.object({
    items: z.array(ZWorkItem).describe('最新的在前，至多 100 项'),
    counts: z.record(ZTaskKind, z.number().int().min(0)).describe('每类待办的总数（不受 100 项的限制）'),
  }),
});
