/** The Chinese role names the layout shows, as a user reads them (kept apart from the app's own table on purpose). */
export const ROLE_LABELS_FOR_TEST: Record<string, string> = {
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
