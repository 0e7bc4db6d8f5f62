import type { Random } from './random.js';

/**
 * The organization tree of a fictional province (江海省), sized to the number of officials asked for: provincial
 * bodies, cities, and counties under each city, each with its party committee, government departments, courts,
 * procuratorates, enterprises and townships. About ninety officials per unit, as in a real cadre directory.
 *
 * The shape follows the demo (src/db/demo/organizations.ts) for the same reason: jurisdiction walks parent links,
 * so the discipline commissions form their own line — county commissions under the city commission, city
 * commissions under the provincial one — which lets a superior commission see, approve and review the cases of
 * the commissions below it. Other units hang under their party committee, where only display cares.
 *
 * A case's organ is the commission that manages the official (干部管理权限, Art. 6; R14): a county's own
 * commission for its section-level officials and staff, the city's for the county leaders (县处级), the
 * province's for provincial units and city leaders (厅局级).
 */
export type OrgLevel = 'province' | 'city' | 'county';

export interface Organization {
  id: string;
  parentId: string | null;
  name: string;
  shortName: string;
  type: string;
}

/** A discipline commission: the accountability organ that opens and decides cases (R14). */
export interface Commission {
  org: Organization;
  level: OrgLevel;
  /** The commission above it on the commission line (its approver sits there); null for the province's. */
  parent: Commission | null;
  /** Index among all commissions: names its staff accounts. */
  index: number;
}

/** An organization whose officials are registered. */
export interface Unit {
  org: Organization;
  level: OrgLevel;
  /** Art. 7 category of its officials (the CHECK list of officials.category). */
  category: string;
  /** Relative size: how many officials it has compared with the others. */
  weight: number;
  /** Manages its junior officials. */
  commission: Commission;
  /** Manages its leaders (the next level's commission; the same one at the province). */
  seniorCommission: Commission;
  /** Whether it is a township or street office (positions differ). */
  township: boolean;
}

export interface OrganizationTree {
  /** Parents before children. */
  all: Organization[];
  root: Organization;
  commissions: Commission[];
  units: Unit[];
  organizationDepartments: Organization[];
  publicityDepartment: Organization;
}

const PROVINCE = '江海省';

interface UnitSpec {
  name: string;
  short?: string;
  type: string;
  category: string;
  weight: number;
}

const gov = (name: string, short = name, weight = 1): UnitSpec => ({ name, short, type: 'government-department', category: 'government', weight });

const PROVINCIAL_UNITS: readonly UnitSpec[] = [
  { name: '中共江海省委办公厅', short: '省委办公厅', type: 'other', category: 'party-organ', weight: 0.8 },
  { name: '中共江海省委政法委员会', short: '省委政法委', type: 'other', category: 'party-organ', weight: 0.5 },
  { name: '江海省人大常委会办公厅', short: '省人大常委会办公厅', type: 'people-congress', category: 'people-congress', weight: 0.6 },
  { name: '政协江海省委员会办公厅', short: '省政协办公厅', type: 'cppcc', category: 'cppcc', weight: 0.5 },
  { name: '江海省高级人民法院', short: '省高级法院', type: 'court', category: 'court', weight: 1.2 },
  { name: '江海省人民检察院', short: '省检察院', type: 'procuratorate', category: 'procuratorate', weight: 1 },
  { name: '江海省人民政府办公厅', short: '省政府办公厅', type: 'government', category: 'government', weight: 0.8 },
  gov('江海省发展和改革委员会', '省发展改革委', 1.2),
  gov('江海省教育厅', '省教育厅'),
  gov('江海省科学技术厅', '省科技厅'),
  gov('江海省工业和信息化厅', '省工业和信息化厅'),
  gov('江海省公安厅', '省公安厅', 2),
  gov('江海省民政厅', '省民政厅'),
  gov('江海省司法厅', '省司法厅'),
  gov('江海省财政厅', '省财政厅', 1.2),
  gov('江海省人力资源和社会保障厅', '省人力资源社会保障厅'),
  gov('江海省自然资源厅', '省自然资源厅', 1.2),
  gov('江海省生态环境厅', '省生态环境厅'),
  gov('江海省住房和城乡建设厅', '省住房城乡建设厅'),
  gov('江海省交通运输厅', '省交通运输厅', 1.3),
  gov('江海省水利厅', '省水利厅'),
  gov('江海省农业农村厅', '省农业农村厅'),
  gov('江海省商务厅', '省商务厅'),
  gov('江海省文化和旅游厅', '省文化和旅游厅'),
  gov('江海省卫生健康委员会', '省卫生健康委', 1.2),
  gov('江海省应急管理厅', '省应急管理厅'),
  gov('江海省审计厅', '省审计厅'),
  gov('江海省市场监督管理局', '省市场监管局', 1.2),
  gov('江海省统计局', '省统计局', 0.6),
  gov('江海省医疗保障局', '省医保局', 0.6),
  gov('江海省林业局', '省林业局', 0.6),
  { name: '江海省总工会', short: '省总工会', type: 'people-organization', category: 'other-by-reference', weight: 0.5 },
  { name: '共青团江海省委员会', short: '团省委', type: 'people-organization', category: 'other-by-reference', weight: 0.4 },
  { name: '江海省工商业联合会', short: '省工商联', type: 'federation-of-industry-and-commerce', category: 'federation-of-industry-and-commerce', weight: 0.4 },
  { name: '江海交通投资集团有限公司', short: '江海交投集团', type: 'state-owned-enterprise', category: 'state-owned-enterprise', weight: 2 },
  { name: '江海能源集团有限公司', short: '江海能源集团', type: 'state-owned-enterprise', category: 'state-owned-enterprise', weight: 2 },
  { name: '江海城乡建设集团有限公司', short: '江海城建集团', type: 'state-owned-enterprise', category: 'state-owned-enterprise', weight: 1.5 },
  { name: '江海大学', type: 'university', category: 'public-institution', weight: 1.5 },
  { name: '江海师范大学', type: 'university', category: 'public-institution', weight: 1 },
  { name: '江海省人民医院', type: 'public-institution', category: 'public-institution', weight: 1.5 },
  { name: '江海省疾病预防控制中心', short: '省疾控中心', type: 'public-institution', category: 'public-institution', weight: 0.6 },
];

