/**
 * The roles of domain.md and the three administrators (等保 8.1.5), with their Chinese names: the one list the
 * database's CHECK (migrations 0001, 0013), role grants, the demo and the personal-information inventory follow.
 * (The web app keeps its own copy of the names: the browser bundle does not import server modules.)
 */
export const ROLE_LABELS = {
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
} as const;

export type Role = keyof typeof ROLE_LABELS;
export const ROLES = Object.keys(ROLE_LABELS) as Role[];

