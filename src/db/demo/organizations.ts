/**
 * The demo organization tree: a Beijing-like municipality. Real bodies keep their public names; the state-owned
 * enterprise is fictional (青禾集团). Every person in the demo is fictional.
 *
 * Why the tree has this shape — jurisdiction (src/access/case.ts) walks parent links only:
 *
 *   中共北京市委 (committee, root)                          approver here approves the 市纪委监委's own decisions
 *   ├─ 市纪委监委 (commission)                              handler/supervisor here see every case below
 *   │  ├─ 东城区纪委监委 (dc-commission)                    handler here sees only 东城 cases
 *   │  └─ 西城区纪委监委 (xc-commission)                    handler here sees only 西城 cases
 *   ├─ 市委组织部, 市委宣传部, 市发展改革委, 市交通委, 青禾集团   officials managed by 市纪委监委
 *   ├─ 东城区委 ─ its bureaus and 东四街道办事处              officials managed by 东城区纪委监委
 *   └─ 西城区委 ─ its bureaus, 德胜街道, 政务服务中心          officials managed by 西城区纪委监委
 *
 * The district commissions hang under the municipal commission (the commission line, 纪检监察 "双重领导"
 * read as its disciplinary half) rather than under their 区委: staff at an organ act on the cases of the organs
 * below it, so this is what lets the 市纪委监委's handlers and supervisors see district cases and its approver
 * (a strict ancestor) approve district decisions, while a district handler sees nothing of the other district.
 * District bureaus stay under their 区委 because nobody holds a staff role at a bureau: where they sit only
 * matters for display. A case's organ is the official's managing organ, so a case never sits under a bureau.
 *
 * Party branches (party-branch) are shown under the units whose officials have demo cases, as the party
 * organization that Art. 11 ¶2 and Art. 15 speak of. The access rules grant the party-organization role at the
 * official's own unit (user_roles.organization_id = officials.organization_id), so the party-organization users
 * hold it there; the branch is where they work, named in their display name.
 */
export interface DemoOrganization {
  key: string;
  parent: string | null;
  name: string;
  shortName: string;
  type: string;
}

// Generic so that the branch's key stays a literal type (e.g. 'ndrc-party') and typos elsewhere fail to compile.
const branch = <P extends string>(parent: P, shortName: string, name = shortName) => ({
  key: `${parent}-party` as const,
  parent,
  name,
  shortName,
  type: 'party-branch',
});

export const DEMO_ORGANIZATIONS = [
  { key: 'committee', parent: null, name: '中共北京市委员会', shortName: '中共北京市委', type: 'party-committee' },
  { key: 'commission', parent: 'committee', name: '中共北京市纪律检查委员会 北京市监察委员会', shortName: '市纪委监委', type: 'discipline-commission' },
  { key: 'dc-commission', parent: 'commission', name: '中共北京市东城区纪律检查委员会 北京市东城区监察委员会', shortName: '东城区纪委监委', type: 'discipline-commission' },
  { key: 'xc-commission', parent: 'commission', name: '中共北京市西城区纪律检查委员会 北京市西城区监察委员会', shortName: '西城区纪委监委', type: 'discipline-commission' },
  { key: 'org-dept', parent: 'committee', name: '中共北京市委组织部', shortName: '市委组织部', type: 'organization-department' },
  { key: 'publicity', parent: 'committee', name: '中共北京市委宣传部', shortName: '市委宣传部', type: 'publicity-department' },
  { key: 'ndrc', parent: 'committee', name: '北京市发展和改革委员会', shortName: '市发展改革委', type: 'government-department' },
  { key: 'transport', parent: 'committee', name: '北京市交通委员会', shortName: '市交通委', type: 'government-department' },
  // Fictional: no real enterprise of this name is meant.
  { key: 'soe', parent: 'committee', name: '北京青禾城市发展集团有限公司', shortName: '青禾集团', type: 'state-owned-enterprise' },

  { key: 'dc', parent: 'committee', name: '中共北京市东城区委员会', shortName: '东城区委', type: 'party-committee' },
  { key: 'dc-ndrc', parent: 'dc', name: '北京市东城区发展和改革委员会', shortName: '东城区发展改革委', type: 'government-department' },
  { key: 'dc-housing', parent: 'dc', name: '北京市东城区住房和城市建设委员会', shortName: '东城区住房城市建设委', type: 'government-department' },
  { key: 'dc-urban', parent: 'dc', name: '北京市东城区城市管理委员会', shortName: '东城区城市管理委', type: 'government-department' },
  { key: 'dc-dongsi', parent: 'dc', name: '北京市东城区人民政府东四街道办事处', shortName: '东四街道办事处', type: 'government' },

  { key: 'xc', parent: 'committee', name: '中共北京市西城区委员会', shortName: '西城区委', type: 'party-committee' },
  { key: 'xc-ndrc', parent: 'xc', name: '北京市西城区发展和改革委员会', shortName: '西城区发展改革委', type: 'government-department' },
  { key: 'xc-health', parent: 'xc', name: '北京市西城区卫生健康委员会', shortName: '西城区卫生健康委', type: 'government-department' },
  { key: 'xc-market', parent: 'xc', name: '北京市西城区市场监督管理局', shortName: '西城区市场监管局', type: 'government-department' },
  { key: 'xc-desheng', parent: 'xc', name: '北京市西城区人民政府德胜街道办事处', shortName: '德胜街道办事处', type: 'government' },
  { key: 'xc-service', parent: 'xc', name: '北京市西城区政务服务中心', shortName: '西城区政务服务中心', type: 'public-institution' },

  // Party organizations of the units whose officials have demo cases (listed after their units: parents first).
  branch('ndrc', '市发展改革委机关党委', '中共北京市发展和改革委员会机关委员会'),
  branch('transport', '市交通委机关党委', '中共北京市交通委员会机关委员会'),
  branch('soe', '青禾集团党委', '中共北京青禾城市发展集团有限公司委员会'),
  branch('dc-ndrc', '东城区发展改革委机关党支部'),
  branch('dc-housing', '东城区住房城市建设委机关党支部'),
  branch('dc-urban', '东城区城市管理委机关党支部'),
  branch('dc-dongsi', '东四街道办事处机关党支部'),
  branch('xc-ndrc', '西城区发展改革委机关党支部'),
  branch('xc-health', '西城区卫生健康委机关党支部'),
  branch('xc-market', '西城区市场监管局机关党支部'),
  branch('xc-desheng', '德胜街道办事处机关党支部'),
] as const satisfies readonly DemoOrganization[];

export type DemoOrgKey = (typeof DEMO_ORGANIZATIONS)[number]['key'];
