import type { DemoOrgKey } from './organizations.js';

/** Fictional officials. Names are invented; any likeness to a real person is a coincidence. */
export type Rank =
  | 'ministerial-principal'
  | 'ministerial-deputy'
  | 'bureau-principal'
  | 'bureau-deputy'
  | 'division-principal'
  | 'division-deputy'
  | 'section-principal'
  | 'section-deputy'
  | 'staff';

/** Art. 7 categories (the CHECK list of officials.category). */
export type OfficialCategory =
  | 'party-organ'
  | 'government'
  | 'supervisory-commission'
  | 'state-owned-enterprise'
  | 'public-institution';

export interface DemoOfficial {
  key: string;
  name: string;
  org: DemoOrgKey;
  position: string;
  rank: Rank;
  category: OfficialCategory;
  /** The organ with management authority (干部管理权限, Art. 6): it opens and decides their cases. */
  managedBy: DemoOrgKey;
}

// Generic in the key so that case stories can only name officials that exist.
// Managing organs: municipal units and the district commissions' own staff are managed by the 市纪委监委;
// district units by their district's commission.
const municipal = <K extends string>(key: K, name: string, org: DemoOrgKey, position: string, rank: Rank, category: OfficialCategory) =>
  ({ key, name, org, position, rank, category, managedBy: 'commission' }) as const satisfies DemoOfficial;
const dongcheng = <K extends string>(key: K, name: string, org: DemoOrgKey, position: string, rank: Rank, category: OfficialCategory = 'government') =>
  ({ key, name, org, position, rank, category, managedBy: 'dc-commission' }) as const satisfies DemoOfficial;
const xicheng = <K extends string>(key: K, name: string, org: DemoOrgKey, position: string, rank: Rank, category: OfficialCategory = 'government') =>
  ({ key, name, org, position, rank, category, managedBy: 'xc-commission' }) as const satisfies DemoOfficial;

