/** What users read: every id the API uses, in Chinese. */
export const ROLE_LABELS: Record<string, string> = {
  handler: '经办人',
  'deliberation-member': '集体研究成员',
  approver: '审批人',
  official: '干部本人',
  'party-organization': '所在党组织',
  expert: '专家',
  'organization-department': '组织人事部门',
  supervisor: '监督检查',
  publicity: '宣传部门',
  'system-administrator': '系统管理员',
  'security-administrator': '安全管理员',
  'audit-administrator': '审计管理员',
};

export const STATE_LABELS: Record<string, string> = {
  investigating: '调查核实',
  deliberated: '已集体研究',
  'awaiting-approval': '待上级审批',
  decided: '已作出决定',
  served: '已送达',
  'under-appeal': '申诉处理中',
  'appeal-decided': '申诉已处理',
  closed: '已结案',
};

export const STATE_ORDER = ['investigating', 'deliberated', 'awaiting-approval', 'decided', 'served', 'under-appeal', 'appeal-decided', 'closed'];

export const OUTCOME_LABELS: Record<string, string> = {
  exempt: '容错免责',
  reduced: '容错减责',
  not_tolerated: '不予容错',
  revoked: '撤销问责',
};

export const OUTCOME_COLORS: Record<string, string> = { exempt: 'green', reduced: 'gold', not_tolerated: 'red', revoked: 'blue' };

export const MEASURE_LABELS: Record<string, string> = {
  'criticism-education': '批评教育',
  'ordered-self-examination': '责令检查',
  'circulated-criticism': '通报',
  admonishment: '诫勉',
  'organizational-adjustment': '组织调整或者组织处理',
  'disciplinary-sanction': '纪律处分',
};

export const REDUCTION_LABELS: Record<string, string> = { lighter: '从轻', mitigated: '减轻' };

export const OPINION_KIND_LABELS: Record<string, string> = {
  statement: '本人陈述申辩',
  unit: '相关单位意见',
  'interested-party': '利害相关方意见',
  society: '社会方面意见',
  expert: '专家意见',
};

export const EVIDENCE_KIND_LABELS: Record<string, string> = {
  document: '书证',
  testimony: '证言',
  photo: '照片',
  record: '记录',
  other: '其他',
};

export const APPEAL_OUTCOME_LABELS: Record<string, string> = { upheld: '维持', changed: '变更', revoked: '撤销' };

export const EVENT_LABELS: Record<string, string> = {
  'case.opened': '启动问责追责，同步启动容错认定',
  'case.evidence-recorded': '记录证据材料',
  'case.opinion-recorded': '听取意见',
  'case.application-submitted': '提出书面容错申请',
  'case.marked-professional': '标记专业性技术性问题',
  'case.expert-invited': '邀请专家',
  'case.expert-opinion-recorded': '专家提出意见',
  'case.assessment-recorded': '记录容错研判',
  'case.deliberation-recorded': '集体研究',
  'case.decided': '作出处理决定',
  'case.decision-approved': '上级审批同意',
  'case.decision-returned': '上级审批退回',
  'case.served': '宣布送达并说明容错情况',
  'case.appeal-lodged': '提出申诉',
  'case.appeal-decided': '申诉处理',
  'case.closed': '结案',
  'case.document-generated': '制作文书',
  'case.document-downloaded': '下载文书',
  'case.file-sealed': '案卷封存',
  'case.file-exported': '导出案卷',
  'case.read': '查阅案件内容',
  'case.attachment-downloaded': '下载附件',
  'audit.read': '查看查阅记录',
};

export const RANK_LABELS: Record<string, string> = {
  'ministerial-principal': '省部级正职',
  'ministerial-deputy': '省部级副职',
  'bureau-principal': '厅局级正职',
  'bureau-deputy': '厅局级副职',
  'division-principal': '县处级正职',
  'division-deputy': '县处级副职',
  'section-principal': '乡科级正职',
  'section-deputy': '乡科级副职',
  staff: '科员及以下',
};

