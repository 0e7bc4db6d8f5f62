import type { Random } from './random.js';

/**
 * The words of the generated records: case titles and facts, opinions heard, minutes, decisions, explanations,
 * appeals, rectification and follow-up — assembled from phrases that read like the real documents of a
 * discipline commission, varied enough that a search or a list does not see the same string everywhere. All of
 * it is fictional.
 */

const TOPICS = [
  '老旧小区综合整治', '农村饮水安全巩固提升工程', '营商环境优化改革', '政府投资项目审批', '专项资金拨付', '防汛抢险', '招商引资项目落地',
  '国有资产处置', '集体土地征收补偿', '医保基金监管', '校舍安全改造', '农村公路建设', '黑臭水体治理', '安全生产专项检查', '食品安全监管',
  '政务服务“一网通办”改革', '保障性住房分配', '乡村振兴产业项目', '历史遗留不动产登记', '中小企业纾困资金发放', '科技创新券兑付',
  '河道清淤工程', '公共数据平台建设', '社区养老服务设施建设', '稳岗就业补贴发放', '文旅融合项目建设', '城市更新试点', '村集体经济合同管理',
  '应急物资储备', '重大疫情应急处置', '工程建设项目“多测合一”改革', '耕地保护督察整改', '燃气管道老化更新改造', '义务教育学位供给',
];

const PROBLEMS = [
  { title: '未按规定履行招标程序', detail: '为赶工期，未按规定履行公开招标程序即确定施工单位', situation: 'emergency' },
  { title: '审批把关不严', detail: '在审批中对申报材料审核把关不严，致使不符合条件的项目通过审批', situation: 'service-procedure' },
  { title: '资金拨付进度滞后', detail: '未按要求及时拨付专项资金，导致项目推进迟缓', situation: 'overall-beneficial' },
  { title: '监管履职不到位', detail: '对辖区内重点单位的日常监管流于形式，未及时发现和处置隐患', situation: 'major-work' },
  { title: '决策程序不规范', detail: '未经集体研究即签批有关事项，决策程序存在瑕疵', situation: 'reform-pilot' },
  { title: '先行先试中出现失误', detail: '在改革试点中探索新的办理模式，因配套制度不完善出现失误', situation: 'reform-pilot' },
  { title: '临机决断造成损失', detail: '在突发情况下临机决断、先行处置，事后发现部分措施不当造成一定损失', situation: 'emergency' },
  { title: '合同管理不规范', detail: '在合同签订和履行中未严格执行有关规定，合同变更未履行审批手续', situation: 'legacy-issues' },
  { title: '验收把关不严', detail: '在项目验收中未认真核实工程量，致使部分工程款超付', situation: 'major-work' },
  { title: '超范围使用资金', detail: '将专项资金用于其他急需的民生项目，超出资金规定用途', situation: 'overall-beneficial' },
  { title: '政策执行出现偏差', detail: '在执行新出台政策时理解不准确，部分事项办理出现偏差', situation: 'service-procedure' },
  { title: '处置历史遗留问题失误', detail: '在化解历史遗留问题中采取变通办法，未完全符合现行规定', situation: 'legacy-issues' },
];

const SOURCES = ['群众来信反映', '审计发现', '巡察发现', '上级交办', '专项督查发现', '媒体报道', '信访举报反映'];
const CONSEQUENCES = [
  () => '未造成实际损失',
  (r: Random) => `造成财政资金损失约${r.between(3, 480)}万元`,
  (r: Random) => `导致项目延期约${r.between(1, 9)}个月`,
  () => '造成一定社会影响',
  (r: Random) => `涉及群众${r.between(12, 900)}户，已引起部分群众不满`,
];

export interface CaseText {
  title: string;
  description: string;
  topic: string;
  /** The Art. 8 situation the facts suggest, for assessments that find one. */
  situation: string;
}

export function caseText(r: Random, facts: { unitName: string; unitShort: string; officialName: string; position: string }): CaseText {
  const topic = r.pick(TOPICS);
  const problem = r.pick(PROBLEMS);
  const consequence = r.pick(CONSEQUENCES)(r);
  return {
    title: `${facts.unitShort}在${topic}中${problem.title}问题`,
    description: `${r.pick(SOURCES)}，${facts.unitName}${facts.position}${facts.officialName}在${topic}工作中，${problem.detail}。经初步核实，${consequence}。`,
    topic,
    situation: problem.situation,
  };
}

