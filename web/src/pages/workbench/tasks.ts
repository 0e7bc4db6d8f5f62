/** The 工作台's vocabulary: the task kinds of GET /api/v1/workbench, who gets them, and how they read. */
export const TASK_ORDER = [
  'investigate',
  'answer-application',
  'deliberate',
  'decide',
  'approve',
  'serve',
  'handle-appeal',
  'close',
  'expert-opinion',
  'statement',
  'appeal',
  'application',
  'rectification-overdue',
  'rectification-item',
  'visit-due',
  'assessment-due',
] as const;
export type TaskKind = (typeof TASK_ORDER)[number];

export interface WorkItem {
  task: TaskKind;
  caseId: string;
  caseTitle: string;
  official: { name: string; position: string };
  organ: { name: string };
  state: string;
  since: string;
  deadline: string | null;
}

export interface WorkbenchData {
  items: WorkItem[];
  counts: Record<TaskKind, number>;
}

/** The most items the server lists; counts cover them all. */
export const WORKBENCH_LIMIT = 100;

export const TASK_LABELS: Record<TaskKind, string> = {
  investigate: '待调查核实',
  'answer-application': '待答复申请',
  deliberate: '待集体研究',
  decide: '待作出决定',
  approve: '待审批',
  serve: '待送达',
  'handle-appeal': '待处理申诉',
  close: '待结案',
  'expert-opinion': '待提交专家意见',
  statement: '待陈述申辩',
  appeal: '可提出申诉',
  application: '可提出容错申请',
  'rectification-overdue': '整改逾期',
  'rectification-item': '待整改',
  'visit-due': '待回访',
  'assessment-due': '待综合研判',
};

/** What the task asks of the user, with the article it comes from. */
export const TASK_HINTS: Record<TaskKind, string> = {
  investigate: '收集证据、听取意见、完成容错研判（第十二条）',
  'answer-application': '书面容错申请须在集体研究的容错意见中逐一答复（第十一条第二款）',
  deliberate: '容错研判已记录，待集体研究（第十三条）',
  decide: '根据集体研究意见作出处理决定（第十三条）',
  approve: '处理决定须报上级审批后生效（第十三条第二款）',
  serve: '宣布送达决定，并向本人及所在党组织说明容错情况（第十五条）',
  'handle-appeal': '对申诉作出维持、变更或者撤销的处理（第十六条）',
  close: '申诉期限已满或申诉已处理，可以结案',
  'expert-opinion': '就专业性或者技术性问题提出意见（第十二条第二款）',
  statement: '提交本人陈述申辩（第十二条）',
  appeal: '对处理决定不服的，可在期限内提出申诉（第十六条）',
  application: '可在作出处理决定前提出书面容错申请（第十一条第二款）',
  'rectification-overdue': '整改事项已过期限尚未完成，请督促整改（第十八条）',
  'rectification-item': '按期完成整改事项并报告进展（第十八条）',
  'visit-due': '回访教育、谈心谈话即将到期或已逾期（第十九条第（三）项）',
  'assessment-due': '对容错免责或处分影响期满的干部进行综合研判（第十九条第（四）项）',
};

export const TASK_COLORS: Record<TaskKind, string> = {
  investigate: 'blue',
  'answer-application': 'geekblue',
  deliberate: 'cyan',
  decide: 'volcano',
  approve: 'purple',
  serve: 'orange',
  'handle-appeal': 'magenta',
  close: 'green',
  'expert-opinion': 'gold',
  statement: 'red',
  appeal: 'lime',
  application: 'default',
  'rectification-overdue': 'red',
  'rectification-item': 'orange',
  'visit-due': 'blue',
  'assessment-due': 'purple',
};

/** Which kinds each role can receive: their cards show even at zero. */
export const TASKS_BY_ROLE: Record<string, readonly TaskKind[]> = {
  handler: ['investigate', 'answer-application', 'decide', 'serve', 'handle-appeal', 'close', 'rectification-item', 'visit-due'],
  'deliberation-member': ['deliberate'],
  approver: ['approve'],
  expert: ['expert-opinion'],
  official: ['statement', 'appeal', 'rectification-item'],
  'organization-department': ['rectification-overdue', 'visit-due', 'assessment-due'],
  supervisor: ['rectification-overdue'],
  'party-organization': ['application'],
};

/** Roles whose work is not yet on the 工作台: what they will find here later, and what they can do today. */
export const LATER_FOR_ROLE: Record<string, { title: string; later: string; today?: string }> = {
  'organization-department': {
    title: '组织人事部门',
    later: '回访教育（第十九条第（三）项）和综合研判（第十九条第（四）项）到期时，将在这里提醒您。',
    today: '被容错免责的干部在考核评价、选拔任用等方面不受影响（第十七条）。',
  },
  supervisor: {
    title: '监督检查',
    later: '整改事项逾期（第十八条）和需要关注的容错运用情况（第二十条）将在这里提醒您。',
    today: '现在可以在“案件”中查看管辖范围内的案件。',
  },
  publicity: {
    title: '宣传部门',
    later: '可供宣传的典型案例（经脱敏处理，第二十条第四款）将在这里列出。',
  },
  administrator: {
    title: '系统管理员',
    later: '单位、账号和政策包的维护事项将在这里列出。',
    today: '系统管理员默认不查阅案件内容。',
  },
};
