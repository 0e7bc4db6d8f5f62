import type { Role } from '../../access/roles.js';
import type { DemoOfficialKey } from './officials.js';
import type { DemoOrgKey } from './organizations.js';

export type DemoRole = Role;

/**
 * A demo account. Seeded with the public demo password and no second factor: its first sign-in enrols an
 * authenticator and must change the password (seed-demo.ts leaves password_changed_at empty).
 */
export interface DemoUser {
  username: string;
  /** A fictional person. */
  name: string;
  /** What they are in the demo, shown after the name (display_name = `name（title）`). */
  title: string;
  roles: readonly { role: DemoRole; org: DemoOrgKey }[];
  /** For role `official`: the official row this account belongs to (the role's organization is theirs). */
  official?: DemoOfficialKey;
  /** Printed at start-up as one of the main demo logins (one per role, so the list stays short). */
  listed?: boolean;
}

const staff = <U extends string>(username: U, name: string, title: string, role: DemoRole, org: DemoOrgKey, listed = false) =>
  ({ username, name, title, roles: [{ role, org }], listed }) as const;

// Five members per deciding organ: quorum (more than half) is then three, so a deliberation can go ahead with
// one or two members absent, as real ones do.
const members = <P extends string>(prefix: P, organ: DemoOrgKey, organName: string, names: readonly [string, string, string, string, string]) =>
  names.map((name, i) => staff(`${prefix}-cy${i + 1}` as `${P}-cy${1 | 2 | 3 | 4 | 5}`, name, `${organName}集体研究成员`, 'deliberation-member', organ, prefix === 'jiwei' && i === 0));

/** An official's own account: role `official` at their organization, linked to their official row. */
const official = <U extends string>(username: U, name: string, title: string, officialKey: DemoOfficialKey, org: DemoOrgKey, listed = false) =>
  ({ username, name, title, roles: [{ role: 'official', org }], official: officialKey, listed }) as const;

export const DEMO_ACCOUNTS = [
  // Three administrators, three people (三权分立): none of them reads case content.
  staff('admin', '刘志诚', '系统管理员', 'system-administrator', 'committee', true),
  staff('anquan', '郑雅琴', '安全管理员', 'security-administrator', 'committee', true),
  staff('shenji', '冯立军', '审计管理员', 'audit-administrator', 'committee', true),

  // Handlers (经办人). `jiwei` opens and decides the municipal commission's cases; `jiwei-fc` (复审复核) takes
  // appeals, which nobody who took part in the original decision may decide.
  staff('jiwei', '王立新', '市纪委监委经办人', 'handler', 'commission', true),
  staff('jiwei-fc', '陈静怡', '市纪委监委复审复核室经办人', 'handler', 'commission'),
  staff('dc-jiwei', '李晓东', '东城区纪委监委经办人', 'handler', 'dc-commission', true),
  staff('xc-jiwei', '赵雪莲', '西城区纪委监委经办人', 'handler', 'xc-commission', true),

  ...members('jiwei', 'commission', '市纪委监委', ['陈立平', '黄德明', '杨秀珍', '朱建华', '吴敏']),
  ...members('dc', 'dc-commission', '东城区纪委监委', ['徐海峰', '孟庆林', '秦雅丽', '史晓军', '邵文博']),
  ...members('xc', 'xc-commission', '西城区纪委监委', ['顾婷婷', '侯建新', '龙玉洁', '武国强', '钱思雨']),

  // Approvers (Art. 13 ¶2) sit at a strict ancestor of the deciding organ.
  staff('jiwei-sp', '杜长青', '市纪委监委审批人，审批区纪委监委的决定', 'approver', 'commission', true),
  staff('shiwei-sp', '严正华', '中共北京市委审批人，审批市纪委监委的决定', 'approver', 'committee', true),

  staff('zhuanjia', '常启明', '特邀专家，交通工程与建筑材料', 'expert', 'commission', true),
  staff('zuzhibu', '陆晓燕', '市委组织部干部监督处', 'organization-department', 'org-dept', true),
  staff('jiandu', '白志刚', '市纪委监委监督检查室', 'supervisor', 'commission', true),
  staff('xuanchuan', '温婉如', '市委宣传部新闻处', 'publicity', 'publicity', true),

  // Party organizations (所在党组织): the role is held at the official's unit (see organizations.ts).
  staff('dangwei-jtw', '金振宇', '市交通委机关党委', 'party-organization', 'transport', true),
  staff('dangwei-qhjt', '邹丽华', '青禾集团党委', 'party-organization', 'soe'),
  staff('dangzhibu-dongsi', '熊伟民', '东四街道办事处机关党支部', 'party-organization', 'dc-dongsi'),

  official('hanmingzhe', '韩明哲', '东四街道办事处城市管理办公室主任', 'han-mingzhe', 'dc-dongsi', true),
  official('xueyongsheng', '薛永胜', '青禾集团副总经理', 'xue-yongsheng', 'soe'),
  official('pengwenjing', '彭文静', '德胜街道办事处副主任', 'peng-wenjing', 'xc-desheng'),
  official('yuguoqing', '余国庆', '西城区市场监管局食品经营安全科科长', 'yu-guoqing', 'xc-market'),
  official('fanzhiqiang', '范志强', '东城区发展改革委主任', 'fan-zhiqiang', 'dc-ndrc'),
] as const satisfies readonly DemoUser[];

export type DemoUsername = (typeof DEMO_ACCOUNTS)[number]['username'];
