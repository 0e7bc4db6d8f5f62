/**
 * De-identification of typical cases (典型案例, Art. 20 ¶4). Pure: no database, no clock.
 *
 * From what identifies the people and bodies of a case (the official's name, the organizations involved, the
 * case id and document numbers) it builds a list of terms, each with a general replacement (张三 → 张某, 北京市
 * 西城区市场监督管理局 → 某区市场监管局, 东四街道 → 某街道, 2025年3月4日 → 某年某月 …). `draftTypicalText` writes a
 * draft from the case's recorded facts with every term replaced; `findIdentifyingTerms` flags any term still
 * present in a text (a person may have edited one back in), and publishing is refused while it flags anything.
 */

export interface IdentifyingOrganization {
  name: string;
  shortName: string | null;
  type: string;
}

export interface IdentifyingFacts {
  official: { name: string; position: string };
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
  kind: 'name' | 'organization' | 'place' | 'id';
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

/** What an organization becomes in a typical case: its kind of body, never its name or its place. */
export function genericOrganization(org: IdentifyingOrganization): string {
  const short = org.shortName ?? org.name;
  // A district body becomes 某区…; a municipal one just 某… (某市交通委 would still hold the short name 市交通委).
  const district = placesIn(org.name).districts.length > 0 ? '某区' : '某';
  switch (org.type) {
    case 'discipline-commission':
      return `${district}纪委监委`;
    case 'party-committee':
      return district === '某区' ? '某区委' : '某党委';
    case 'organization-department':
      return '某组织部门';
    case 'publicity-department':
      return '某宣传部门';
    case 'state-owned-enterprise':
      return '某国有企业';
    case 'party-branch':
      return '所在党组织';
    case 'government':
      return /街道/.test(org.name) ? '某街道办事处' : `${district}政府部门`;
    case 'university':
      return '某高校';
    case 'government-department':
    case 'public-institution': {
      // Keep the kind of body (…市场监管局, …交通委), drop the place.
      const fn = short.replace(/^北京市/, '').replace(/^市/, '').replace(/^[\u4e00-\u9fa5]{1,4}?区/, '');
      return fn.length >= 2 ? `${district}${fn}` : '某单位';
    }
    default:
      return '某单位';
  }
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
  }

  add(facts.caseId, '', 'id');
  for (const number of facts.documentNumbers ?? []) add(number, '（文号略）', 'id');
  return [...terms.values()].sort((a, b) => b.term.length - a.term.length);
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Replaces every identifying term, then generalizes what identifies by its form (dates, numbers, ids). */
export function deidentify(text: string, terms: readonly IdentifyingTerm[]): string {
  let out = text;
  for (const { term, replacement } of terms) out = out.split(term).join(replacement);
  return out
    .replace(UUID, '')
    .replace(/[\u4e00-\u9fa5]{1,10}〔\d{4}〕\d+号/g, '（文号略）')
    .replace(/\d{4}年\d{1,2}月\d{1,2}日/g, '某年某月')
    .replace(/\d{4}-\d{1,2}-\d{1,2}/g, '某年某月')
    .replace(/\d{4}年\d{1,2}月/g, '某年某月')
    .replace(/\d{4}年/g, '某年')
    .replace(/\d{1,2}月\d{1,2}日/g, '某月')
    .replace(/\d{17}[\dXx]|1[3-9]\d{9}/g, '某号码');
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

/** The draft of a typical case from a closed case's records, every identifying term replaced. */
export function draftTypicalText(source: TypicalSource, terms: readonly IdentifyingTerm[]): { title: string; body: string } {
  const measures = source.measureLabels.length > 0 ? `，采取${source.measureLabels.join('、')}措施` : '';
  const details = source.measureDetails ? `（${source.measureDetails.replace(/[。；]$/, '')}）` : '';
  const parts = [
    `【基本案情】${source.description}`,
    `【处理结果】经调查核实、综合分析和集体研究，作出${source.outcomeLabel}${source.reductionLabel ? `（${source.reductionLabel}）` : ''}的处理决定${measures}${details}。${source.toleranceOpinion}`,
  ];
  if (source.situations.length > 0 || source.toleranceReasons) {
    const quoted = source.situations.map((s) => `《办法》${s.article}：“${s.text}”`).join('；');
    parts.push(`【容错依据】${[quoted, source.toleranceReasons].filter(Boolean).join('。')}`);
  }
  if (source.appeal) parts.push(`【申诉复查】当事人提出申诉，经复查，${source.appeal.outcomeLabel}。${source.appeal.reasons}`);
  parts.push(`【警示启示】${LESSONS[source.outcome] ?? LESSONS.not_tolerated!}`);
  return {
    title: deidentify(`${source.title}（${source.outcomeLabel}）`, terms).slice(0, 200),
    body: deidentify(parts.join('\n\n'), terms),
  };
}
