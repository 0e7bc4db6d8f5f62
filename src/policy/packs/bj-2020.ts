// The Beijing measures of 2020 (《关于激励干部担当作为实施容错纠错工作办法（试行）》) as a policy pack: data
// only. Article text is verbatim from shared/policy/bj-2020-measures.zh.txt (a test checks it); the ids are
// the public contract of shared/spec/policy-engine.md.
import type { Article, ArticleRef, PolicyPack } from '../types.js';

function article(
  number: string,
  lead: string,
  items: ReadonlyArray<readonly [string, string]>,
  rest: readonly string[],
): Article {
  const itemList = items.map(([n, text]) => ({ number: n, text }));
  const text = [lead, ...itemList.map((i) => i.number + i.text), ...rest].join('\n');
  return { number, lead, items: itemList, rest, text };
}

const articles: readonly Article[] = [
  article(
    '第一条',
    '为深入贯彻习近平新时代中国特色社会主义思想和党的十九大精神，调动和保护广大干部改革创新、干事创业的积极性，建立健全容错纠错机制，根据《中国共产党问责条例》《中共中央办公厅印发〈关于进一步激励广大干部新时代新担当新作为的意见〉的通知》《中华人民共和国监察法》等规定，结合本市实际，制定本办法。',
    [],
    [],
  ),
  article(
    '第二条',
    '容错纠错工作以习近平新时代中国特色社会主义思想为指导，围绕统筹推进“五位一体”总体布局和协调推进“四个全面”战略布局，正确对待干部在工作中特别是改革创新中的失误错误，旗帜鲜明为敢于担当、踏实做事、不谋私利的干部撑腰鼓劲，积极营造鼓励创新创造创业、干事担当作为的良好氛围。',
    [],
    [],
  ),
  article(
    '第三条',
    '本办法所称容错纠错，是指对干部在工作中的失误错误，符合本办法规定条件的，依规依纪依法免予追究责任或者从轻、减轻追究责任，同时采取措施，监督、推动问题整改及时到位。',
    [],
    [],
  ),
  article(
    '第四条',
    '容错纠错工作应当坚持严管与厚爱相结合、激励与约束并重，把干部在推进改革中因缺乏经验、先行先试出现的失误错误，同明知故犯的违纪违法行为区分开来；把尚无明确限制的探索性试验中的失误错误，同明令禁止后依然我行我素的违纪违法行为区分开来；把为推动发展的无意过失，同为谋取私利的违纪违法行为区分开来。',
    [],
    [],
  ),
  article(
    '第五条',
    '开展容错纠错工作应当遵循以下原则：',
    [
      ['（一）', '坚持事业为上。把党的事业、人民利益放在第一位，旗帜鲜明为改革者鼓劲、为实干者撑腰、为担当者担当、为负责者负责。'],
      ['（二）', '坚持实事求是。以事实为依据，精准运用监督执纪“四种形态”，客观公正作出处理，推动实现良好的政治效果、纪法效果和社会效果。'],
      ['（三）', '坚持依纪依法。以党章党规党纪和国家法律法规为准绳，准确认定行为性质，准确把握政策界限，确保容错纠错在纪律红线、法律底线内进行。'],
      ['（四）', '坚持容纠并举。一体推进防错容错纠错，坚持抓早抓小、防微杜渐，坚持有过必改、有错必纠，帮助干部总结教训，及时采取补救措施，有效挽回损失、消除影响。'],
    ],
    [],
  ),
  article(
    '第六条',
    '容错纠错工作由党委（党组）及纪检监察机关、组织人事部门等相关职能部门按照管理权限实施。',
    [],
    [],
  ),
  article(
    '第七条',
    '本办法适用于对本市各级党的机关、人大及其常委会机关、人民政府、监察委员会、人民法院、人民检察院、政协机关、民主党派机关、工商联机关和国有企事业单位中依法履行公职人员的容错纠错工作。',
    [],
    ['其他依法履行公职人员的容错纠错工作，参照本办法执行。'],
  ),
  article(
    '第八条',
    '对干部在工作中出现的失误错误，符合下列情形之一的，党委（党组）、纪检监察机关、组织人事部门等（以下统称责任追究机关）可以依照有关规定予以容错处理：',
    [
      ['（一）', '在落实党中央关于经济社会发展的重大决策、落实市委重要工作部署、推进首都“四个中心”功能建设及其他重点工作、重大项目中,开拓进取、主动履职，出现一定偏差或者失误的；'],
      ['（二）', '在推进本市重要改革和体制机制创新中，因政策界限不明确、先行先试、缺乏经验，出现失误或者未达到预期效果的；'],
      ['（三）', '在处置突发事件、执行急难险重任务中，积极作为、主动揽责涉险，出现一定失误错误或者引发矛盾的；'],
      ['（四）', '在化解矛盾、维护稳定和解决历史遗留问题中，攻坚克难、勇于破除障碍，因情况特殊复杂，造成一定损失或者影响的；'],
      ['（五）', '在服务群众、服务企业、服务基层工作中，为提高效能、方便群众，出现一定程序瑕疵的；'],
      ['（六）', '其他失误错误，但工作效果总体上有利于推动经济社会发展，有利于维护国家、集体和人民利益的。'],
    ],
    [],
  ),
  article(
    '第九条',
    '对干部的失误错误应当按照下列标准进行综合分析判断，对该容的大胆容错，不该容的坚决不容：',
    [
      ['（一）', '考察动机态度。是出于公心、顾全大局还是为谋私利或者局部利益；是无心之过还是明知故犯；是初次犯错还是重复犯错；是主动认错悔错改错还是漠视错误、抵触改正。'],
      ['（二）', '考察客观条件。是情况特殊复杂、探索性的改革攻坚还是执行常规工作任务；是客观情况发生难以预见的变化还是无视客观规律、好大喜功、急功近利。'],
      ['（三）', '考察程序方法。是按照规定的权限、程序和方式依法履职还是无视纪律和规矩、滥用职权、失职渎职，重点考察是否经过民主决策程序，是否属于情况紧急临机决断。'],
      ['（四）', '考察性质程度。是尚无明确限制还是有令不行、有禁不止；是属于轻微或者一般性错误还是严重错误、重大原则性错误。'],
      ['（五）', '考察后果影响。是促进党委、政府决策部署落实还是阻碍破坏决策实施；是未造成损失影响、损失影响较小还是已经造成重大事故、严重损失或者恶劣影响；是被广大干部群众肯定认可还是否定批评。'],
      ['（六）', '考察挽回损失情况。是及时挽回损失、消除不良影响、有效阻止危害结果发生还是放任危害结果发生或者扩大；是已经有效挽回损失还是造成重大损失无法挽回。'],
    ],
    [],
  ),
  article(
    '第十条',
    '有下列情形之一的，不予容错：',
    [
      ['（一）', '违反政治纪律和政治规矩的；'],
      ['（二）', '为自己或者他人谋取不正当利益的；'],
      ['（三）', '造成重大责任事故、严重环境污染以及生态环境破坏，或者引发严重群体性事件的；'],
      ['（四）', '事后不积极整改纠错的。'],
    ],
    [],
  ),
  article(
    '第十一条',
    '实行“谁问责追责、谁容错”。责任追究机关在开展问责追责工作中，应当主动考察责任追究对象是否具备容错情形，对符合条件的，应当同步启动容错认定程序。',
    [],
    ['责任追究机关作出处理决定前，责任追究对象所在党组织认为拟被问责追责行为符合容错条件的，应当向责任追究机关提出书面容错申请；责任追究对象认为自己符合容错条件的，也有权利向责任追究机关提出书面容错申请。'],
  ),
  article(
    '第十二条',
    '责任追究机关在问责追责调查期间，应当对发现或者受理的符合容错的情形同步开展调查核实，广泛收集证据材料，充分听取责任追究对象和相关单位的意见，注重了解有关社会方面、利害相关方意见，全面查明责任追究对象的失误错误问题以及是否符合容错条件等情况。',
    [],
    ['涉及专业性或者技术性问题的，应当听取有关部门或者专家的意见。'],
  ),
  article(
    '第十三条',
    '责任追究机关在调查工作结束后，应当集体研究，综合考虑主客观因素，依规依纪依法对责任追究对象的失误错误问题提出问责追责意见，并对其是否符合容错条件提出容错意见，采取下列方式进行同步综合处理：',
    [
      ['（一）', '符合容错免责条件的，不予或者免予问责追责，可以视情况予以批评教育、责令检查；'],
      ['（二）', '确需问责追责但符合容错减责条件的，予以从轻、减轻问责追责；'],
      ['（三）', '确需问责追责且不符合容错条件的，依照有关规定处理。'],
    ],
    ['按照干部管理权限和处分权限，处理、处分需要报上级审批的，依照有关规定办理。'],
  ),
  article(
    '第十四条',
    '容错意见并入责任追究机关的问责追责相关文书中，不再单独制作。',
    [],
    ['容错理由和容错依据应当单独形成书面材料，与有关证据材料一并归入问责追责案卷，留存备查。'],
  ),
  article(
    '第十五条',
    '责任追究机关应当依照有关规定宣布、送达问责追责处理决定，并向被问责追责干部及其所在党组织说明容错情况。问责追责处理决定应当依照有关规定归入被问责追责干部人事档案和廉政档案。',
    [],
    [],
  ),
  article(
    '第十六条',
    '被问责追责干部对责任追究机关不予容错、容错减责等问责追责处理决定不服的，可以依照有关规定提出申诉。',
    [],
    [],
  ),
  article(
    '第十七条',
    '予以容错免责的，在干部考核、评先评优、干部选拔任用、职务职级晋升、职称岗位评聘以及党代表、人大代表、政协委员、优秀年轻干部资格等方面不受影响。',
    [],
    [],
  ),
  article(
    '第十八条',
    '干部出现失误错误的，干部本人、干部所在单位党委（党组）以及其他有关单位或者个人应当及时采取补救措施，尽力消除影响、挽回损失，同时建立健全长效机制，防止类似问题再次发生。',
    [],
    ['纪检监察机关、组织人事部门应当加强对纠错整改工作的监督检查，对整改不力的严肃追究责任。'],
  ),
  article(
    '第十九条',
    '有关责任主体要健全完善配套制度，保障容错纠错机制精准落地。',
    [
      ['（一）', '预防提醒制度。党委（党组）、纪检监察机关、组织人事部门应当加强对干部的日常教育管理监督，对工作中的苗头性、倾向性问题，早发现、早提醒、早纠正，防止小毛病演变为大问题，从源头上加强防范。'],
      ['（二）', '协作配合制度。纪检监察机关、组织人事部门应当加强日常工作沟通，推动干部监督管理信息互通、结果共享，将容错结论运用于问题线索处置、干部考核评价使用等各个方面，同时加强与巡视巡察机构、信访等部门的联系协调，发挥监督合力，增强监督实效。'],
      ['（三）', '回访教育制度。对容错免责、容错减责以及其他被问责追责的干部，党委（党组）、纪检监察机关、组织人事部门应当开展跟踪回访，落实谈心谈话制度，开展有针对性的思想教育和指导，从思想、工作、学习、生活等方面加强关心爱护，帮助干部放下包袱、改进提高，同时督促检查问题整改落实情况。'],
      ['（四）', '综合研判制度。对容错免责以及处理、处分期满的干部，党委（党组）、组织人事部门应当综合研判其问题性质、主观动机、轻重程度、容错情形以及一贯表现，特别是被处理、处分后的工作状态，全面、历史、辩证地考核评价，符合条件的，依照干部选拔任用有关规定，该使用的应当及时合理使用，表现突出的可以提拔或者进一步使用，防止把被容错或者被问责追责的干部“标签化”。'],
    ],
    [],
  ),
  article(
    '第二十条',
    '党委（党组）应当加强对容错纠错工作的组织领导，切实承担主体责任，树立上级为下级担当、组织为个人担当、干部为事业担当的鲜明导向。',
    [],
    ['纪检监察机关应当全面履行职责，对符合容错条件的干部及时容错，综合运用纪检监察建议、监督检查考核等手段推动纠错整改到位，同时严肃查处在容错纠错工作中徇私舞弊、以容错为借口故意包庇应当受到处理的干部等违纪违法行为，防止混淆问题性质、搞纪律“松绑”。', '组织人事部门应当加强对干部的日常教育管理监督，落实落细各项措施，对符合容错条件的干部及时容错，注重了解掌握干部被容错后的表现和状态，正确对待被容错以及其他被问责追责的干部，做到考核考察客观评价、选拔任用公正合理，激励干部担当作为。', '宣传部门应当统筹运用各类媒体资源，大力宣传报道容错纠错典型案例，积极营造保护改革者、鼓励探索者、宽容失误者的浓厚社会氛围。'],
  ),
  article(
    '第二十一条',
    '本办法具体解释工作由市纪委市监委会同市委组织部承担。',
    [],
    [],
  ),
  article(
    '第二十二条',
    '本办法自发布之日起施行。',
    [],
    [],
  ),
];

