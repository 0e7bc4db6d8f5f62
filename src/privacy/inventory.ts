import { ROLE_LABELS, type Role } from '../access/roles.js';

/**
 * The personal-information inventory (个人信息清单; 个人信息保护法 第五十一条, GB/T 35273-2020 §11.3): every field
 * name an API response can carry, whether it holds personal information — and sensitive personal information
 * (个人信息保护法 第二十八条; GB/T 35273 Annex B lists identity documents and unpublished records of violations,
 * which is what an accountability case is) — what it is for, who sees it and how long it is kept. Fields that hold
 * nothing personal are listed too, so that a new field cannot slip into a response unclassified:
 * test/privacy-inventory.db.test.ts fails on any response field missing here, and on a personal field reaching
 * a role not listed for it. docs/personal-information.md is generated from this file (scripts/personal-information.ts).
 *
 * The inventory is by field name, as responses carry them. A name used in several places is classified by its
 * most sensitive use; `elsewhere` names the routes where the same name carries nothing personal (an
 * organization's `name`, a policy's `title`), which the role check leaves aside. Personal here means the value
 * itself identifies a person or says something about them (a name, an identifier, a post, what they did and how
 * it was handled); ids, timestamps, counters and flags describe records and are listed as not personal.
 */

/** Who receives a field: a role (domain.md), the signed-in user's own account (`self`), or anyone (`public`). */
export type Audience = Role | 'self' | 'public';

export const AUDIENCE_LABELS: Record<Audience, string> = { self: '本人（自己的账号）', ...ROLE_LABELS, public: '公众（无需登录）' };

export const RETENTION = {
  case: '随问责追责案卷保存（第十四条：存入案卷备查）；结案时封存，不再修改，按档案管理规定移交',
  official: '干部在本系统管理期间保存；调出管辖范围、退休后按干部人事档案管理规定移交（系统尚不自动删除）',
  identifier: '加密保存，随干部信息保存；仅脱敏形式出现在响应中',
  revealed: '不保存：仅在本次响应中返回，不写入日志、缓存（no-store）或浏览器存储；审计只记录查看的事实和原因',
  followup: '随回访、研判、提醒、整改和共享记录保存，与相关案卷同期',
  account: '账号存续期间；账号停用后因审计记录引用而保留',
  audit: '审计记录至少保存 184 天（六个月），只增不删，分区归档而不删除',
  typical: '去标识化的典型案例：发布期间公开，之后作为宣传工作记录保存',
  response: '不另行保存：只在本次响应中说明（如错误信息中列出的词语）',
  settings: '设置有效期间；修改后以新值替换',
} as const;
export type Retention = keyof typeof RETENTION;

interface Common {
  /** What the field holds (Chinese). */
  holds: string;
  /** An object whose keys are data (an action, a task kind, an exclusion id), not field names. */
  map?: true;
}

export interface PersonalEntry extends Common {
  personal: true;
  /** Sensitive personal information (个人信息保护法 第二十八条; GB/T 35273 Annex B). */
  sensitive: boolean;
  /** Why it is processed (Chinese). */
  purpose: string;
  /** Who receives it in a response. */
  roles: readonly Audience[];
  retention: Retention;
  /** Shown masked; the plaintext only through the audited reveal. */
  masked?: true;
  /** Where the same field name carries nothing personal. */
  elsewhere?: { holds: string; routes: readonly string[] };
}

export interface NonPersonalEntry extends Common {
  personal: false;
}

export type InventoryEntry = PersonalEntry | NonPersonalEntry;

// ---------------------------------------------------------------------------------------------------------
// Who sees what, by the routes' access rules (src/access, src/queries)

/** Everyone who may see a case; what each of them sees is cut down by the presenter (get-case.ts). */
const CASE_READERS = ['handler', 'deliberation-member', 'approver', 'supervisor', 'official', 'party-organization', 'expert'] as const satisfies readonly Audience[];
/** Staff of the deciding organ and its superiors: the case's internals. */
const CASE_STAFF = ['handler', 'deliberation-member', 'approver', 'supervisor'] as const satisfies readonly Audience[];
/** Those with tasks on the workbench. */
const WORKBENCH = ['handler', 'deliberation-member', 'approver', 'expert', 'official', 'party-organization', 'organization-department'] as const satisfies readonly Audience[];
/** Follow-up after the decision (Art. 17, 19): the managing organ's handlers and the organization department. */
const FOLLOWUP = ['handler', 'organization-department'] as const satisfies readonly Audience[];
/** Rectification (Art. 18): the organ's staff, the supervisors, the official and the unit's party organization. */
const RECTIFICATION = ['handler', 'supervisor', 'official', 'party-organization', 'deliberation-member', 'approver', 'expert'] as const satisfies readonly Audience[];
const STATISTICS = ['handler', 'organization-department', 'supervisor'] as const satisfies readonly Audience[];
const TYPICAL_STAFF = ['handler', 'publicity'] as const satisfies readonly Audience[];

