import { identifiersInText } from '../privacy/identifiers.js';

/**
 * De-identification of typical cases (典型案例, Art. 20 ¶4). Pure: no database, no clock. The result is
 * de-identified (去标识化, GB/T 37964), not anonymous: officials are easy to re-identify, which is why a person
 * reviews every draft and a second person approves it (commands/typical).
 *
 * - Direct identifiers are removed: the official's name (张三 → 张某), the given name, surname + title, other
 *   people's names, the case id, document numbers, ID numbers and mobile numbers (by their form).
 * - Quasi-identifiers are generalized: the post to its level band (rank → 县处级干部; the post's own words and its
 *   section → 相关内设机构), each organization to its sector and region (北京市西城区市场监督管理局 → 某区政府部门,
 *   东四街道 → 某街道), dates to the month (2025年3月4日 → 2025年3月); the draft states the decision's quarter.
 *
 * `draftTypicalText` writes a draft from the case's recorded facts with every term replaced and reports what it
 * replaced (kinds and counts, never the terms); `findIdentifyingTerms` flags any term still present in a text (a
 * person may have edited one back in), and publishing is refused while it flags anything.
 */

export interface IdentifyingOrganization {
  name: string;
  shortName: string | null;
  type: string;
}

export interface IdentifyingFacts {
  /** The rank generalizes the post to its level band (县处级…). */
  official: { name: string; position: string; rank?: string };
  /** The official's unit, the deciding organ, the party organization, with their ancestors: any order. */
  organizations: readonly IdentifyingOrganization[];
  caseId: string;
  /** Document numbers (文号) issued in the case. */
  documentNumbers?: readonly string[];
  /** Anyone else named in the case's records (e.g. other people) — replaced with 某某. */
  otherNames?: readonly string[];
}

export interface IdentifyingTerm {
  term: string;
  replacement: string;
  kind: 'name' | 'organization' | 'place' | 'post' | 'id';
}

const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '司徒', '夏侯', '长孙', '宇文', '端木', '独孤'];
const TITLES = ['同志', '主任', '副主任', '处长', '副处长', '科长', '副科长', '局长', '副局长', '书记', '副书记', '经理', '部长', '科员', '董事长', '总经理', '副总经理', '主席', '区长', '市长', '所长', '站长'];

export function splitName(name: string): { surname: string; given: string } {
  const compound = COMPOUND_SURNAMES.find((s) => name.startsWith(s) && name.length > s.length);
  const surname = compound ?? name.slice(0, 1);
  return { surname, given: name.slice(surname.length) };
}

/** 北京市西城区… → { district: 西城区, street: 德胜街道 … } and the rest of the name. */
function placesIn(name: string): { districts: string[]; streets: string[]; rest: string } {
  let rest = name.replace(/^中共/, '').replace(/^北京市/, '');
  const districts: string[] = [];
  const streets: string[] = [];
  const district = /^([\u4e00-\u9fa5]{1,4}?区)/.exec(rest);
  if (district) {
    districts.push(district[1]!);
    rest = rest.slice(district[1]!.length);
  }
  rest = rest.replace(/^人民政府/, '');
  const street = /([\u4e00-\u9fa5]{2,4}?)街道/.exec(rest);
  if (street) streets.push(`${street[1]!}街道`);
  return { districts, streets, rest };
}

/** The level band (职务层次) of a rank: what a post becomes in a typical case. */
export const LEVEL_BANDS: Record<string, string> = {
  'ministerial-principal': '省部级',
  'ministerial-deputy': '省部级',
  'bureau-principal': '厅局级',
  'bureau-deputy': '厅局级',
  'division-principal': '县处级',
  'division-deputy': '县处级',
  'section-principal': '乡科级',
  'section-deputy': '乡科级',
  staff: '一般',
};

/** 县处级干部, 一般干部; 某级干部 for a rank we do not know. */
export const levelBandOf = (rank: string | undefined): string => `${(rank && LEVEL_BANDS[rank]) ?? '某级'}干部`;