const EVIDENCE = [
  { title: '项目审批材料', kind: 'document' },
  { title: '有关会议纪要', kind: 'document' },
  { title: '谈话笔录', kind: 'record' },
  { title: '现场照片', kind: 'photo' },
  { title: '财务凭证复印件', kind: 'document' },
  { title: '合同文本及补充协议', kind: 'document' },
  { title: '审计报告（节选）', kind: 'document' },
  { title: '证人证言', kind: 'testimony' },
  { title: '工作台账', kind: 'record' },
  { title: '情况说明', kind: 'other' },
] as const;

export function evidenceText(r: Random, topic: string) {
  const item = r.pick(EVIDENCE);
  return {
    title: `${topic}${item.title}`,
    description: r.chance(0.5) ? `调取自${r.pick(['经办单位档案室', '财务部门', '项目建设单位', '审计机关', '当事人'])}，共${r.between(2, 60)}页。` : '',
    kind: item.kind,
  };
}

export function unitOpinion(r: Random, unitName: string): { source: string; content: string } {
  return {
    source: unitName,
    content: r.pick([
      '经核查有关档案，反映的问题基本属实；该同志平时工作积极，在本项工作中承担了大量协调任务。',
      '该事项确系按照上级部署推进，时间紧、任务重，相关程序存在瑕疵，单位负有一定管理责任。',
      '经单位党组研究，认为该同志出于推动工作的目的，未发现谋取私利的情形，建议综合考虑。',
      '反映的问题部分属实，单位已督促整改，并完善了相关制度。',
    ]),
  };
}

export function partyOpinion(r: Random, kind: 'interested-party' | 'society'): { source: string; content: string } {
  return kind === 'interested-party'
    ? { source: r.pick(['项目施工单位', '相关企业负责人', '受影响居民代表', '合作单位']), content: r.pick(['对事情经过的陈述与调查情况一致。', '认为有关工作人员处置及时，未给企业造成额外负担。', '希望尽快妥善解决遗留问题。']) }
    : { source: r.pick(['社区居民座谈会', '人大代表、政协委员座谈', '服务对象回访']), content: r.pick(['多数参会人员认为该同志工作有担当，出发点是为群众办事。', '部分群众对工作中出现的问题表示理解，希望加强整改。', '认为有关工作成效明显，失误属于探索中的问题。']) };
}

export function statementText(r: Random): string {
  return r.pick([
    '对组织调查认定的事实没有异议。当时考虑到工作任务紧迫，想尽快推动落实，对程序要求重视不够，我诚恳接受组织处理，并已组织整改。',
    '事情的经过基本如调查所述。该事项经过班子会议研究，我作为具体负责人负有直接责任，但没有为任何单位和个人谋取利益。',
    '我承认在工作中存在疏忽，没有严格把关。已主动向组织说明情况，并配合做好挽回损失的工作。',
    '对认定的部分事实有不同意见：相关决定是按照上级会议精神作出的，请组织综合考虑当时的客观情况。',
  ]);
}

export function applicationText(r: Random, byOfficial: boolean): string {
  return byOfficial
    ? r.pick(['本人在推进该项工作中出于公心、没有谋取私利，已及时采取补救措施，请求组织依照规定予以容错。', '该问题系在改革探索中出现，本人主动认错并积极整改，申请容错免责。'])
    : r.pick(['经支部委员会研究，该同志一贯表现良好，此次失误系在推动重点工作中发生，恳请予以容错。', '该同志出于公心推动工作，事后积极整改，党组织申请对其容错减责。']);
}

export function expertQuestion(r: Random, topic: string): string {
  return `请就${topic}中所涉技术处置方案是否符合${r.pick(['行业规范', '技术标准', '当时的专业认识水平'])}提出意见。`;
}

export function expertOpinionText(r: Random): string {
  return r.pick([
    '经审阅材料，当时采取的处置方案在技术上具有合理性，失误主要源于客观条件难以预见的变化。',
    '所涉方案存在一定技术缺陷，但在当时的认识水平下难以完全避免。',
    '相关做法不符合行业规范的强制性要求，属于可以避免的失误。',
  ]);
}

export const MEMBER_COMMENTS = ['同意。', '同意经办部门意见。', '同意，建议做好跟踪回访。', '同意，建议督促整改到位。', '同意研判意见。', '同意，注意做好思想政治工作。'];

export function deliberationText(r: Random, outcome: string, officialName: string) {
  const opinion: Record<string, string> = {
    exempt: '经考察，本案符合第八条所列情形，出于公心、未谋私利，已及时挽回损失，予以容错免责。',
    reduced: '经考察，本案符合第八条所列情形，但程序问题较重，予以容错减责。',
    not_tolerated: r.chance(0.5) ? '经考察，本案不符合第八条所列容错情形，不予容错。' : '经考察，本案存在第十条所列情形，不予容错。',
  };
  return {
    accountability: `${officialName}同志${r.pick(['履职不到位', '违反有关程序规定', '工作失误'])}，事实清楚，应当依规依纪追究责任。`,
    tolerance: opinion[outcome] ?? opinion.not_tolerated!,
  };
}

