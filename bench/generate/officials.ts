import type { Commission, OrgLevel, OrganizationTree, Unit } from './organizations.js';
import { personName } from './names.js';
import { Random } from './random.js';
import type { Rank } from '../../src/db/demo/officials.js';

/**
 * The officials of the cadre directory: spread over the units by their size, with the rank pyramid of each
 * level (many staff and section-level officials, few leaders), a position that fits rank and unit, and the
 * commission that manages them (R14) — the unit's own for junior officials, the level above for its leaders.
 * Their ID numbers and phones are left empty, like officials registered before migration 0012: sealing them
 * needs the server's keyring, which a dataset must not depend on.
 */
export interface Official {
  id: string;
  name: string;
  unit: Unit;
  position: string;
  rank: string;
  managing: Commission;
}

const RANKS: Record<OrgLevel, Record<string, number>> = {
  province: { staff: 30, 'section-deputy': 12, 'section-principal': 15, 'division-deputy': 18, 'division-principal': 15, 'bureau-deputy': 6, 'bureau-principal': 3, 'ministerial-deputy': 0.6, 'ministerial-principal': 0.4 },
  city: { staff: 40, 'section-deputy': 18, 'section-principal': 20, 'division-deputy': 10, 'division-principal': 8, 'bureau-deputy': 2.5, 'bureau-principal': 1.5 },
  county: { staff: 50, 'section-deputy': 22, 'section-principal': 22, 'division-deputy': 4, 'division-principal': 2 },
};

/** The ranks whose officials the level above manages (县处级 by the city, 厅局级 by the province). */
const SENIOR: Record<OrgLevel, readonly string[]> = {
  province: [],
  city: ['bureau-principal', 'bureau-deputy'],
  county: ['division-principal', 'division-deputy'],
};

const OFFICES = ['办公室', '综合科', '规划科', '财务科', '法规科', '政策研究科', '项目管理科', '审批服务科', '监督检查科', '人事科', '信息中心', '督查科'];
const DIVISIONS = ['办公室', '综合处', '规划处', '财务处', '法规处', '政策研究室', '项目管理处', '行政审批处', '监督检查处', '人事处', '改革处', '督查室'];

function position(random: Random, unit: Unit, rank: Rank): string {
  const office = random.pick(unit.level === 'province' ? DIVISIONS : OFFICES);
  if (unit.township) {
    switch (rank) {
      case 'division-principal':
      case 'division-deputy':
      case 'section-principal':
        return random.pick(['党委书记', '镇长', '主任', '党工委书记']);
      case 'section-deputy':
        return random.pick(['党委副书记', '副镇长', '副主任', '人大主席', '纪委书记']);
      default:
        return random.pick(['综合办公室科员', '经济发展办公室科员', '社会事务办公室科员', '城市管理办公室科员', '便民服务中心科员']);
    }
  }
  switch (rank) {
    case 'ministerial-principal':
      return '主任';
    case 'ministerial-deputy':
    case 'bureau-principal':
      return unit.level === 'province' ? random.pick(['厅长', '主任', '局长', '党组书记']) : random.pick(['局长', '主任', '党组书记']);
    case 'bureau-deputy':
      return unit.level === 'province' ? random.pick(['副厅长', '副主任', '副局长', '党组成员']) : random.pick(['副局长', '副主任', '党组成员']);
    case 'division-principal':
      return unit.level === 'province' ? `${office}${office.endsWith('室') ? '主任' : '处长'}` : random.pick(['局长', '主任', '党组书记']);
    case 'division-deputy':
      return unit.level === 'province' ? `${office}${office.endsWith('室') ? '副主任' : '副处长'}` : random.pick(['副局长', '副主任', '党组成员']);
    case 'section-principal':
      return `${office}${office.endsWith('中心') || office.endsWith('室') ? '主任' : '科长'}`;
    case 'section-deputy':
      return `${office}${office.endsWith('中心') || office.endsWith('室') ? '副主任' : '副科长'}`;
    case 'staff':
      return `${office}${random.pick(['科员', '一级科员', '二级科员', '四级主任科员', '一级主任科员'])}`;
  }
}

/** Officials, in the order their rows are written; each one drawn from its own stream of the seed. */
export function* generateOfficials(seed: string, tree: OrganizationTree, count: number): Generator<Official> {
  const cumulative: number[] = [];
  let total = 0;
  for (const unit of tree.units) cumulative.push((total += unit.weight));
  for (let i = 0; i < count; i++) {
    const random = Random.derive(seed, 'official', i);
    // Binary search for the unit whose share of the total weight holds the draw.
    const draw = random.next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid]! > draw) high = mid;
      else low = mid + 1;
    }
    const unit = tree.units[low]!;
    const rank = random.weighted(RANKS[unit.level]) as Rank;
    yield {
      id: random.uuid(),
      name: personName(random),
      unit,
      position: position(random, unit, rank),
      rank,
      managing: SENIOR[unit.level].includes(rank) ? unit.seniorCommission : unit.commission,
    };
  }
}