/** The sector (行业、系统) of a kind of organization, without its function, name or place. */
const SECTORS: Record<string, string> = {
  'party-committee': '党委',
  'party-group': '党组',
  'discipline-commission': '纪检监察机关',
  'organization-department': '党委组织部门',
  'publicity-department': '党委宣传部门',
  government: '政府',
  'government-department': '政府部门',
  'people-congress': '人大机关',
  cppcc: '政协机关',
  court: '法院',
  procuratorate: '检察院',
  'democratic-party': '民主党派机关',
  'federation-of-industry-and-commerce': '工商联机关',
  'people-organization': '人民团体',
  'state-owned-enterprise': '国有企业',
  'public-institution': '事业单位',
  university: '高校',
};

/**
 * What an organization becomes in a typical case: its sector and region, never its name or function (某区政府部门,
 * 某市国有企业, 某区街道办事处). A district body is 某区…, a municipal one 某市…; a party branch is 所在党组织.
 */
export function genericOrganization(org: IdentifyingOrganization): string {
  if (org.type === 'party-branch') return '所在党组织';
  const region = placesIn(org.name).districts.length > 0 ? '某区' : '某市';
  if (org.type === 'government' && /街道/.test(org.name)) return `${region}街道办事处`;
  return `${region}${SECTORS[org.type] ?? '单位'}`;
}

// Titles that end a post (longest first), leaving its section: 医政医管科科长 → 医政医管科.
const POST_TITLES = [...new Set(['党组书记', '副总经理', '总经理', '董事长', '主任', '副主任', '处长', '副处长', '科长', '副科长', '局长', '副局长', '科员', '书记', '副书记', '经理', '部长', '副部长', '主席', '所长', '站长'])].sort(
  (a, b) => b.length - a.length,
);

/** The section named in a post (医政医管科, 智能交通管理处, 城市管理办公室), if any. */
function sectionOf(position: string): string | undefined {
  const title = POST_TITLES.find((t) => position.endsWith(t));
  const rest = title ? position.slice(0, -title.length) : position;
  return rest.length >= 3 && !/[、，]/.test(rest) && /(科|处|室|办公室|中心|站|所|股|部|队)$/.test(rest) ? rest : undefined;
}

/** The distinctive part of an enterprise's short name (青禾集团 → 青禾). */
function brandOf(org: IdentifyingOrganization): string | undefined {
  if (org.type !== 'state-owned-enterprise' && org.type !== 'other') return undefined;
  const brand = (org.shortName ?? '').replace(/(集团|有限责任公司|有限公司|公司)$/, '');
  return brand.length >= 2 && brand !== org.shortName ? brand : undefined;
}