const CASE_PURPOSE = '办理问责追责和容错纠错（第十一条至第十六条）';

const no = (holds: string, extra: { map?: true } = {}): NonPersonalEntry => ({ personal: false, holds, ...extra });
const pi = (holds: string, entry: Omit<PersonalEntry, 'personal' | 'holds'>): PersonalEntry => ({ personal: true, holds, ...entry });
/** Content of an accountability case: an unpublished record of a violation, so sensitive. */
const caseContent = (holds: string, roles: readonly Audience[] = CASE_READERS, extra: Partial<PersonalEntry> = {}): PersonalEntry =>
  pi(holds, { sensitive: true, purpose: CASE_PURPOSE, roles, retention: 'case', ...extra });

// Routes where common names carry nothing personal.
const POLICY = ['GET /api/v1/policies', 'GET /api/v1/policies/:policyId', 'POST /api/v1/assess'];
const ORGANIZATIONS = ['GET /api/v1/organizations', 'GET /api/v1/rectification/units', 'GET /api/v1/sharing/recipients', 'GET /api/v1/settings/smtp'];
const PERIODS = ['GET /api/v1/followup/periods', 'POST /api/v1/followup/penalty-periods'];

export const INVENTORY = {
  // --- Maps: their keys are data ---------------------------------------------------------------------------
  abilities: no('当前用户可执行的操作及不可执行的原因（键为操作名）', { map: true }),
  counts: no('各类待办的数量（键为待办类型）', { map: true }),
  exclusions: no('第十条排除情形：研判输入中为“情形标识 → 是否成立”，政策包中为条款列表', { map: true }),
  factors: no('第九条因素：研判输入中为“因素标识 → 取值”，政策包中为因素列表', { map: true }),
  outcomes: no('政策包中三种处理结果的条款（键为结果）', { map: true }),

  // --- Identity of officials ------------------------------------------------------------------------------
  name: pi('人员姓名：责任追究对象、整改责任人、研判/回访对象等干部的姓名', {
    sensitive: false,
    purpose: '识别责任追究对象和后续管理对象（第六条、第七条、第十七条至第十九条）',
    roles: [...new Set<Audience>([...CASE_READERS, ...WORKBENCH, ...FOLLOWUP, ...RECTIFICATION])],
    retention: 'official',
    elsewhere: { holds: '单位、政策包的名称', routes: [...POLICY, ...ORGANIZATIONS, 'GET /api/v1/statistics'] },
  }),
  officialName: pi('干部姓名（监督检查：多次容错的干部）', { sensitive: false, purpose: '监督容错是否被滥用（第二十条）', roles: ['supervisor'], retention: 'official' }),
  position: pi('干部的职务', { sensitive: false, purpose: '识别责任追究对象，判断审批权限和职务层次', roles: [...CASE_READERS, 'organization-department'], retention: 'official' }),
  rank: pi('干部的职级', { sensitive: false, purpose: '判断是否须报上级审批（第十三条第二款）', roles: CASE_READERS, retention: 'official' }),
  category: pi('干部所属机关类别（第七条）', { sensitive: false, purpose: '判断是否属于《办法》适用对象（第七条）', roles: ['handler'], retention: 'official' }),
  organization: pi('干部所在单位', { sensitive: false, purpose: '识别责任追究对象及其所在党组织（第十五条）', roles: CASE_READERS, retention: 'official' }),
  organizationName: pi('干部所在单位名称（干部选择列表）', { sensitive: false, purpose: '在启动问责时选择干部', roles: ['handler'], retention: 'official' }),
  managingOrgId: no('对干部有管理权限的机关编号'),
  official: pi('干部（姓名、职务、单位、脱敏标识）', { sensitive: false, purpose: '识别责任追究对象和后续管理对象', roles: [...CASE_READERS, 'organization-department'], retention: 'official' }),
  officialId: pi('干部编号（指向一名干部）；会话中为账号所属干部', {
    sensitive: false,
    purpose: '关联干部的案件和后续管理记录（整改不力记录、共享、选任审查）',
    roles: [...new Set<Audience>(['self', ...FOLLOWUP, ...RECTIFICATION])],
    retention: 'official',
  }),
  identifiers: pi('干部的个人标识（公民身份号码、手机号码），仅脱敏形式', {
    sensitive: true,
    purpose: '核对干部身份、联系本人（送达、回访、选任审查）',
    roles: [...CASE_STAFF, 'organization-department'],
    retention: 'identifier',
    masked: true,
  }),
  idNumber: pi('公民身份号码，脱敏（前6位和后4位，例如 110101********1234）', {
    sensitive: true,
    purpose: '核对干部身份（送达处理决定、选任审查时确认是同一人）',
    roles: [...CASE_STAFF, 'organization-department'],
    retention: 'identifier',
    masked: true,
  }),
  phone: pi('手机号码，脱敏（前3位和后4位，例如 138****5678）', {
    sensitive: false,
    purpose: '联系干部本人（送达、回访、谈心谈话）',
    roles: [...CASE_STAFF, 'organization-department'],
    retention: 'identifier',
    masked: true,
  }),
  revealable: no('当前用户可否查看标识明文、登记或更正标识（管理该干部的经办人、组织部门）'),
  identifier: no('查看的是哪一项标识（idNumber 或 phone）'),
  plaintext: pi('查看的标识明文（公民身份号码或手机号码）', {
    sensitive: true,
    purpose: '管理该干部的人员在写明原因后核对身份或联系本人；每次查看记入审计（person.identifier-revealed）',
    roles: FOLLOWUP,
    retention: 'revealed',
  }),

  // --- Accounts and people acting in the system ----------------------------------------------------------
  user: pi('登录用户（会话中为本人账号；查阅记录中为查阅人的显示名）', { sensitive: false, purpose: '显示当前登录人；让监督检查人员知道谁查看了案件', roles: ['self', 'supervisor'], retention: 'account' }),
  username: pi('登录用户名；邮件设置中为发信账号', { sensitive: false, purpose: '登录和账号管理', roles: ['self', 'system-administrator', 'security-administrator'], retention: 'account' }),
  displayName: pi('用户姓名及身份（如 王立新（市纪委监委经办人））', {
    sensitive: false,
    purpose: '显示当前登录人；选择集体研究成员和专家；共享记录留痕',
    roles: ['self', ...CASE_STAFF, ...FOLLOWUP],
    retention: 'account',
  }),
  roles: pi('本人的角色及所在单位', { sensitive: false, purpose: '按角色和管辖范围授权', roles: ['self'], retention: 'account' }),
  role: no('角色名称'),
  organizationId: no('单位编号'),
  email: pi('本人接收待办提醒的电子邮箱', { sensitive: false, purpose: '发送待办提醒邮件（本人设置）', roles: ['self'], retention: 'account' }),
  userId: pi('用户编号（查阅人；作出决定的人）', { sensitive: false, purpose: '审计谁查看了案件；监督回避（第二十条）', roles: ['supervisor'], retention: 'audit' }),
  userName: pi('用户姓名（监督检查：应回避未回避的人员）', { sensitive: false, purpose: '监督回避（第二十条）', roles: ['supervisor'], retention: 'audit' }),
  actor: pi('办理过程中的操作人（user:编号）', { sensitive: false, purpose: '案件办理过程留痕（第十四条、第二十条）', roles: CASE_READERS, retention: 'audit' }),
  clientAddress: pi('查阅人的客户端地址', { sensitive: false, purpose: '审计（等保 8.1.4.3）', roles: ['supervisor'], retention: 'audit' }),
  route: no('被访问的接口'),
  expertId: pi('被邀请专家的用户编号', { sensitive: false, purpose: '邀请专家提出意见（第十二条第二款）', roles: ['handler', 'deliberation-member', 'approver', 'supervisor', 'expert'], retention: 'case' }),
  expertName: pi('被邀请专家的姓名', { sensitive: false, purpose: '邀请专家提出意见（第十二条第二款）', roles: ['handler', 'deliberation-member', 'approver', 'supervisor', 'expert'], retention: 'case' }),
  experts: pi('可邀请的专家（编号、姓名）', { sensitive: false, purpose: '邀请专家', roles: CASE_STAFF, retention: 'account' }),
  members: pi('可选的集体研究成员（编号、姓名）', {
    sensitive: false,
    purpose: '记录集体研究的出席成员（第十三条）',
    roles: CASE_STAFF,
    retention: 'account',
    elsewhere: { holds: '政策包中因素组的成员', routes: POLICY },
  }),
  memberId: pi('集体研究成员的用户编号', { sensitive: false, purpose: '记录每名成员的意见（第十三条）', roles: CASE_STAFF, retention: 'case' }),
  membersPresent: pi('出席集体研究的成员编号', { sensitive: false, purpose: '核对法定人数（第十三条）', roles: CASE_STAFF, retention: 'case' }),
  memberOpinions: caseContent('集体研究成员各自的意见（比案件更窄：仅本机关及上级人员）', CASE_STAFF),
  reportedBy: pi('报告整改进展的用户编号', { sensitive: false, purpose: '整改留痕（第十八条）', roles: RECTIFICATION, retention: 'followup' }),
  checkedBy: pi('核查整改事项的用户编号', { sensitive: false, purpose: '整改留痕（第十八条）', roles: RECTIFICATION, retention: 'followup' }),
  recordedBy: pi('记录人的用户编号或姓名', { sensitive: false, purpose: '留痕', roles: [...CASE_STAFF, ...FOLLOWUP], retention: 'followup' }),
  sharedBy: pi('共享结论的人员（编号、姓名）', { sensitive: false, purpose: '信息共享留痕（第十九条第（二）项）', roles: FOLLOWUP, retention: 'followup' }),
  owner: pi('整改事项的责任人（干部或单位）', { sensitive: false, purpose: '整改事项明确责任人和期限（第十八条）', roles: RECTIFICATION, retention: 'followup' }),

  // --- Content of a case: unpublished records of violations -------------------------------------------------
  title: caseContent('案件名称（概括失误错误）；整改方案、整改事项、典型案例的标题', [...CASE_READERS, ...WORKBENCH, 'publicity', 'public'], {
    elsewhere: {
      holds: '政策包、文书、问题详情（错误信息）、报表的标题',
      routes: [...POLICY, 'GET /api/v1/document-templates', 'GET /api/v1/cases/:caseId/documents', 'GET /api/v1/audit/verify', 'GET /api/health'],
    },
  }),
  caseTitle: caseContent('案件名称', [...WORKBENCH, 'supervisor']),
  description: caseContent('失误错误问题的描述；整改方案说明；证据说明', [...CASE_STAFF, 'official', ...RECTIFICATION]),
  content: caseContent('听取的意见、陈述申辩、容错申请、专家意见、整改进展的内容', [...CASE_READERS, ...RECTIFICATION]),
  source: caseContent('意见的来源（单位、利害相关方或本人）', CASE_READERS, {
    elsewhere: { holds: '处分影响期的法规依据', routes: [...PERIODS, 'GET /api/v1/officials/:officialId/selection-check'] },
  }),
  question: caseContent('向专家提出的问题', ['handler', 'deliberation-member', 'approver', 'supervisor', 'expert']),
  grounds: caseContent('申诉理由（第十六条）', ['handler', 'deliberation-member', 'approver', 'supervisor', 'official']),
  answer: caseContent('对容错申请的答复（第十一条第二款）', [...CASE_STAFF, 'official', 'party-organization']),
  comment: caseContent('集体研究成员的发言', CASE_STAFF),
  opinion: caseContent('集体研究成员的表决意见', CASE_STAFF),
  opinions: caseContent('听取的意见、陈述申辩和专家意见', CASE_READERS),
  applications: caseContent('书面容错申请（申请人只见本人的申请）', [...CASE_STAFF, 'official', 'party-organization']),
  applicantKind: caseContent('容错申请人：本人或所在党组织', [...CASE_STAFF, 'official', 'party-organization']),
  assessment: caseContent('容错研判（第八条至第十条）', CASE_STAFF),
  input: caseContent('研判输入：认定的情形、排除情形和因素', CASE_STAFF),
  output: caseContent('政策引擎的研判建议', CASE_STAFF),
  note: caseContent('研判说明；整改核查说明；共享说明', [...CASE_STAFF, ...FOLLOWUP, ...RECTIFICATION], { elsewhere: { holds: '研判说明（无案件的试算）', routes: POLICY } }),
  recommendation: caseContent('研判建议的处理结果', [...CASE_STAFF]),
  situations: caseContent('认定的第八条情形', CASE_STAFF, { elsewhere: { holds: '政策包的情形条款', routes: POLICY } }),
  favourable: caseContent('有利因素', CASE_STAFF, { elsewhere: { holds: '试算结果', routes: POLICY } }),
  unfavourable: caseContent('不利因素', CASE_STAFF, { elsewhere: { holds: '试算结果', routes: POLICY } }),
  decisive: caseContent('起决定作用的因素', CASE_STAFF, { elsewhere: { holds: '政策包中因素取值是否起决定作用', routes: POLICY } }),
  offset: caseContent('相互抵消的因素', CASE_STAFF, { elsewhere: { holds: '试算结果', routes: POLICY } }),
  excludedBy: caseContent('导致不予容错的排除情形', CASE_STAFF, { elsewhere: { holds: '试算结果', routes: POLICY } }),
  trace: caseContent('研判推理过程', CASE_STAFF, { elsewhere: { holds: '试算结果', routes: POLICY } }),
  subject: caseContent('推理步骤涉及的情形或因素', CASE_STAFF, { elsewhere: { holds: '试算结果', routes: POLICY } }),
  deliberations: caseContent('集体研究记录（第十三条）', CASE_STAFF),
  accountabilityOpinion: caseContent('问责意见', CASE_STAFF),
  toleranceOpinion: caseContent('容错意见', CASE_READERS),
  toleranceReasons: caseContent('容错理由和依据（第十四条）', CASE_STAFF),
  proposedOutcome: caseContent('集体研究提出的处理结果', CASE_STAFF),
  departureReason: caseContent('与研判建议不一致的理由（第二十条）', CASE_STAFF),
  deliberationReason: caseContent('集体研究与研判建议不一致的理由', ['supervisor']),
  departures: caseContent('与研判建议不一致的决定（监督检查）', ['supervisor']),
  applicationAnswers: caseContent('集体研究对各容错申请的答复', CASE_STAFF),
  decisions: caseContent('处理决定（各版本）', CASE_READERS),
  outcome: caseContent('处理结果：容错免责、容错减责、不予容错、撤销', [...CASE_READERS, 'organization-department']),
  reduction: caseContent('减责方式：从轻或减轻', CASE_READERS),
  measures: caseContent('问责措施', CASE_READERS),
  measureDetails: caseContent('问责措施的具体内容', CASE_READERS),
  approvalNote: caseContent('审批意见', CASE_STAFF),
  explanationToOfficial: caseContent('向本人说明的容错情况（第十五条）', [...CASE_STAFF, 'official']),
  explanationToPartyOrg: caseContent('向所在党组织说明的容错情况（第十五条）', [...CASE_STAFF, 'party-organization']),
  services: caseContent('宣布送达记录', CASE_READERS),
  appeals: caseContent('申诉及复查结果（第十六条）', [...CASE_STAFF, 'official']),
  state: caseContent('案件所处阶段（是否正在被问责调查）', [...CASE_READERS, ...WORKBENCH]),
  stateLabel: caseContent('案件所处阶段的名称', CASE_READERS),
  expertInvitations: caseContent('专家邀请（专家只见对本人的邀请）', [...CASE_STAFF, 'expert']),
  evidenceIds: no('向专家提供的证据编号'),
  cases: caseContent('该干部此前的案件（第九条第（一）项）', CASE_STAFF),
  reminders: caseContent('预防提醒；整改逾期提醒', [...CASE_STAFF, ...RECTIFICATION]),
  linkedCases: caseContent('因整改不力启动的关联案件', RECTIFICATION),
  plan: caseContent('整改方案（第十八条）', RECTIFICATION),
  items: caseContent('列表的各项：待办、整改事项、回访、研判、提醒、共享记录', [...WORKBENCH, ...RECTIFICATION, ...FOLLOWUP, 'supervisor'], {
    elsewhere: { holds: '政策包条款的各项', routes: POLICY },
  }),
  mechanism: caseContent('整改事项的长效机制', RECTIFICATION),
  reports: caseContent('整改进展报告', RECTIFICATION),
  checks: caseContent('整改核查', RECTIFICATION),
  finding: caseContent('整改不力的情况（第十八条第二款）', RECTIFICATION),
  poorRecords: caseContent('整改不力记录', RECTIFICATION),
  itemTitle: caseContent('整改事项', RECTIFICATION),
  unitName: pi('整改单位名称', { sensitive: false, purpose: '单位整改（第十八条）', roles: RECTIFICATION, retention: 'followup' }),
  overdueRectification: caseContent('逾期未完成的整改事项（监督检查）', ['supervisor']),
  unansweredApplications: caseContent('未获答复的容错申请（监督检查）', ['supervisor']),
  recusalWarnings: caseContent('应回避未回避的提示（监督检查）', ['supervisor']),
  repeatedTolerance: caseContent('多次获得容错的干部（监督检查，第二十条）', ['supervisor']),
  openedAndDecided: no('同一人既启动又作出决定'),
  deliberatedAndDecided: no('同一人既参与集体研究又作出决定'),

  // --- After the decision: follow-up, penalties, selection (Art. 17, 19) -----------------------------------
  penalty: pi('处分及其影响期', { sensitive: true, purpose: '综合研判和选任审查（第十七条、第十九条第（四）项）', roles: FOLLOWUP, retention: 'followup' }),
  restricted: pi('干部是否受处分影响期限制', { sensitive: true, purpose: '选拔任用等事项的审查（第十七条）', roles: ['organization-department'], retention: 'followup' }),
  reasons: pi('受限制的原因（处分及其影响期）；研判理由', {
    sensitive: true,
    purpose: '选拔任用等事项的审查（第十七条）；说明研判理由',
    roles: [...CASE_STAFF, 'official', 'organization-department'],
    retention: 'followup',
    elsewhere: { holds: '政策包中抵消因素的条款', routes: POLICY },
  }),
  basis: pi('综合研判的依据：容错免责或影响期满', { sensitive: true, purpose: '综合研判（第十九条第（四）项）', roles: FOLLOWUP, retention: 'followup', elsewhere: { holds: '政策包', routes: POLICY } }),
  conclusion: pi('综合研判结论', { sensitive: true, purpose: '综合研判，报送组织部门（第十九条第（四）项）', roles: FOLLOWUP, retention: 'followup' }),
  problem: pi('预防提醒所针对的苗头性、倾向性问题', { sensitive: true, purpose: '预防提醒（第十九条第（一）项）', roles: FOLLOWUP, retention: 'followup' }),
  followUp: pi('预防提醒的跟踪要求', { sensitive: true, purpose: '预防提醒的跟踪（第十九条第（一）项）', roles: FOLLOWUP, retention: 'followup' }),
  followUps: pi('预防提醒的跟踪记录', { sensitive: true, purpose: '预防提醒的跟踪（第十九条第（一）项）', roles: FOLLOWUP, retention: 'followup' }),
  record: pi('回访、谈心谈话或跟踪的情况', { sensitive: true, purpose: '回访教育和跟踪（第十九条）', roles: FOLLOWUP, retention: 'followup' }),
  resolved: no('提醒的问题是否已经解决'),
  label: pi('该干部受到的处分的名称（选任审查、综合研判、处分记录）', {
    sensitive: true,
    purpose: '选拔任用等事项的审查和综合研判（第十七条、第十九条第（四）项）',
    roles: FOLLOWUP,
    retention: 'followup',
    elsewhere: { holds: '统计分组、情形、影响期设置的名称', routes: [...POLICY, ...PERIODS, 'GET /api/v1/statistics', 'GET /api/v1/oversight'] },
  }),

  // --- Typical cases: de-identified (去标识化), not anonymous ----------------------------------------------
  body: pi('典型案例正文（去标识化：直接标识已删除，准标识已泛化）', {
    sensitive: false,
    purpose: '宣传典型案例（第二十条第四款）；去标识化而非匿名化，发布前须人工审核和第二人审批',
    roles: [...TYPICAL_STAFF, 'public'],
    retention: 'typical',
  }),
  flaggedTerms: pi('典型案例中仍可识别身份的词语（姓名、单位、地名；身份证号、手机号以脱敏形式）', {
    sensitive: true,
    purpose: '发布前检查并删除可识别身份的信息',
    roles: TYPICAL_STAFF,
    retention: 'typical',
  }),
  sourceCaseId: no('典型案例来源案件的编号（仅内部可见，公开接口不返回）'),
  returnNote: pi('宣传部门的退回意见', { sensitive: false, purpose: '典型案例审核', roles: TYPICAL_STAFF, retention: 'typical' }),
  mine: no('是否为当前用户单位起草的典型案例'),
  publicity: no('当前用户是否以宣传部门身份审核'),
  publishedOn: no('发布日期'),

  // --- Records, ids and times (not personal) ---------------------------------------------------------------
  id: no('对象编号（UUID）；指向人员的编号另见 officialId、userId 等'),
  caseId: no('案件编号'),
  caseIds: no('案件编号列表'),
  toleratedCaseIds: no('获得容错的案件编号列表'),
  applicationId: no('容错申请编号'),
  appealId: no('申诉编号'),
  decisionId: no('处理决定编号'),
  newDecisionId: no('申诉后新版本处理决定的编号'),
  deliberationId: no('集体研究编号'),
  newCaseId: no('因整改不力启动的新案件编号'),
  planId: no('整改方案编号'),
  itemId: no('整改事项编号'),
  itemIds: no('整改事项编号列表'),
  reportId: no('整改进展报告编号'),
  checkId: no('整改核查编号'),
  poorRecordId: no('整改不力记录编号'),
  newCaseVersion: no('新案件的版本号'),
  reminderId: no('预防提醒编号'),
  penaltyId: no('处分编号'),
  recordId: no('共享的结论编号'),
  organId: no('机关编号'),
  unitId: no('整改单位编号'),
  parentId: no('上级单位编号'),
  fromOrgId: no('共享单位编号'),
  toOrgId: no('接收单位编号'),
  sentToOrganizationId: no('研判结论报送的组织部门编号'),
  organ: no('责任追究机关或设置所属机关（编号、名称）'),
  organName: no('机关名称'),
  shortName: no('单位简称'),
  type: no('类型：单位类型、审计事件类型、问题详情类型'),
  kind: no('类别：意见、文书、回访、提醒、处分等的类别'),
  kinds: no('可生成的文书种类'),
  version: no('版本号'),
  decisionVersion: no('处理决定的版本号'),
  planVersion: no('整改方案的版本号'),
  current: no('是否为当前有效版本'),
  inForce: no('是否已生效'),
  approvalState: no('审批状态'),
  approved: no('是否已审批同意'),
  requiresApproval: no('是否须报上级审批'),
  professional: no('是否涉及专业性技术性问题'),
  status: no('状态：整改事项、典型案例的状态；HTTP 状态码；服务状态'),
  accepted: no('整改核查是否通过'),
  overdue: no('是否逾期'),
  policy: no('适用的政策包（编号、版本）'),
  openedAt: no('启动时间'),
  openedOn: no('启动日期'),
  decidedAt: no('作出决定的时间'),
  servedAt: no('送达时间'),
  appealDeadline: no('申诉期限'),
  closedAt: no('结案时间'),
  submittedAt: no('提交时间'),
  lodgedAt: no('提出申诉的时间'),
  dueAt: no('申诉应处理的期限'),
  invitedAt: no('邀请专家的时间'),
  answered: no('专家是否已答复'),
  heldOn: no('集体研究日期'),
  memberCount: no('应出席成员人数'),
  recordedAt: no('记录时间'),
  createdAt: no('创建时间'),
  updatedAt: no('更新时间'),
  draftedAt: no('起草时间'),
  publishedAt: no('发布时间'),
  generatedAt: no('生成时间'),
  uploadedAt: no('上传时间'),
  reportedAt: no('报告时间'),
  checkedAt: no('核查时间'),
  raisedAt: no('提醒时间'),
  sharedAt: no('共享时间'),
  setAt: no('设置时间'),
  doneAt: no('完成时间'),
  at: no('事件时间'),
  since: no('成为待办的时间'),
  deadline: no('期限'),
  dueOn: no('应办理日期'),
  givenOn: no('提醒日期'),
  followedUpOn: no('跟踪日期'),
  followUpOn: no('下次跟踪日期'),
  nextFollowUpOn: no('下次跟踪日期'),
  nextDeadline: no('最近的整改期限'),
  effectiveFrom: no('生效日期'),
  effectUntil: no('影响期截止日期'),
  periodMonths: no('影响期月数'),
  periodSource: no('影响期的依据（法规条文）'),
  until: no('截止日期'),
  asOf: no('查询基准日'),
  week: no('本周起止日期'),
  start: no('起始日期'),
  end: no('截止日期'),
  range: no('统计期间'),
  from: no('统计起始日期；共享单位；发信地址（单位邮箱）'),
  to: no('统计截止日期；接收单位'),
  task: no('待办类型'),
  seq: no('审计事件序号'),
  hash: no('审计链哈希'),
  head: no('审计链链头'),
  ok: no('审计链校验是否通过'),
  checked: no('校验的事件数'),
  sha256: no('文件的 SHA-256'),
  manifestSha256: no('案卷清单的 SHA-256'),
  attachments: no('附件（文件哈希）'),
  size: no('文件大小'),
  mediaType: no('文件类型'),
  filename: no('上传时的文件名（不用于存储）'),
  number: no('文号；政策条款序号'),
  documentsIssued: no('结案时补发的文书'),
  latest: no('是否为最新版本的文书'),
  hasPdf: no('是否有 PDF 版本'),
  canIssue: no('当前用户可否生成文书'),
  fields: no('模板中的字段'),
  uploads: no('机关上传的模板'),
  mayCreatePlan: no('当前用户可否制定整改方案'),
  addItems: no('可否增加整改事项'),
  check: no('可否核查整改事项'),
  recordPoorRectification: no('可否记录整改不力'),
  toMe: no('提醒是否发给当前用户'),
  reported: no('已报告进展的整改事项数'),
  raised: no('本次发出的逾期提醒数'),
  done: no('已完成数'),
  total: no('总数'),
  count: no('数量'),
  rate: no('比率'),
  decided: no('已作出决定的案件数'),
  tolerated: no('获得容错的案件数'),
  decisionDays: no('办理天数统计'),
  medianDays: no('办理天数中位数'),
  meanDays: no('办理天数平均数'),
  byState: no('按阶段统计'),
  byOutcome: no('按处理结果统计'),
  bySituation: no('按情形统计'),
  byOrgan: no('按机关统计'),
  byMonth: no('按月统计'),
  rectification: no('整改完成情况统计'),
  toleranceByOrgan: no('各机关的容错率（监督检查）'),
  toleranceBySituation: no('各情形的容错率（监督检查）'),
  link: no('跳转到案件列表的链接（只含筛选条件）'),
  toleratedLink: no('跳转到容错案件列表的链接'),
  nextCursor: no('分页游标'),
  totalCapped: no('案件总数是否只计到上限（更多时列表显示「1000+」）'),
  data: no('响应的数据'),
  situation: no('第八条情形标识'),
  statutory: no('法定的处分影响期'),
  organDefaults: no('机关默认的影响期'),
  configured: no('机关设置的影响期；是否已设置'),
  system: no('处分体系（党纪、政务等）'),
  months: no('月数'),
  addsTerm: no('是否另加期限'),
  purpose: no('查询事项（考核、选拔任用等）'),
  database: no('数据库状态'),

  // --- Sign-in steps, accounts and the administrators (等保 8.1.4.1, 8.1.5) ---------------------------------------
  stage: no('登录进行到的步骤（绑定验证器、第二重验证、修改密码、已完成）'),
  account: pi('尚未完成登录的本人账号（编号、用户名）', { sensitive: false, purpose: '引导本人完成登录步骤', roles: ['self'], retention: 'account' }),
  methods: no('可用的第二重验证方式'),
  passwordChange: no('须修改密码的原因'),
  passwordRules: no('密码策略的规则说明'),
  serverTime: no('服务器时间（供验证码对时）'),
  session: no('登录状态'),
  uri: pi('身份验证器绑定链接（含本人的 TOTP 密钥）', { sensitive: true, purpose: '本人首次登录时绑定身份验证器（只在绑定前返回给本人）', roles: ['self'], retention: 'account' }),
  secret: pi('本人的 TOTP 密钥（绑定前显示一次）', { sensitive: true, purpose: '本人绑定身份验证器', roles: ['self'], retention: 'account' }),
  recoveryCodes: pi('本人的恢复码（只显示一次，服务器只存哈希）', { sensitive: true, purpose: '本人丢失身份验证器时完成第二重验证', roles: ['self'], retention: 'account' }),
  challenge: no('SM2 证书登录的一次性挑战值'),
  expiresAt: no('到期时间（账号、一次性挑战值）'),
  aboveClearance: no('附件的密级是否高于本人的密级许可（是则不显示文件名、不可下载）'),
  disabled: no('账号是否已停用'),
  lockedUntil: no('账号锁定到何时（连续失败五次）'),
  passwordChangeRequired: no('下次登录是否须修改密码'),
  totpEnrolled: no('是否已绑定身份验证器'),
  sm2KeyRegistered: no('是否已登记 SM2 证书公钥'),
  clearance: no('账号的密级许可（1 普通、2 敏感、3 核心）'),
  clearanceLabel: no('密级许可的名称'),
  sensitivity: no('案件或附件的密级（1 普通、2 敏感、3 核心）'),
  sensitivityEditable: no('当前用户可否设置案件密级'),
  actorName: pi('审计记录的操作人姓名', { sensitive: false, purpose: '审计管理员查阅审计记录（等保 8.1.4.3）', roles: ['audit-administrator', 'supervisor'], retention: 'audit' }),
  payload: no('审计记录的内容（编号、操作和结果，不含案件内容）', { map: true }),
  nextBefore: no('审计记录的下一页位置'),
  days: no('审计记录保存天数'),
  minimum: no('审计记录最短保存天数'),

  // --- Settings (administrator) -----------------------------------------------------------------------------
  host: no('邮件服务器地址'),
  port: no('邮件服务器端口'),
  secure: no('是否使用 TLS'),
  hasPassword: no('是否已设置密码（密码从不返回）'),
  enabled: no('是否启用'),

  // --- The policy pack and the engine's answer (public policy text, nothing personal) ----------------------
  issuer: no('政策包的制定机关'),
  timeZone: no('政策包的时区'),
  articles: no('政策包的条款'),
  article: no('条款序号'),
  lead: no('条款的导语'),
  rest: no('条款的其余部分'),
  text: no('条款原文；推理步骤的说明'),
  nouns: no('政策包的用语'),
  exclusion: no('“排除情形”的称谓'),
  factor: no('因素标识'),
  dimension: no('因素所属维度'),
  dimensions: no('因素的维度'),
  values: no('因素的取值'),
  value: no('因素的取值'),
  pole: no('取值的倾向（有利/不利）'),
  words: no('取值的原文表述'),
  groups: no('因素组'),
  group: no('因素组标识'),
  goodMotive: no('动机良好的认定规则'),
  anyOf: no('满足其一的条件'),
  offsets: no('抵消规则'),
  when: no('规则的适用条件'),
  contradictions: no('矛盾的输入组合'),
  guidance: no('研判步骤的指引'),
  step: no('研判步骤'),
  effect: no('推理步骤的效果'),
  motiveFirst: no('是否先看动机'),
  thinBasis: no('依据不足的提示规则'),
  minDimensions: no('最少的维度数'),
  exemptAtMost: no('容错免责的最多不利因素数'),
  reducedAtMost: no('容错减责的最多不利因素数'),
  binding: no('研判建议是否具有约束力（第十条排除情形成立时）'),
  complete: no('研判输入是否完整'),
  missing: no('研判尚缺的输入'),
  warnings: no('研判提示'),
  rule: no('规则编号（R1–R16）'),

  // --- Problem details (RFC 9457) ---------------------------------------------------------------------------
  code: no('错误代码'),
  detail: no('错误说明（英文，供开发者）'),
  key: no('出错的字段；统计分组的键'),
  allowed: pi('当前操作是否允许；出错字段允许的取值——典型案例检查不通过时为须删除的词语（可能含姓名）', {
    sensitive: false,
    purpose: '说明请求为何被拒绝，以便修改',
    roles: [...CASE_READERS, ...TYPICAL_STAFF],
    retention: 'response',
  }),
  reason: caseContent('与研判建议不一致的理由（监督检查）；不能执行操作的原因', CASE_READERS),
  errors: no('各字段的校验错误'),
  message: no('提示信息'),
} as const satisfies Record<string, InventoryEntry>;

export const INVENTORY_ENTRIES: Readonly<Record<string, InventoryEntry>> = INVENTORY;