export const DEMO_OFFICIALS = [
  municipal('zhou-lixin', '周立新', 'org-dept', '干部监督处处长', 'division-principal', 'party-organ'),
  municipal('sun-xiaowen', '孙晓雯', 'org-dept', '干部监督处副处长', 'division-deputy', 'party-organ'),
  municipal('he-zhiyuan', '何志远', 'org-dept', '公务员管理处科员', 'staff', 'party-organ'),
  municipal('guo-zhenhua', '郭振华', 'publicity', '新闻处处长', 'division-principal', 'party-organ'),
  municipal('ma-yulan', '马玉兰', 'publicity', '宣传处副处长', 'division-deputy', 'party-organ'),

  municipal('hu-wentao', '胡文涛', 'ndrc', '副主任', 'bureau-deputy', 'government'),
  municipal('lin-haiyan', '林海燕', 'ndrc', '体制改革处处长', 'division-principal', 'government'),
  municipal('gao-jianmin', '高建民', 'ndrc', '价格调控处副处长', 'division-deputy', 'government'),
  municipal('luo-huimin', '罗慧敏', 'ndrc', '固定资产投资处科员', 'staff', 'government'),
  municipal('liang-guodong', '梁国栋', 'ndrc', '营商环境处处长', 'division-principal', 'government'),

  municipal('song-jianing', '宋佳宁', 'transport', '副主任', 'bureau-deputy', 'government'),
  municipal('zheng-yongkang', '郑永康', 'transport', '智能交通管理处处长', 'division-principal', 'government'),
  municipal('xie-wanqing', '谢婉清', 'transport', '道路运输管理处副处长', 'division-deputy', 'government'),
  municipal('tang-xiaoyang', '唐晓阳', 'transport', '综合规划处科员', 'staff', 'government'),

  municipal('feng-xiumei', '冯秀梅', 'soe', '党委书记、董事长', 'bureau-principal', 'state-owned-enterprise'),
  municipal('xue-yongsheng', '薛永胜', 'soe', '党委委员、副总经理', 'bureau-deputy', 'state-owned-enterprise'),
  municipal('dong-shufen', '董淑芬', 'soe', '工程管理部经理', 'division-principal', 'state-owned-enterprise'),
  municipal('xiao-liqun', '萧立群', 'soe', '安置房项目部经理', 'section-principal', 'state-owned-enterprise'),

  municipal('cheng-zijian', '程子健', 'dc-commission', '第一监督检查室副主任', 'division-deputy', 'supervisory-commission'),
  municipal('cao-yaqin', '曹雅琴', 'xc-commission', '案件审理室主任', 'division-principal', 'supervisory-commission'),

  dongcheng('yuan-weidong', '袁卫东', 'dc', '区委办公室副主任', 'division-deputy', 'party-organ'),
  dongcheng('deng-liping', '邓丽萍', 'dc', '区委办公室综合科科员', 'staff', 'party-organ'),
  dongcheng('fan-zhiqiang', '范志强', 'dc-ndrc', '党组书记、主任', 'division-principal'),
  dongcheng('fu-xiaoguang', '傅晓光', 'dc-ndrc', '副主任', 'division-deputy'),
  dongcheng('shen-yutong', '沈雨桐', 'dc-ndrc', '项目管理科科长', 'section-principal'),
  dongcheng('zeng-qingfeng', '曾庆丰', 'dc-housing', '党组书记、主任', 'division-principal'),
  dongcheng('lyu-jianjun', '吕建军', 'dc-housing', '副主任', 'division-deputy'),
  dongcheng('su-mingyue', '苏明月', 'dc-housing', '房屋安全科科员', 'staff'),
  dongcheng('lu-zhigang', '卢志刚', 'dc-urban', '副主任', 'division-deputy'),
  dongcheng('jiang-chunyan', '蒋春燕', 'dc-urban', '环境建设科科长', 'section-principal'),
  dongcheng('xu-zhenyu', '许振宇', 'dc-urban', '环境建设科副科长', 'section-deputy'),
  dongcheng('jia-lina', '贾丽娜', 'dc-dongsi', '工委副书记、办事处主任', 'division-principal'),
  dongcheng('ding-haitao', '丁海涛', 'dc-dongsi', '办事处副主任', 'division-deputy'),
  dongcheng('han-mingzhe', '韩明哲', 'dc-dongsi', '城市管理办公室主任', 'section-principal'),

  xicheng('wei-shuhua', '魏淑华', 'xc', '区委办公室副主任', 'division-deputy', 'party-organ'),
  xicheng('ye-junjie', '叶俊杰', 'xc-ndrc', '党组书记、主任', 'division-principal'),
  xicheng('yan-xiulan', '阎秀兰', 'xc-ndrc', '副主任', 'division-deputy'),
  xicheng('pan-xiaodong', '潘晓东', 'xc-ndrc', '项目管理科副科长', 'section-deputy'),
  xicheng('du-xuemei', '杜雪梅', 'xc-ndrc', '综合科科员', 'staff'),
  xicheng('dai-minghui', '戴明辉', 'xc-health', '副主任', 'division-deputy'),
  xicheng('xia-chunsheng', '夏春生', 'xc-health', '医政医管科科长', 'section-principal'),
  xicheng('zhong-lijun', '钟丽君', 'xc-health', '疾病预防控制科科员', 'staff'),
  xicheng('wang-defu', '汪德福', 'xc-market', '副局长', 'division-deputy'),
  xicheng('yu-guoqing', '余国庆', 'xc-market', '食品经营安全科科长', 'section-principal'),
  xicheng('tian-siyuan', '田思远', 'xc-market', '食品经营安全科科员', 'staff'),
  xicheng('ren-jiahui', '任佳慧', 'xc-desheng', '工委副书记、办事处主任', 'division-principal'),
  xicheng('peng-wenjing', '彭文静', 'xc-desheng', '办事处副主任', 'division-deputy'),
  xicheng('jiang-limin', '姜立民', 'xc-desheng', '社区建设科科员', 'staff'),
  xicheng('fang-xiaojing', '方晓静', 'xc-service', '主任', 'division-principal', 'public-institution'),
  xicheng('yao-meiling', '姚美玲', 'xc-service', '综合窗口科科长', 'section-principal', 'public-institution'),
] as const satisfies readonly DemoOfficial[];

export type DemoOfficialKey = (typeof DEMO_OFFICIALS)[number]['key'];