/** Every term that identifies someone in the case, longest first (so the replacement never cuts a longer one). */
export function identifyingTerms(facts: IdentifyingFacts): IdentifyingTerm[] {
  const terms = new Map<string, IdentifyingTerm>();
  const add = (term: string | null | undefined, replacement: string, kind: IdentifyingTerm['kind']) => {
    const t = term?.trim();
    if (!t || t.length < 2 || terms.has(t)) return;
    terms.set(t, { term: t, replacement, kind });
  };

  const { surname, given } = splitName(facts.official.name);
  const pseudonym = `${surname}某`;
  add(facts.official.name, pseudonym, 'name');
  add(given, '某', 'name');
  for (const title of TITLES) add(`${surname}${title}`, pseudonym, 'name');
  // The post: its own words become the level band; the section it names becomes 相关内设机构. A bare title
  // (主任, 副局长) identifies nobody and stays, as ordinary words of the text.
  const position = facts.official.position.trim();
  if (position.length >= 4 && !TITLES.includes(position)) add(position, levelBandOf(facts.official.rank), 'post');
  add(sectionOf(position), '相关内设机构', 'post');
  for (const other of facts.otherNames ?? []) {
    const parts = splitName(other);
    add(other, `${parts.surname}某某`, 'name');
    add(parts.given, '某', 'name');
  }

  for (const org of facts.organizations) {
    const generic = genericOrganization(org);
    add(org.name, generic, 'organization');
    add(org.shortName, generic, 'organization');
    const places = placesIn(org.name);
    for (const district of places.districts) {
      add(district, '某区', 'place');
      add(district.replace(/区$/, ''), '某区', 'place');
    }
    for (const street of places.streets) {
      add(street, '某街道', 'place');
      add(street.replace(/街道$/, ''), '某', 'place');
    }
    add(brandOf(org), '某', 'organization');
    // A department's function (区市场监管局, 发展改革委) names it as well as its full name does: it becomes its sector.
    if (org.type === 'government-department' || org.type === 'public-institution') {
      const fn = (org.shortName ?? org.name).replace(/^北京市/, '').replace(/^市/, '').replace(/^[\u4e00-\u9fa5]{1,4}?区/, '');
      if (fn.length >= 3) add(fn, SECTORS[org.type]!, 'organization');
    }
  }

  add(facts.caseId, '', 'id');
  for (const number of facts.documentNumbers ?? []) add(number, '（文号略）', 'id');
  return [...terms.values()].sort((a, b) => b.term.length - a.term.length);
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** What de-identification replaced: counts only, never the terms (they are the personal data). */
export interface DeidentifyReport {
  /** Occurrences replaced, by kind of term. */
  terms: Record<IdentifyingTerm['kind'], number>;
  /** Occurrences generalized by their form. */
  forms: { ids: number; documentNumbers: number; dates: number; identifiers: number };
}

export const emptyReport = (): DeidentifyReport => ({ terms: { name: 0, organization: 0, place: 0, post: 0, id: 0 }, forms: { ids: 0, documentNumbers: 0, dates: 0, identifiers: 0 } });

const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

/**
 * Replaces every identifying term, then generalizes what identifies by its form: ids and document numbers go,
 * ID numbers and mobile numbers go (whoever's they are), a day becomes its month (2025年3月4日 → 2025年3月,
 * 2025-03-04 → 2025年3月, 3月4日 → 3月).
 */
export function deidentify(text: string, terms: readonly IdentifyingTerm[], report: DeidentifyReport = emptyReport()): string {
  let out = text;
  for (const { term, replacement, kind } of terms) {
    const parts = out.split(term);
    report.terms[kind] += parts.length - 1;
    out = parts.join(replacement);
  }
  for (const found of identifiersInText(out)) {
    report.forms.identifiers += 1;
    out = out.split(found.text).join('某号码');
  }
  report.forms.ids += count(out, UUID);
  out = out.replace(UUID, '');
  const DOCUMENT_NUMBER = /[\u4e00-\u9fa5]{1,10}〔\d{4}〕\d+号/g;
  report.forms.documentNumbers += count(out, DOCUMENT_NUMBER);
  out = out.replace(DOCUMENT_NUMBER, '（文号略）');
  const DAYS = [/(\d{4})年(\d{1,2})月\d{1,2}日/g, /(\d{4})-(\d{1,2})-\d{1,2}(?!\d)/g, /(?<![年\d])(\d{1,2})月\d{1,2}日/g];
  for (const pattern of DAYS) report.forms.dates += count(out, pattern);
  return out
    .replace(DAYS[0]!, '$1年$2月')
    .replace(DAYS[1]!, (_, year: string, month: string) => `${year}年${Number(month)}月`)
    .replace(DAYS[2]!, '$1月');
}

/** 2025年第二季度, in Beijing time: when the decision was made, as the typical case states it. */
export function quarterOf(at: Date): string {
  const beijing = new Date(at.getTime() + 8 * 3600_000);
  return `${beijing.getUTCFullYear()}年第${'一二三四'[Math.floor(beijing.getUTCMonth() / 3)]}季度`;
}

/**
 * The terms of the list still present in the text: the full name, the given name, the surname with a title,
 * the organizations' names, short names and distinctive parts, the places, the case id and document numbers.
 */
export function findIdentifyingTerms(text: string, terms: readonly (IdentifyingTerm | string)[]): string[] {
  const found = new Set<string>();
  for (const entry of terms) {
    const term = typeof entry === 'string' ? entry : entry.term;
    if (term && text.includes(term)) found.add(term);
  }
  // Reported masked: the list is stored with the typical case and shown in messages.
  for (const identifier of identifiersInText(text)) found.add(`${identifier.kind === 'idNumber' ? '公民身份号码' : '手机号码'} ${identifier.masked}`);
  return [...found];
}

// Common single-character surnames: with a title after them (王局长, 李主任) they name someone.
// (程, 方, 付, 高 are left out: 工程处长, 对方经理, 提高… would read as names.)
const COMMON_SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶苏魏吕丁沈姚卢姜崔钟谭陆汪范金石廖贾夏韦白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤';
const NAMING_TITLES = TITLES.filter((t) => t !== '科员' && t !== '同志');
const SURNAME_TITLE = new RegExp(`[${COMMON_SURNAMES}](?:${NAMING_TITLES.join('|')})(?![\u4e00-\u9fa5]*某)`, 'g');
const NAME_COMRADE = new RegExp(`(?<![\u4e00-\u9fa5])[${COMMON_SURNAMES}][\u4e00-\u9fa5]{1,2}同志`, 'g');

/**
 * Words of the text that look like someone named though the case's records do not know them: a common surname
 * with a title (王局长), or a name addressed as 同志 after punctuation (，王建军同志). A 某 anywhere in it means it
 * was de-identified (张某同志).
 */
export function probableNames(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(SURNAME_TITLE)) found.add(m[0]);
  for (const m of text.matchAll(NAME_COMRADE)) if (!m[0].includes('某')) found.add(m[0]);
  return [...found];
}