/** `{c}` is the city's name without 市. */
const CITY_UNITS: readonly UnitSpec[] = [
  { name: '中共{c}市委办公室', short: '{c}市委办', type: 'other', category: 'party-organ', weight: 0.6 },
  { name: '{c}市人大常委会办公室', type: 'people-congress', category: 'people-congress', weight: 0.4 },
  { name: '政协{c}市委员会办公室', short: '{c}市政协办公室', type: 'cppcc', category: 'cppcc', weight: 0.4 },
  { name: '{c}市中级人民法院', short: '{c}中院', type: 'court', category: 'court', weight: 1 },
  { name: '{c}市人民检察院', short: '{c}市检察院', type: 'procuratorate', category: 'procuratorate', weight: 0.8 },
  { name: '{c}市人民政府办公室', short: '{c}市政府办', type: 'government', category: 'government', weight: 0.6 },
  gov('{c}市发展和改革委员会', '{c}市发展改革委'),
  gov('{c}市教育局'),
  gov('{c}市公安局', '{c}市公安局', 2),
  gov('{c}市财政局'),
  gov('{c}市人力资源和社会保障局', '{c}市人社局'),
  gov('{c}市自然资源和规划局', '{c}市规划自然资源局'),
  gov('{c}市生态环境局'),
  gov('{c}市住房和城乡建设局', '{c}市住建局'),
  gov('{c}市交通运输局'),
  gov('{c}市水务局'),
  gov('{c}市农业农村局'),
  gov('{c}市卫生健康委员会', '{c}市卫健委'),
  gov('{c}市应急管理局'),
  gov('{c}市审计局', '{c}市审计局', 0.6),
  gov('{c}市市场监督管理局', '{c}市市场监管局'),
  gov('{c}市城市管理局', '{c}市城管局'),
  gov('{c}市医疗保障局', '{c}市医保局', 0.5),
  { name: '{c}市城市投资发展集团有限公司', short: '{c}城投集团', type: 'state-owned-enterprise', category: 'state-owned-enterprise', weight: 1.2 },
  { name: '{c}市人民医院', type: 'public-institution', category: 'public-institution', weight: 1 },
];

/** `{k}` is the county's full name (e.g. 安平县). */
const COUNTY_UNITS: readonly UnitSpec[] = [
  { name: '中共{k}委办公室', short: '{k}委办', type: 'other', category: 'party-organ', weight: 0.5 },
  { name: '{k}人民政府办公室', short: '{k}政府办', type: 'government', category: 'government', weight: 0.5 },
  gov('{k}发展和改革局', '{k}发改局'),
  gov('{k}教育局'),
  gov('{k}公安局', '{k}公安局', 1.6),
  gov('{k}财政局'),
  gov('{k}人力资源和社会保障局', '{k}人社局'),
  gov('{k}自然资源局'),
  gov('{k}住房和城乡建设局', '{k}住建局'),
  gov('{k}交通运输局'),
  gov('{k}水利局'),
  gov('{k}农业农村局'),
  gov('{k}卫生健康局', '{k}卫健局'),
  gov('{k}市场监督管理局', '{k}市场监管局'),
  gov('{k}应急管理局'),
  gov('{k}城市管理局', '{k}城管局'),
  { name: '{k}人民法院', short: '{k}法院', type: 'court', category: 'court', weight: 0.6 },
  { name: '{k}人民检察院', short: '{k}检察院', type: 'procuratorate', category: 'procuratorate', weight: 0.5 },
];

const CITY_NAMES = [
  '云州', '海陵', '青阳', '东林', '石桥', '凤城', '南浦', '白河', '金川', '临江', '安澜', '明溪', '松岭', '宁远', '清泉', '丰泽',
  '玉屏', '雁门', '汀州', '龙泉', '永宁', '长河', '西岭', '北塘', '桐华', '梅山', '柳川', '望海', '澄江', '潭州', '新安', '兴宁',
  '和平', '乐清', '鹤鸣', '紫阳', '嘉禾', '南屏', '瑞安', '金沙',
];
const PLACE_CHARS = [...'安平宁丰和兴清河山阳泽源城林川江湖桥石云溪岭塘华梅柳海泉乐嘉瑞金玉长新永东西南北'];