export function applicationAnswer(r: Random, outcome: string): string {
  return outcome === 'not_tolerated'
    ? r.pick(['申请所述情况经核查部分属实，但不符合容错条件，不予采纳。', '经研究，申请理由不能成立，不予采纳。'])
    : r.pick(['申请所述情况属实，予以采纳。', '申请所述情况基本属实，部分采纳。']);
}

export const DEPARTURE_REASON = '损失金额较大，社会关注度高，集体研究多数意见不予容错。';

export function measureDetails(r: Random, measures: readonly string[]): string {
  const words: Record<string, string> = {
    'criticism-education': '予以批评教育',
    'ordered-self-examination': '责令作出书面检查',
    'circulated-criticism': '予以通报',
    admonishment: '予以诫勉',
    'organizational-adjustment': r.pick(['调离岗位', '责令公开道歉']),
    'disciplinary-sanction': r.pick(['给予党内警告处分', '给予政务警告处分', '给予党内严重警告处分', '给予政务记过处分']),
  };
  return measures.length === 0 ? '' : `${measures.map((m) => words[m] ?? m).join('，')}。`;
}

export function decisionText(outcome: string) {
  return {
    toleranceOpinion:
      outcome === 'exempt' ? '符合第八条所列情形，予以容错免责。' : outcome === 'reduced' ? '符合第八条所列情形，予以容错减责。' : '不符合容错条件，不予容错。',
    toleranceReasons: outcome === 'exempt' || outcome === 'reduced' ? '出于公心推动工作，未谋取私利，已及时采取补救措施，依照第八条、第十三条予以容错。' : '',
  };
}

export const RETURN_NOTE = '处理方式与认定的情节不相称，请重新集体研究。';
export const APPROVAL_NOTE = '同意。';

export function serviceText(outcome: string) {
  return {
    toOfficial: `已当面宣布处理决定，说明容错认定情况（${outcome === 'exempt' ? '容错免责' : outcome === 'reduced' ? '容错减责' : '不予容错'}）及理由，并告知申诉权利。`,
    toPartyOrg: '已向其所在党组织书面说明容错认定情况及理由，请党组织做好思想教育和关心关爱工作，督促抓好整改。',
  };
}

export function appealGrounds(r: Random): string {
  return r.pick(['认为处理过重，当时系按照上级会议要求推进工作，请求重新考虑。', '对认定的部分事实有异议，相关损失已全部挽回。', '认为未充分考虑本人主动整改的情况。']);
}

export function appealReasons(outcome: string): string {
  return outcome === 'upheld' ? '经复核，原处理决定认定事实清楚，处理适当，予以维持。' : outcome === 'changed' ? '经复核，原处理偏重，考虑到损失已全部挽回，予以变更。' : '经复核，原认定的主要事实不能成立，撤销原处理决定。';
}

export function planText(r: Random, topic: string) {
  return {
    title: `${topic}问题整改方案`,
    description: `针对${topic}中暴露的问题，${r.pick(['举一反三、建章立制', '立行立改、长效常治', '对照问题清单逐项整改'])}，明确责任人和完成时限。`,
  };
}

export function itemText(r: Random) {
  return r.pick([
    { title: '完善项目审批内控制度', mechanism: '建立审批事项清单和集体研究制度' },
    { title: '追回超付资金', mechanism: '建立资金拨付双人复核机制' },
    { title: '开展专项自查', mechanism: '每季度开展一次专项检查' },
    { title: '组织专题学习培训', mechanism: '将相关规定纳入年度学习计划' },
    { title: '修订合同管理办法', mechanism: '合同变更一律报法制机构审核' },
  ]);
}

export function reportText(r: Random): string {
  return r.pick(['已完成制度修订并印发执行。', '已追回相关款项，附凭证。', '自查工作已完成，发现问题均已整改。', '已组织全体干部专题学习。']);
}

export function checkNote(r: Random, accepted: boolean): string {
  return accepted ? r.pick(['', '整改到位。', '经核查，已完成。']) : r.pick(['整改材料不完整，请补充。', '制度尚未印发执行，请继续整改。']);
}

export function visitRecord(r: Random): string {
  return r.pick([
    '回访了解到该同志思想稳定，工作积极主动，能够正确对待组织处理。',
    '与该同志谈心谈话，其表示吸取教训，进一步提高依规办事能力。',
    '所在单位反映该同志整改后工作表现良好，敢于担当。',
    '该同志对处理有一定思想包袱，已做好疏导。',
  ]);
}