const ITEM_NUMBERS = ['（一）', '（二）', '（三）', '（四）', '（五）', '（六）', '（七）', '（八）', '（九）', '（十）'];

function findArticle(number: string): Article {
  const found = articles.find((a) => a.number === number);
  if (!found) throw new Error(`bj-2020: no ${number}`);
  return found;
}

// Quotes drop the closing punctuation of a sentence or an item (`；`, `。`, `：`) but keep every word.
function trimEnd(text: string): string {
  return text.replace(/[；。：]$/u, '');
}

/** The item's words, e.g. `item('第十条', 2)` for 第十条第（二）项. */
function item(number: string, n: number): string {
  const found = findArticle(number).items.find((i) => i.number === ITEM_NUMBERS[n - 1]);
  if (!found) throw new Error(`bj-2020: no item ${n} in ${number}`);
  return trimEnd(found.text);
}

function ref(number: string, n: number): ArticleRef {
  return `${number}第${ITEM_NUMBERS[n - 1]}项`;
}

const ART9_3_FOCUS = '重点考察是否经过民主决策程序，是否属于情况紧急临机决断';
const ART9_6_TIMELY = '及时挽回损失、消除不良影响、有效阻止危害结果发生';
const ART10_4 = item('第十条', 4);

export const bj2020: PolicyPack = {
  id: 'bj-2020',
  version: '2020-06-28',
  title: '关于激励干部担当作为实施容错纠错工作办法（试行）',
  issuer: '中共北京市委办公厅',
  effectiveFrom: '2020-06-28',
  timeZone: 'Asia/Shanghai',
  articles,
  nouns: { situation: '第八条情形', exclusion: '第十条情形', factor: '第九条因素' },
  outcomes: {
    exempt: { id: 'exempt', label: '容错免责', article: ref('第十三条', 1), text: item('第十三条', 1) },
    reduced: { id: 'reduced', label: '容错减责', article: ref('第十三条', 2), text: item('第十三条', 2) },
    not_tolerated: { id: 'not_tolerated', label: '不予容错', article: ref('第十三条', 3), text: item('第十三条', 3) },
  },
  situations: [
    { id: 'major-work', article: ref('第八条', 1), text: item('第八条', 1) },
    { id: 'reform-pilot', article: ref('第八条', 2), text: item('第八条', 2) },
    { id: 'emergency', article: ref('第八条', 3), text: item('第八条', 3) },
    { id: 'legacy-issues', article: ref('第八条', 4), text: item('第八条', 4) },
    { id: 'service-procedure', article: ref('第八条', 5), text: item('第八条', 5) },
    { id: 'overall-beneficial', article: ref('第八条', 6), text: item('第八条', 6) },
  ],
  exclusions: [
    { id: 'political-discipline', article: ref('第十条', 1), text: item('第十条', 1) },
    { id: 'improper-benefit', article: ref('第十条', 2), text: item('第十条', 2) },
    { id: 'grave-consequence', article: ref('第十条', 3), text: item('第十条', 3) },
    { id: 'no-rectification', article: ref('第十条', 4), text: ART10_4 },
  ],
  dimensions: [
    { id: 'motive', name: '考察动机态度', article: ref('第九条', 1) },
    { id: 'conditions', name: '考察客观条件', article: ref('第九条', 2) },
    { id: 'procedure', name: '考察程序方法', article: ref('第九条', 3) },
    { id: 'nature', name: '考察性质程度', article: ref('第九条', 4) },
    { id: 'consequence', name: '考察后果影响', article: ref('第九条', 5) },
    { id: 'remedy', name: '考察挽回损失情况', article: ref('第九条', 6) },
  ],
  factors: [
    {
      id: 'motive.purpose',
      dimension: 'motive',
      article: ref('第九条', 1),
      values: [
        { id: 'public', pole: 'favourable', decisive: false, words: '出于公心、顾全大局', article: ref('第九条', 1) },
        {
          id: 'private-or-local',
          pole: 'unfavourable',
          decisive: true,
          words: '为谋私利或者局部利益',
          article: ref('第九条', 1),
          basis: { article: '第四条', text: '为谋取私利的违纪违法行为' },
        },
      ],
    },
    {
      id: 'motive.intent',
      dimension: 'motive',
      article: ref('第九条', 1),
      values: [
        { id: 'inadvertent', pole: 'favourable', decisive: false, words: '无心之过', article: ref('第九条', 1) },
        {
          id: 'knowing',
          pole: 'unfavourable',
          decisive: true,
          words: '明知故犯',
          article: ref('第九条', 1),
          basis: { article: '第四条', text: '明知故犯的违纪违法行为' },
          guidance:
            '“明知故犯”指明知违反规定而为之，且没有第九条第（三）项所要求的正当理由和规范程序（出于公心，经过民主决策程序或者情况紧急临机决断）。' +
            '出于公心、经集体决策或者在紧急情况下有意偏离规定的，应认定为程序方法中的“一定程序瑕疵”（procedure.compliance = irregular，第八条第（五）项将程序瑕疵列为可以容错的情形），并在说明中写明理由。',
        },
      ],
    },
    {
      id: 'motive.history',
      dimension: 'motive',
      article: ref('第九条', 1),
      values: [
        { id: 'first', pole: 'favourable', decisive: false, words: '初次犯错', article: ref('第九条', 1) },
        { id: 'repeated', pole: 'unfavourable', decisive: false, words: '重复犯错', article: ref('第九条', 1) },
      ],
    },
    {
      id: 'motive.attitude',
      dimension: 'motive',
      article: ref('第九条', 1),
      values: [
        { id: 'corrects', pole: 'favourable', decisive: false, words: '主动认错悔错改错', article: ref('第九条', 1) },
        {
          id: 'resists',
          pole: 'unfavourable',
          decisive: true,
          words: '漠视错误、抵触改正',
          article: ref('第九条', 1),
          basis: { article: ref('第十条', 4), text: ART10_4 },
        },
      ],
    },
    {
      id: 'conditions.task',
      dimension: 'conditions',
      article: ref('第九条', 2),
      values: [
        { id: 'exploratory', pole: 'favourable', decisive: false, words: '情况特殊复杂、探索性的改革攻坚', article: ref('第九条', 2) },
        { id: 'routine', pole: 'unfavourable', decisive: false, words: '执行常规工作任务', article: ref('第九条', 2) },
      ],
    },
    {
      id: 'conditions.cause',
      dimension: 'conditions',
      article: ref('第九条', 2),
      values: [
        { id: 'unforeseeable', pole: 'favourable', decisive: false, words: '客观情况发生难以预见的变化', article: ref('第九条', 2) },
        { id: 'reckless', pole: 'unfavourable', decisive: false, words: '无视客观规律、好大喜功、急功近利', article: ref('第九条', 2) },
      ],
    },
    {
      id: 'procedure.compliance',
      dimension: 'procedure',
      article: `${ref('第九条', 3)}；${ref('第八条', 5)}`,
      values: [
        { id: 'lawful', pole: 'favourable', decisive: false, words: '按照规定的权限、程序和方式依法履职', article: ref('第九条', 3) },
        // The measures name the tolerable flaw in Art. 8(5); Art. 9(3) has no words for it.
        { id: 'irregular', pole: 'unfavourable', decisive: false, words: '一定程序瑕疵', article: ref('第八条', 5) },
        {
          id: 'abuse',
          pole: 'unfavourable',
          decisive: true,
          words: '无视纪律和规矩、滥用职权、失职渎职',
          article: ref('第九条', 3),
          basis: { article: '第四条', text: '明知故犯的违纪违法行为' },
        },
      ],
    },
    {
      id: 'procedure.collective',
      dimension: 'procedure',
      article: ref('第九条', 3),
      values: [
        { id: 'yes', pole: 'favourable', decisive: false, words: '经过民主决策程序', article: ref('第九条', 3) },
        { id: 'no', pole: 'unfavourable', decisive: false, words: '是否经过民主决策程序', article: ref('第九条', 3) },
      ],
    },
    {
      id: 'procedure.urgent',
      dimension: 'procedure',
      article: ref('第九条', 3),
      values: [
        { id: 'yes', pole: 'favourable', decisive: false, words: '情况紧急临机决断', article: ref('第九条', 3) },
        { id: 'no', pole: 'unfavourable', decisive: false, words: '是否属于情况紧急临机决断', article: ref('第九条', 3) },
      ],
    },
    {
      id: 'nature.rules',
      dimension: 'nature',
      article: ref('第九条', 4),
      values: [
        { id: 'unregulated', pole: 'favourable', decisive: false, words: '尚无明确限制', article: ref('第九条', 4) },
        {
          id: 'defied',
          pole: 'unfavourable',
          decisive: true,
          words: '有令不行、有禁不止',
          article: ref('第九条', 4),
          basis: { article: '第四条', text: '明令禁止后依然我行我素的违纪违法行为' },
          guidance:
            '“有令不行、有禁不止”指违反明令禁止仍然我行我素，且没有第九条第（三）项所要求的正当理由和规范程序（出于公心，经过民主决策程序或者情况紧急临机决断）。' +
            '出于公心、经集体决策或者在紧急情况下有意偏离规定的，应认定为程序方法中的“一定程序瑕疵”（procedure.compliance = irregular，第八条第（五）项将程序瑕疵列为可以容错的情形），并在说明中写明理由。',
        },
      ],
    },
    {
      id: 'nature.severity',
      dimension: 'nature',
      article: ref('第九条', 4),
      values: [
        { id: 'minor', pole: 'favourable', decisive: false, words: '轻微或者一般性错误', article: ref('第九条', 4) },
        { id: 'serious', pole: 'unfavourable', decisive: false, words: '严重错误', article: ref('第九条', 4) },
        { id: 'grave', pole: 'unfavourable', decisive: false, words: '重大原则性错误', article: ref('第九条', 4) },
      ],
    },
    {
      id: 'consequence.policy',
      dimension: 'consequence',
      article: ref('第九条', 5),
      values: [
        { id: 'advances', pole: 'favourable', decisive: false, words: '促进党委、政府决策部署落实', article: ref('第九条', 5) },
        { id: 'obstructs', pole: 'unfavourable', decisive: false, words: '阻碍破坏决策实施', article: ref('第九条', 5) },
      ],
    },
    {
      id: 'consequence.loss',
      dimension: 'consequence',
      article: `${ref('第九条', 5)}；第八条第（一）（四）项`,
      values: [
        { id: 'none', pole: 'favourable', decisive: false, words: '未造成损失影响', article: ref('第九条', 5) },
        { id: 'small', pole: 'favourable', decisive: false, words: '损失影响较小', article: ref('第九条', 5) },
        { id: 'some', pole: 'unfavourable', decisive: false, words: '造成一定损失或者影响', article: ref('第八条', 4) },
        { id: 'severe', pole: 'unfavourable', decisive: false, words: '重大事故、严重损失或者恶劣影响', article: ref('第九条', 5) },
      ],
    },
    {
      id: 'consequence.reception',
      dimension: 'consequence',
      article: ref('第九条', 5),
      values: [
        { id: 'approved', pole: 'favourable', decisive: false, words: '被广大干部群众肯定认可', article: ref('第九条', 5) },
        { id: 'criticized', pole: 'unfavourable', decisive: false, words: '否定批评', article: ref('第九条', 5) },
      ],
    },
    {
      id: 'remedy.action',
      dimension: 'remedy',
      article: ref('第九条', 6),
      values: [
        { id: 'timely', pole: 'favourable', decisive: false, words: ART9_6_TIMELY, article: ref('第九条', 6) },
        {
          id: 'neglected',
          pole: 'unfavourable',
          decisive: true,
          words: '放任危害结果发生或者扩大',
          article: ref('第九条', 6),
          basis: { article: ref('第十条', 4), text: ART10_4 },
        },
      ],
    },
    {
      id: 'remedy.result',
      dimension: 'remedy',
      article: ref('第九条', 6),
      values: [
        { id: 'recovered', pole: 'favourable', decisive: false, words: '已经有效挽回损失', article: ref('第九条', 6) },
        { id: 'irrecoverable', pole: 'unfavourable', decisive: false, words: '造成重大损失无法挽回', article: ref('第九条', 6) },
      ],
    },
  ],
  groups: [
    {
      id: 'procedure.collective-or-urgent',
      members: ['procedure.collective', 'procedure.urgent'],
      article: ref('第九条', 3),
      text: ART9_3_FOCUS,
    },
  ],
  goodMotive: {
    anyOf: [
      { factor: 'motive.purpose', value: 'public' },
      { factor: 'motive.intent', value: 'inadvertent' },
    ],
    article: '第四条',
    text: '为推动发展的无意过失',
  },
  offsets: [
    {
      factor: 'procedure.compliance',
      value: 'irregular',
      reasons: [
        { when: { kind: 'group-favourable', group: 'procedure.collective-or-urgent' }, article: ref('第九条', 3), text: ART9_3_FOCUS },
        { when: { kind: 'factor-value', factor: 'remedy.action', value: 'timely' }, article: ref('第九条', 6), text: ART9_6_TIMELY },
      ],
    },
    {
      factor: 'consequence.loss',
      value: 'some',
      reasons: [
        { when: { kind: 'factor-value', factor: 'remedy.action', value: 'timely' }, article: ref('第九条', 6), text: ART9_6_TIMELY },
      ],
    },
  ],
  contradictions: [
    {
      code: 'overall-beneficial-contradiction',
      situation: 'overall-beneficial',
      factor: 'consequence.policy',
      value: 'obstructs',
      article: ref('第八条', 6),
      text: item('第八条', 6),
      message:
        '认定了第八条第（六）项情形（工作效果总体上有利于推动经济社会发展），但第九条第（五）项的后果影响为“阻碍破坏决策实施”，两者矛盾，请核实。',
    },
  ],
  guidance: {
    exclusions: { step: 'art10', article: '第十条', text: trimEnd(findArticle('第十条').lead) },
    situations: { step: 'art8', article: '第八条', text: trimEnd(findArticle('第八条').lead) },
    decisive: { step: 'art9-decisive', article: '第四条', text: findArticle('第四条').lead },
    offsets: { step: 'art9-offset', article: '第九条', text: trimEnd(findArticle('第九条').lead) },
    count: {
      step: 'art9-count',
      article: '第九条',
      text: trimEnd(findArticle('第九条').lead),
      exemptAtMost: 0,
      reducedAtMost: 2,
    },
    motiveFirst: { step: 'art9-motive-first', article: ref('第九条', 1), text: item('第九条', 1), enabled: true },
    thinBasis: { code: 'thin-basis', minDimensions: 2 },
  },
};