export const label = (table: Record<string, string>, id: string | null | undefined) => (id ? (table[id] ?? id) : '—');

export const formatTime = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');
export const formatDate = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleDateString('zh-CN') : '—');

// ---- the case page ----

export const ACTION_LABELS: Record<string, string> = {
  recordEvidence: '记录证据',
  recordOpinion: '听取意见',
  recordStatement: '陈述申辩',
  submitApplication: '提出容错申请',
  markProfessional: '专业性技术性问题',
  inviteExpert: '邀请专家',
  recordExpertOpinion: '提出专家意见',
  recordAssessment: '容错研判',
  recordDeliberation: '集体研究',
  decide: '作出处理决定',
  approveDecision: '审批处理决定',
  serve: '宣布送达',
  lodgeAppeal: '提出申诉',
  decideAppeal: '处理申诉',
  close: '结案',
};

export const APPLICANT_KIND_LABELS: Record<string, string> = { official: '干部本人', 'party-organization': '所在党组织' };

export const APPROVAL_STATE_LABELS: Record<string, string> = {
  'not-required': '无需报批',
  pending: '待上级审批',
  approved: '上级已审批同意',
  returned: '上级已退回',
};

export const APPROVAL_STATE_COLORS: Record<string, string> = { 'not-required': 'default', pending: 'orange', approved: 'green', returned: 'red' };

export const DECISION_SOURCE_LABELS: Record<string, string> = { original: '原处理决定', appeal: '申诉处理后的决定' };

export const FACTOR_POLE_LABELS: Record<string, string> = { favourable: '有利', unfavourable: '不利' };

// ---- rectification and follow-up ----

export const RECTIFICATION_STATUS_LABELS: Record<string, string> = { open: '整改中', reported: '已报告进展', done: '已核查通过', returned: '已退回整改' };
export const RECTIFICATION_STATUS_COLORS: Record<string, string> = { open: 'blue', reported: 'gold', done: 'green', returned: 'red' };

export const VISIT_KIND_LABELS: Record<string, string> = { visit: '回访', talk: '谈心谈话' };
export const REMINDER_KIND_LABELS: Record<string, string> = { reminder: '提醒', talk: '提醒谈话' };
export const ASSESSMENT_BASIS_LABELS: Record<string, string> = { exemption: '容错免责', 'penalty-ended': '影响期满', other: '其他' };
export const ASSESSMENT_CONCLUSION_LABELS: Record<string, string> = {
  'continue-in-post': '继续在岗使用',
  'recommend-for-use': '建议使用',
  'recommend-for-promotion': '建议提拔',
  'further-observation': '继续观察',
};
export const ASSESSMENT_FACTOR_LABELS: Record<string, string> = {
  nature: '问题性质',
  motive: '主观动机',
  degree: '轻重程度',
  tolerance: '容错情形',
  usualPerformance: '一贯表现',
  performanceSince: '被处理、处分后的工作状态',
};
export const SELECTION_PURPOSE_LABELS: Record<string, string> = {
  evaluation: '干部考核',
  awards: '评先评优',
  selection: '干部选拔任用',
  promotion: '职务职级晋升',
  titles: '职称岗位评聘',
  candidacy: '党代表、人大代表、政协委员、优秀年轻干部资格',
};
export const PENALTY_SYSTEM_LABELS: Record<string, string> = { party: '党纪处分', government: '政务处分', other: '其他处理' };

/** Whether a prevention reminder's problem is resolved, by its latest follow-up. */
export const REMINDER_RESOLVED_LABELS: Record<string, string> = { true: '已解决', false: '跟踪中' };

/** Sensitivity labels of cases and attachments, and users' clearance (1 普通, 2 敏感, 3 核心). */
export const SENSITIVITY_LABELS: Record<string, string> = { '1': '普通', '2': '敏感', '3': '核心' };