export interface TypicalSource {
  title: string;
  description: string;
  outcome: string;
  outcomeLabel: string;
  reductionLabel?: string | undefined;
  measureLabels: readonly string[];
  measureDetails: string;
  toleranceOpinion: string;
  toleranceReasons: string;
  /** The Art. 8 situations found, with their article and original words. */
  situations: readonly { article: string; text: string }[];
  appeal?: { outcomeLabel: string; reasons: string } | undefined;
  /** The official, generalized: the unit's sector and region, the post's level band (某区政府部门, 县处级干部). */
  subject?: { unit: string; band: string } | undefined;
  /** When the decision in force was made, to the quarter (2025年第二季度). */
  decidedIn?: string | undefined;
}

const LESSONS: Record<string, string> = {
  exempt:
    '本案表明，干部在改革创新、先行先试中因难以预见的因素出现失误，只要出于公心、依规决策、及时纠正，就应当依照《办法》予以容错免责，为担当者担当、为干事者撑腰，让干部放下包袱、大胆工作。',
  reduced:
    '本案表明，容错不是“免责保险箱”。干部出于公心担当作为，但决策程序存在明显问题的，可以容错减责；各级干部在大胆作为的同时，应当严格执行集体决策、招标采购等程序规定。',
  not_tolerated:
    '本案表明，容错纠错有明确的边界。对有令不行、有禁不止，或者为自己、他人谋取不正当利益等情形，坚决不予容错，防止以容错为名包庇纵容，确保容错纠错工作在正确轨道上运行。',
  revoked: '本案表明，问责追责必须事实清楚、依据充分；经复查认定不应问责的，依规撤销，切实保护干部干事创业的积极性。',
};

/** The draft of a typical case from a closed case's records, every identifying term replaced, and what was replaced. */
export function draftTypicalText(source: TypicalSource, terms: readonly IdentifyingTerm[]): { title: string; body: string; report: DeidentifyReport } {
  const measures = source.measureLabels.length > 0 ? `，采取${source.measureLabels.join('、')}措施` : '';
  const details = source.measureDetails ? `（${source.measureDetails.replace(/[。；]$/, '')}）` : '';
  const basics = [source.subject ? `当事人为${source.subject.unit}${source.subject.band}` : '', source.decidedIn ? `处理决定作出于${source.decidedIn}` : ''].filter(Boolean);
  const parts = [
    ...(basics.length > 0 ? [`【基本情况】${basics.join('；')}。`] : []),
    `【基本案情】${source.description}`,
    `【处理结果】经调查核实、综合分析和集体研究，作出${source.outcomeLabel}${source.reductionLabel ? `（${source.reductionLabel}）` : ''}的处理决定${measures}${details}。${source.toleranceOpinion}`,
  ];
  if (source.situations.length > 0 || source.toleranceReasons) {
    const quoted = source.situations.map((s) => `《办法》${s.article}：“${s.text}”`).join('；');
    parts.push(`【容错依据】${[quoted, source.toleranceReasons].filter(Boolean).join('。')}`);
  }
  if (source.appeal) parts.push(`【申诉复查】当事人提出申诉，经复查，${source.appeal.outcomeLabel}。${source.appeal.reasons}`);
  parts.push(`【警示启示】${LESSONS[source.outcome] ?? LESSONS.not_tolerated!}`);
  const report = emptyReport();
  return {
    title: deidentify(`${source.title}（${source.outcomeLabel}）`, terms, report).slice(0, 200),
    body: deidentify(parts.join('\n\n'), terms, report),
    report,
  };
}
