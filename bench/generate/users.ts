import type { Commission, Organization, OrganizationTree, Unit } from './organizations.js';
import type { Official } from './officials.js';
import { personName } from './names.js';
import { Random } from './random.js';

/**
 * The accounts that act in the generated cases, with the roles the access rules (src/access/case.ts) ask for:
 *
 * - at every commission: handlers who conduct its cases (at least two: whoever decides an appeal must have taken
 *   no part in the decision, R10), five or seven deliberation members (quorum is more than half, R4), a
 *   supervisor who checks rectification items, and — where commissions sit below it — an approver, the higher
 *   authority of Art. 13 ¶2 (a strict ancestor of the deciding organ); the root committee's approver approves the
 *   provincial commission's own decisions;
 * - experts at the provincial commission, invited on professional cases (Art. 12 ¶2);
 * - organization and publicity departments, and the three administrators (三权分立);
 * - a party-organization account at every unit (Art. 11 ¶2 applications, Art. 15 explanations);
 * - an own account for every official who has a case (statements, applications, appeals, rectification reports).
 *
 * Usernames name the role and the place, so a person benchmarking can sign in as one: `c0-handler-1` is a
 * handler of commission 0 (the province's), `official-1234` the account of official 1234.
 */
export interface Account {
  id: string;
  username: string;
  displayName: string;
  officialId: string | null;
  roles: { role: string; organizationId: string }[];
}

export interface CommissionStaff {
  commission: Commission;
  handlers: Account[];
  members: Account[];
  supervisor: Account;
  /** The approver who approves this commission's decisions (at its parent, or at the root committee). */
  approver: Account;
}

export interface Accounts {
  all: Account[];
  staff: CommissionStaff[];
  experts: Account[];
  partyOrganizations: Map<string, Account>;
  officials: Map<string, Account>;
}

export function buildAccounts(seed: string, tree: OrganizationTree, officialsWithCases: readonly Official[], casesPerCommission: readonly number[]): Accounts {
  const random = Random.derive(seed, 'accounts');
  const all: Account[] = [];
  const account = (username: string, title: string, roles: [string, Organization][], officialId: string | null = null, name = personName(random)): Account => {
    const created = { id: random.uuid(), username, displayName: `${name}（${title}）`, officialId, roles: roles.map(([role, org]) => ({ role, organizationId: org.id })) };
    all.push(created);
    return created;
  };

  account('admin', '系统管理员', [['system-administrator', tree.root]]);
  account('anquan', '安全管理员', [['security-administrator', tree.root]]);
  account('shenji', '审计管理员', [['audit-administrator', tree.root]]);
  tree.organizationDepartments.forEach((org, i) => account(`orgdept-${i}`, `${org.shortName}干部监督处`, [['organization-department', org]]));
  account('publicity-0', `${tree.publicityDepartment.shortName}新闻处`, [['publicity', tree.publicityDepartment]]);

  const approvers = new Map<string, Account>();
  const approverAt = (org: Organization, name: string) => {
    let found = approvers.get(org.id);
    if (!found) approvers.set(org.id, (found = account(`approver-${approvers.size}`, `${name}审批人`, [['approver', org]])));
    return found;
  };
  const staff = tree.commissions.map((commission, i): CommissionStaff => {
    const short = commission.org.shortName;
    // About one handler per four hundred cases, as a busy case office has.
    const handlerCount = Math.max(2, Math.min(12, Math.round((casesPerCommission[i] ?? 0) / 400)));
    const memberCount = commission.level === 'county' ? 5 : 7;
    const parentOrg = commission.parent?.org ?? tree.root;
    return {
      commission,
      handlers: Array.from({ length: handlerCount }, (_, k) => account(`c${i}-handler-${k + 1}`, `${short}经办人`, [['handler', commission.org]])),
      members: Array.from({ length: memberCount }, (_, k) => account(`c${i}-member-${k + 1}`, `${short}集体研究成员`, [['deliberation-member', commission.org]])),
      supervisor: account(`c${i}-supervisor`, `${short}监督检查室`, [['supervisor', commission.org]]),
      approver: approverAt(parentOrg, parentOrg.shortName),
    };
  });
  const provincial = tree.commissions[0]!.org;
  const expertCount = Math.max(2, Math.min(40, Math.round(officialsWithCases.length / 5_000)));
  const experts = Array.from({ length: expertCount }, (_, k) => account(`expert-${k + 1}`, '特邀专家', [['expert', provincial]]));

  const partyOrganizations = new Map<string, Account>();
  tree.units.forEach((unit: Unit, k) => partyOrganizations.set(unit.org.id, account(`party-${k}`, `${unit.org.shortName}机关党组织`, [['party-organization', unit.org]])));

  const officials = new Map<string, Account>();
  for (const official of officialsWithCases) {
    officials.set(official.id, account(`official-${officials.size}`, `${official.unit.org.shortName}${official.position}`, [['official', official.unit.org]], official.id, official.name));
  }
  return { all, staff, experts, partyOrganizations, officials };
}