function scaled(officials: number, per: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, Math.round(officials / per)));
}

export function buildOrganizations(random: Random, officials: number): OrganizationTree {
  const all: Organization[] = [];
  const add = (parent: Organization | null, name: string, shortName: string, type: string): Organization => {
    const org = { id: random.uuid(), parentId: parent?.id ?? null, name, shortName, type };
    all.push(org);
    return org;
  };
  const commissions: Commission[] = [];
  const addCommission = (parent: Commission | null, parentOrg: Organization, name: string, short: string, level: OrgLevel): Commission => {
    const commission = { org: add(parentOrg, name, short, 'discipline-commission'), level, parent, index: commissions.length };
    commissions.push(commission);
    return commission;
  };
  const units: Unit[] = [];
  const addUnits = (specs: readonly UnitSpec[], parent: Organization, level: OrgLevel, fill: (text: string) => string, commission: Commission, seniorCommission: Commission) => {
    for (const spec of specs) {
      const org = add(parent, fill(spec.name), fill(spec.short ?? spec.name), spec.type);
      units.push({ org, level, category: spec.category, weight: spec.weight, commission, seniorCommission, township: false });
    }
  };

  const root = add(null, `中共${PROVINCE}委员会`, `${PROVINCE.slice(0, 2)}省委`, 'party-committee');
  const provincial = addCommission(null, root, `中共${PROVINCE}纪律检查委员会 ${PROVINCE}监察委员会`, '省纪委监委', 'province');
  const organizationDepartments = [add(root, `中共${PROVINCE}委组织部`, '省委组织部', 'organization-department')];
  const publicityDepartment = add(root, `中共${PROVINCE}委宣传部`, '省委宣传部', 'publicity-department');

  // Small datasets keep a small province: a few bodies of each level, so that every level still exists.
  const cityCount = scaled(officials, 25_000, 1, CITY_NAMES.length);
  const countiesPerCity = scaled(officials, cityCount * 2_500, 1, 12);
  const unitsPerCounty = scaled(officials, cityCount * countiesPerCity * 100, 3, COUNTY_UNITS.length + 12);
  const provincialUnits = scaled(officials, 6_000, 3, PROVINCIAL_UNITS.length);
  const cityUnits = scaled(officials, cityCount * 4_000, 3, CITY_UNITS.length);

  addUnits(PROVINCIAL_UNITS.slice(0, provincialUnits), root, 'province', (t) => t, provincial, provincial);

  // Place names of two characters while they last (about 1 500 of them), then of three.
  const places = new Set<string>();
  const placeName = () => {
    for (let attempt = 0; ; attempt++) {
      const name = random.pick(PLACE_CHARS) + random.pick(PLACE_CHARS) + (attempt < 50 ? '' : random.pick(PLACE_CHARS));
      if (new Set(name).size === name.length && !places.has(name)) {
        places.add(name);
        return name;
      }
    }
  };
  for (const city of CITY_NAMES.slice(0, cityCount)) {
    const committee = add(root, `中共${city}市委员会`, `${city}市委`, 'party-committee');
    const cityCommission = addCommission(provincial, provincial.org, `中共${city}市纪律检查委员会 ${city}市监察委员会`, `${city}市纪委监委`, 'city');
    organizationDepartments.push(add(committee, `中共${city}市委组织部`, `${city}市委组织部`, 'organization-department'));
    addUnits(CITY_UNITS.slice(0, cityUnits), committee, 'city', (t) => t.replaceAll('{c}', city), cityCommission, provincial);
    for (let k = 0; k < countiesPerCity; k++) {
      const county = `${placeName()}${k % 3 === 0 ? '区' : '县'}`;
      const countyCommittee = add(committee, `中共${city}市${county}委员会`, `${county}委`, 'party-committee');
      const countyCommission = addCommission(cityCommission, cityCommission.org, `中共${city}市${county}纪律检查委员会 ${city}市${county}监察委员会`, `${county}纪委监委`, 'county');
      const departments = Math.min(unitsPerCounty, COUNTY_UNITS.length);
      addUnits(COUNTY_UNITS.slice(0, departments), countyCommittee, 'county', (t) => t.replaceAll('{k}', county), countyCommission, cityCommission);
      for (let t = departments; t < unitsPerCounty; t++) {
        const town = placeName();
        const [suffix, type] = county.endsWith('区') ? ['街道办事处', 'government'] : random.chance(0.7) ? ['镇人民政府', 'government'] : ['乡人民政府', 'government'];
        const org = add(countyCommittee, `${city}市${county}${town}${suffix}`, `${town}${suffix.startsWith('街道') ? '街道' : suffix.slice(0, 1)}`, type);
        units.push({ org, level: 'county', category: 'government', weight: 0.7, commission: countyCommission, seniorCommission: cityCommission, township: true });
      }
    }
  }
  return { all, root, commissions, units, organizationDepartments, publicityDepartment };
}
