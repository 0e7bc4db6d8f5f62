import type { AppealOutcome } from '../../commands/decide-appeal.js';
import type { HeardOpinionKind } from '../../commands/record-opinion.js';
import type { CaseState, Outcome, ProposedDecision } from '../../cases/procedure.js';
import type { AssessmentInput } from '../../policy/index.js';
import type { DemoOfficialKey } from './officials.js';
import type { DemoUsername } from './users.js';

/**
 * The demo cases, each told as the steps a real case goes through, in the commands' own terms. The seeder
 * (../seed-demo.ts) replays every step through the command, as the named user, on the day given — so every
 * rule the product enforces was met, and every step has its audit event.
 *
 * Days: a story starts `startDaysAgo` days before the seeding clock's now; each step's `day` counts from there.
 * Stories are interleaved by date when replayed, so the audit chain reads in calendar order.
 *
 * Together the stories cover every state and all three outcomes, a professional case with an expert opinion,
 * applications from an official and from a party organization, a decision returned by the approver and then
 * approved, and an appeal that changed the decision. All people and events are fictional.
 */
export type DemoStep =
  | { day: number; do: 'open'; by: DemoUsername; title: string; description: string }
  | { day: number; do: 'opinion'; by: DemoUsername; kind: HeardOpinionKind; source: string; content: string }
  | { day: number; do: 'statement'; by: DemoUsername; content: string }
  | { day: number; do: 'application'; by: DemoUsername; content: string }
  | { day: number; do: 'markProfessional'; by: DemoUsername }
  | { day: number; do: 'inviteExpert'; by: DemoUsername; expert: DemoUsername; question: string }
  | { day: number; do: 'expertOpinion'; by: DemoUsername; content: string }
  | { day: number; do: 'assess'; by: DemoUsername; input: AssessmentInput; note: string; expect: Outcome }
  | {
      day: number;
      do: 'deliberate';
      by: DemoUsername;
      present: readonly DemoUsername[];
      /** Members whose view differs from the proposal; everyone else present agrees with it. */
      dissent?: readonly { member: DemoUsername; opinion: Outcome; comment: string }[];
      accountabilityOpinion: string;
      toleranceOpinion: string;
      proposedOutcome: Outcome;
      /** One answer per application on file, in the order they were submitted (R2). */
      answers: readonly string[];
      departureReason?: string;
    }
  | { day: number; do: 'decide'; by: DemoUsername; decision: ProposedDecision & { measureDetails?: string }; expectApproval: boolean }
  | { day: number; do: 'approve'; by: DemoUsername; note?: string }
  | { day: number; do: 'return'; by: DemoUsername; note: string }
  | { day: number; do: 'serve'; by: DemoUsername; toOfficial: string; toPartyOrg: string }
  | { day: number; do: 'appeal'; by: DemoUsername; grounds: string }
  | { day: number; do: 'decideAppeal'; by: DemoUsername; outcome: AppealOutcome; reasons: string; change?: ProposedDecision & { measureDetails?: string } }
  | { day: number; do: 'close'; by: DemoUsername };

export interface DemoStory {
  key: string;
  official: DemoOfficialKey;
  startDaysAgo: number;
  /** The state the story must end in: the seeder checks it, so a rule change that breaks a story is noticed. */
  ends: CaseState;
  steps: readonly DemoStep[];
}

const NO_EXCLUSIONS = { 'political-discipline': false, 'improper-benefit': false, 'grave-consequence': false, 'no-rectification': false } as const;

/** The favourable reading of every Art. 9 factor; stories override what differs. */
const FAVOURABLE = {
  'motive.purpose': 'public',
  'motive.intent': 'inadvertent',
  'motive.history': 'first',
  'motive.attitude': 'corrects',
  'conditions.task': 'exploratory',
  'conditions.cause': 'unforeseeable',
  'procedure.compliance': 'lawful',
  'procedure.collective': 'yes',
  'procedure.urgent': 'no',
  'nature.rules': 'unregulated',
  'nature.severity': 'minor',
  'consequence.policy': 'advances',
  'consequence.loss': 'small',
  'consequence.reception': 'approved',
  'remedy.action': 'timely',
  'remedy.result': 'recovered',
} as const;

const EXPLAIN_PARTY_ORG = '已向其所在党组织书面说明容错认定情况及理由，请党组织做好思想教育和关心关爱工作，督促抓好整改。';

export const DEMO_STORIES: readonly DemoStory[] = [
  // 1. Closed, not tolerated: an Art. 10 exclusion (improper benefit) is established, so the engine's
  //    recommendation is binding; a disciplinary sanction needs the 市纪委监委's approval.
  {
    key: 'xc-ndrc-fund',
    official: 'pan-xiaodong',
    startDaysAgo: 230,
    ends: 'closed',
    steps: [
      { day: 0, do: 'open', by: 'xc-jiwei', title: '专项资金项目评审中为亲属企业谋取利益问题', description: '群众来信反映，西城区发展改革委项目管理科副科长潘晓东在年度老旧小区综合整治专项资金项目评审中，未按规定回避，向评审专家打招呼，使其亲属实际控制的企业入围并获得补助资金。' },
      { day: 6, do: 'opinion', by: 'xc-jiwei', kind: 'unit', source: '西城区发展改革委', content: '经核查评审档案，潘晓东同志未申报回避事项，评审打分记录存在事后改动痕迹。' },
      { day: 10, do: 'opinion', by: 'xc-jiwei', kind: 'statement', source: '潘晓东（谈话笔录）', content: '承认与该企业实际控制人系亲属关系，未主动申报回避；称打招呼只是“介绍情况”，没有要求评审专家给高分。' },
      {
        day: 25,
        do: 'assess',
        by: 'xc-jiwei',
        input: {
          situations: [],
          exclusions: { ...NO_EXCLUSIONS, 'improper-benefit': true },
          factors: { ...FAVOURABLE, 'motive.purpose': 'private-or-local', 'motive.intent': 'knowing', 'conditions.task': 'routine', 'procedure.compliance': 'abuse', 'procedure.collective': 'no', 'nature.severity': 'serious', 'consequence.loss': 'some', 'consequence.reception': 'criticized', 'remedy.result': 'irrecoverable' },
        },
        note: '为亲属企业谋取不正当利益，属于第十条第（二）项情形。',
        expect: 'not_tolerated',
      },
      {
        day: 30,
        do: 'deliberate',
        by: 'xc-jiwei',
        present: ['xc-cy1', 'xc-cy2', 'xc-cy3', 'xc-cy4', 'xc-cy5'],
        accountabilityOpinion: '潘晓东同志违反回避规定，为亲属企业谋取不正当利益，应当依规依纪依法追究责任。',
        toleranceOpinion: '经考察，本案存在第十条第（二）项“为自己或者他人谋取不正当利益”情形，不予容错。',
        proposedOutcome: 'not_tolerated',
        answers: [],
      },
      {
        day: 32,
        do: 'decide',
        by: 'xc-jiwei',
        decision: {
          outcome: 'not_tolerated',
          measures: ['disciplinary-sanction'],
          measureDetails: '给予党内严重警告处分，政务记过处分；追缴违规获得的补助资金。',
          toleranceOpinion: '本案存在为他人谋取不正当利益情形，依照第十条第（二）项不予容错。',
          toleranceReasons: '',
        },
        expectApproval: true,
      },
      { day: 36, do: 'approve', by: 'jiwei-sp', note: '同意。' },
      { day: 40, do: 'serve', by: 'xc-jiwei', toOfficial: '已当面宣布处理决定，说明本案因存在为他人谋取不正当利益情形，依照第十条第（二）项不予容错，并告知申诉权利。', toPartyOrg: EXPLAIN_PARTY_ORG },
      { day: 80, do: 'close', by: 'xc-jiwei' },
    ],
  },

  // 2. Closed: returned by the approver, deliberated again, decided again and approved (R7).
  {
    key: 'dc-ndrc-contract',
    official: 'fan-zhiqiang',
    startDaysAgo: 200,
    ends: 'closed',
    steps: [
      { day: 0, do: 'open', by: 'dc-jiwei', title: '历史遗留项目清理中未经招标延长服务合同期限问题', description: '东城区发展改革委在清理历史遗留的政府投资项目时，由主任范志强签批，将一项已到期的物业服务合同未经重新招标延长一年，审计发现后移送。' },
      { day: 5, do: 'application', by: 'fanzhiqiang', content: '该项目系2012年遗留问题，原服务单位撤场将导致回迁居民无人管理。延期是为维护稳定的过渡安排，没有为任何单位谋利，请求依照第八条第（四）项予以容错。' },
      { day: 8, do: 'statement', by: 'fanzhiqiang', content: '延期决定由我签批，事前与分管区领导口头沟通过，但未提交委党组会研究，这是程序上的问题，我接受组织处理。' },
      { day: 12, do: 'opinion', by: 'dc-jiwei', kind: 'unit', source: '东城区审计局', content: '延期合同价格未高于原合同，未发现利益输送；但延期未履行集体决策和招标程序。' },
      {
        day: 20,
        do: 'assess',
        by: 'dc-jiwei',
        input: {
          situations: ['legacy-issues'],
          exclusions: NO_EXCLUSIONS,
          factors: { ...FAVOURABLE, 'conditions.task': 'exploratory', 'procedure.compliance': 'irregular', 'procedure.collective': 'no', 'procedure.urgent': 'no', 'nature.severity': 'serious', 'consequence.loss': 'some' },
        },
        note: '属于解决历史遗留问题，出于公心，已及时整改；但未经集体决策，程序问题较重。',
        expect: 'reduced',
      },
      {
        day: 24,
        do: 'deliberate',
        by: 'dc-jiwei',
        present: ['dc-cy1', 'dc-cy2', 'dc-cy3', 'dc-cy4'],
        accountabilityOpinion: '范志强同志未经集体决策、未经招标延长合同，应当问责。',
        toleranceOpinion: '符合第八条第（四）项情形，出于公心，未谋私利，可以容错减责。',
        proposedOutcome: 'reduced',
        answers: ['本人申请所述解决历史遗留问题、维护稳定的情况属实，予以采纳，认定符合第八条第（四）项情形；但程序问题较重，不符合免责条件，予以减责。'],
      },
      {
        day: 26,
        do: 'decide',
        by: 'dc-jiwei',
        decision: {
          outcome: 'reduced',
          reduction: 'lighter',
          measures: ['disciplinary-sanction'],
          measureDetails: '给予党内警告处分。',
          toleranceOpinion: '符合第八条第（四）项情形，予以从轻问责。',
          toleranceReasons: '系解决历史遗留问题、维护回迁居民生活稳定，出于公心，未谋取私利，已及时整改，依照第八条第（四）项、第十三条第（二）项予以容错减责。',
        },
        expectApproval: true,
      },
      { day: 30, do: 'return', by: 'jiwei-sp', note: '已认定容错减责情形且已整改到位，纪律处分与减责认定不相称，请重新集体研究处理方式。' },
      {
        day: 35,
        do: 'deliberate',
        by: 'dc-jiwei',
        present: ['dc-cy1', 'dc-cy2', 'dc-cy3', 'dc-cy5'],
        accountabilityOpinion: '根据审批意见重新研究：范志强同志程序违规事实清楚，应当问责，但可以减轻处理。',
        toleranceOpinion: '符合第八条第（四）项情形，已整改到位，予以容错减责，减轻问责。',
        proposedOutcome: 'reduced',
        answers: ['本人申请所述情况属实，认定符合第八条第（四）项情形，予以减轻问责。'],
      },
      {
        day: 37,
        do: 'decide',
        by: 'dc-jiwei',
        decision: {
          outcome: 'reduced',
          reduction: 'mitigated',
          measures: ['organizational-adjustment'],
          measureDetails: '责令作出书面检查，调整分管工作。',
          toleranceOpinion: '符合第八条第（四）项情形，予以减轻问责。',
          toleranceReasons: '系解决历史遗留问题、维护回迁居民生活稳定，出于公心，未谋取私利，已及时整改；经审批人退回后重新集体研究，依照第八条第（四）项、第十三条第（二）项予以减轻问责。',
        },
        expectApproval: true,
      },
      { day: 40, do: 'approve', by: 'jiwei-sp', note: '同意重新研究后的处理意见。' },
      { day: 44, do: 'serve', by: 'dc-jiwei', toOfficial: '已宣布处理决定，说明其申请所述历史遗留情形已被认定，予以容错减责、减轻问责，并告知申诉权利。', toPartyOrg: EXPLAIN_PARTY_ORG },
      { day: 85, do: 'close', by: 'dc-jiwei' },
    ],
  },

  // 3. Closed after an appeal that was upheld; the appeal is decided by the approver, who had no part in it.
  {
    key: 'xc-market-inspection',
    official: 'yu-guoqing',
    startDaysAgo: 170,
    ends: 'closed',
    steps: [
      { day: 0, do: 'open', by: 'xc-jiwei', title: '餐饮服务单位抽检中违反明令简化检查问题', description: '区市场监管局明确要求对校园周边餐饮单位逐户现场抽检，食品经营安全科科长余国庆仍安排以电话核查代替现场检查，后一家被“核查通过”的餐饮单位发生食品安全投诉。' },
      { day: 7, do: 'statement', by: 'yuguoqing', content: '当时人手紧张，我认为电话核查能提高效率、方便商户，没有私心。对造成的不良影响我深感愧疚。' },
      { day: 9, do: 'opinion', by: 'xc-jiwei', kind: 'society', source: '属地社区居民代表', content: '家长对抽检走过场意见较大，希望加强校园周边食品安全监管。' },
      {
        day: 18,
        do: 'assess',
        by: 'xc-jiwei',
        input: {
          situations: ['service-procedure'],
          exclusions: NO_EXCLUSIONS,
          factors: { ...FAVOURABLE, 'conditions.task': 'routine', 'procedure.compliance': 'irregular', 'procedure.collective': 'no', 'nature.rules': 'defied', 'consequence.loss': 'some', 'consequence.reception': 'criticized' },
        },
        note: '局里已有逐户现场抽检的明确要求，仍以电话核查代替，属于有令不行。',
        expect: 'not_tolerated',
      },
      {
        day: 21,
        do: 'deliberate',
        by: 'xc-jiwei',
        present: ['xc-cy1', 'xc-cy2', 'xc-cy3'],
        accountabilityOpinion: '余国庆同志违反明确工作要求，简化检查程序，应当问责。',
        toleranceOpinion: '虽主张为提高效能，但系明令要求后依然我行我素，不符合容错条件，不予容错。',
        proposedOutcome: 'not_tolerated',
        answers: [],
      },
      {
        day: 23,
        do: 'decide',
        by: 'xc-jiwei',
        decision: { outcome: 'not_tolerated', measures: ['circulated-criticism'], measureDetails: '在全区市场监管系统内通报。', toleranceOpinion: '属于有令不行、有禁不止，不予容错。', toleranceReasons: '' },
        expectApproval: false,
      },
      { day: 27, do: 'serve', by: 'xc-jiwei', toOfficial: '已宣布处理决定，说明因违反明令要求简化检查程序，不符合容错条件，并告知申诉权利。', toPartyOrg: EXPLAIN_PARTY_ORG },
      { day: 40, do: 'appeal', by: 'yuguoqing', grounds: '我简化程序是为了方便商户、提高效率，符合第八条第（五）项“为提高效能、方便群众，出现一定程序瑕疵”的情形，请求重新认定。' },
      { day: 60, do: 'decideAppeal', by: 'jiwei-sp', outcome: 'upheld', reasons: '经复查，局里已有逐户现场抽检的明确书面要求，申诉人仍以电话核查代替，属于有令不行，不属于第八条第（五）项所称程序瑕疵，维持原处理决定。' },
      { day: 64, do: 'close', by: 'xc-jiwei' },
    ],
  },

  // 4. Closed, exempt: a professional/technical case with an expert opinion (R3) and an application from the
  //    official's party organization.
  {
    key: 'transport-signals',
    official: 'zheng-yongkang',
    startDaysAgo: 150,
    ends: 'closed',
    steps: [
      { day: 0, do: 'open', by: 'jiwei', title: '智能信号配时优化试点导致局部路段拥堵问题', description: '市交通委在三条主干道开展自适应信号配时优化试点，上线首周早高峰局部路段排队长度明显增加，引发市民投诉和媒体关注。智能交通管理处处长郑永康负责试点组织实施。' },
      { day: 3, do: 'markProfessional', by: 'jiwei' },
      { day: 4, do: 'inviteExpert', by: 'jiwei', expert: 'zhuanjia', question: '试点方案的算法参数和上线流程是否符合行业通行做法？拥堵是否属于当时难以预见的情况？' },
      { day: 6, do: 'application', by: 'dangwei-jtw', content: '郑永康同志牵头的信号配时试点是落实市委关于智慧城市建设部署的改革探索，方案经委党组会研究通过，发现问题后当天即回退参数并连夜调整。机关党委认为符合第八条第（二）项情形，特提出容错申请。' },
      { day: 8, do: 'opinion', by: 'jiwei', kind: 'statement', source: '郑永康（谈话笔录）', content: '上线前做过仿真测试，但没有预料到周边学校开学带来的早高峰流量变化。发现拥堵后我们当天回退了参数，一周内完成了方案优化。' },
      { day: 20, do: 'expertOpinion', by: 'zhuanjia', content: '试点方案的参数设定与仿真验证符合行业通行做法；拥堵主要源于开学季流量突变，仿真数据未能覆盖，属于探索性试点中较难预见的情况。处置及时，现已优于试点前水平。' },
      {
        day: 24,
        do: 'assess',
        by: 'jiwei',
        input: { situations: ['reform-pilot'], exclusions: NO_EXCLUSIONS, factors: FAVOURABLE },
        note: '经集体决策的改革试点，专家意见认定拥堵难以预见，处置及时，未造成损失。',
        expect: 'exempt',
      },
      {
        day: 28,
        do: 'deliberate',
        by: 'jiwei',
        present: ['jiwei-cy1', 'jiwei-cy2', 'jiwei-cy3', 'jiwei-cy4', 'jiwei-cy5'],
        accountabilityOpinion: '郑永康同志在试点中虽出现偏差，但依规决策、处置及时，不予问责。',
        toleranceOpinion: '符合第八条第（二）项情形，予以容错免责。',
        proposedOutcome: 'exempt',
        answers: ['机关党委申请所述经集体研究、及时纠正的情况属实，予以采纳，认定符合第八条第（二）项情形。'],
      },
      {
        day: 30,
        do: 'decide',
        by: 'jiwei',
        decision: {
          outcome: 'exempt',
          measures: [],
          toleranceOpinion: '符合第八条第（二）项情形，予以容错免责，不予问责。',
          toleranceReasons: '改革试点经委党组会集体研究，专家意见认定拥堵系开学季流量突变所致、难以预见，当事人处置及时、未造成损失，依照第八条第（二）项、第十三条第（一）项予以容错免责。',
        },
        expectApproval: false,
      },
      { day: 33, do: 'serve', by: 'jiwei', toOfficial: '已向郑永康同志说明予以容错免责及其理由，告知依照第十七条在考核、选拔任用等方面不受影响。', toPartyOrg: '已向市交通委机关党委书面说明容错免责情况，请继续支持其开展改革探索。' },
      { day: 70, do: 'close', by: 'jiwei' },
    ],
  },

  // 5. Appeal decided, changed: the deliberation departed from the engine (R15), the appeal put it right.
  {
    key: 'soe-project',
    official: 'xue-yongsheng',
    startDaysAgo: 120,
    ends: 'appeal-decided',
    steps: [
      { day: 0, do: 'open', by: 'jiwei', title: '重点工程配套项目决策失误造成经济损失问题', description: '青禾集团副总经理薛永胜分管的城市更新重点工程配套项目，在设计方案未最终稳定时即启动大宗材料采购，后因规划调整导致部分材料闲置，造成经济损失约三百万元。' },
      { day: 6, do: 'statement', by: 'xueyongsheng', content: '为确保重点工程节点，我提出提前采购，会上各方都同意。规划调整是我们无法左右的，闲置材料已在其他项目中调剂使用了一部分。' },
      { day: 10, do: 'opinion', by: 'jiwei', kind: 'interested-party', source: '青禾集团审计部', content: '经核算，闲置材料经调剂使用后，实际损失约一百二十万元。' },
      {
        day: 20,
        do: 'assess',
        by: 'jiwei',
        input: {
          situations: ['major-work'],
          exclusions: NO_EXCLUSIONS,
          factors: { ...FAVOURABLE, 'conditions.cause': 'reckless', 'consequence.loss': 'severe', 'remedy.result': null },
        },
        note: '在落实重点工程中主动作为，但抢进度提前采购，造成较大损失。',
        expect: 'reduced',
      },
      {
        day: 24,
        do: 'deliberate',
        by: 'jiwei',
        present: ['jiwei-cy1', 'jiwei-cy2', 'jiwei-cy3', 'jiwei-cy4'],
        dissent: [{ member: 'jiwei-cy4', opinion: 'reduced', comment: '当事人出于公心推进重点工程，已积极调剂挽损，建议容错减责。' }],
        accountabilityOpinion: '薛永胜同志在方案未稳定时决策提前采购，造成较大经济损失，应当问责。',
        toleranceOpinion: '虽属于落实重点工作中出现的偏差，但损失金额较大，不予容错。',
        proposedOutcome: 'not_tolerated',
        answers: [],
        departureReason: '损失金额较大，社会关注度高，多数成员认为不宜容错。',
      },
      {
        day: 26,
        do: 'decide',
        by: 'jiwei',
        decision: {
          outcome: 'not_tolerated',
          measures: ['organizational-adjustment'],
          measureDetails: '调整其分管工作。',
          toleranceOpinion: '损失较大，不予容错。',
          toleranceReasons: '',
          departureReason: '损失金额较大，社会关注度高，集体研究多数意见不予容错。',
        },
        expectApproval: true,
      },
      { day: 30, do: 'approve', by: 'shiwei-sp', note: '同意。' },
      { day: 34, do: 'serve', by: 'jiwei', toOfficial: '已宣布处理决定，说明不予容错的理由，并告知申诉权利。', toPartyOrg: EXPLAIN_PARTY_ORG },
      { day: 45, do: 'appeal', by: 'xueyongsheng', grounds: '提前采购是为保障市重点工程节点，经集团经营班子会研究同意；损失经调剂后已大幅减少。原决定未采纳容错研判建议，请求依照第八条第（一）项予以容错减责。' },
      {
        day: 70,
        do: 'decideAppeal',
        by: 'jiwei-fc',
        outcome: 'changed',
        reasons: '经复查，申诉人系落实市重点工程部署、出于公心主动作为，采购经集体研究，损失经调剂已大幅减少，原决定偏离研判建议的理由不充分。变更为容错减责、从轻问责。',
        change: {
          outcome: 'reduced',
          reduction: 'lighter',
          measures: ['admonishment'],
          measureDetails: '予以诫勉。',
          toleranceOpinion: '符合第八条第（一）项情形，予以容错减责，从轻问责。',
          toleranceReasons: '在落实市重点工程中开拓进取、主动履职，采购决策经集体研究，出于公心，已积极调剂挽回大部分损失，依照第八条第（一）项、第十三条第（二）项予以从轻问责。',
        },
      },
      // The official's rank needs the higher authority's approval for the changed decision too (R7).
      { day: 72, do: 'approve', by: 'shiwei-sp', note: '同意申诉复查意见。' },
    ],
  },

  // 6. Under appeal. Applications from both the party organization and the official (R2), each answered.
  {
    key: 'dc-dongsi-demolition',
    official: 'han-mingzhe',
    startDaysAgo: 75,
    ends: 'under-appeal',
    steps: [
      { day: 0, do: 'open', by: 'dc-jiwei', title: '历史遗留违建拆除中告知程序不到位引发投诉问题', description: '东四街道在拆除胡同内一处存在二十余年的违法建设时，城市管理办公室主任韩明哲安排在书面告知送达次日即组织拆除，未给当事人留足自行拆除期限，当事人多次投诉。' },
      { day: 4, do: 'application', by: 'dangzhibu-dongsi', content: '该违建占用消防通道，居民反映强烈，韩明哲同志是为消除安全隐患、解决多年遗留问题，机关党支部认为符合第八条第（四）项情形，申请容错。' },
      { day: 6, do: 'statement', by: 'hanmingzhe', content: '违建堵住了消防通道，冬季用火风险大，我急于消除隐患，压缩了告知期限，这是我的失误。拆除后已主动上门沟通并协助当事人安置物品。' },
      { day: 7, do: 'application', by: 'hanmingzhe', content: '本人是为解决历史遗留的安全隐患，没有私心，事后积极补救，申请依照第八条第（四）项予以容错。' },
      {
        day: 20,
        do: 'assess',
        by: 'dc-jiwei',
        input: {
          situations: ['legacy-issues'],
          exclusions: NO_EXCLUSIONS,
          factors: { ...FAVOURABLE, 'procedure.compliance': 'irregular', 'procedure.collective': 'no', 'procedure.urgent': 'no', 'consequence.loss': 'some', 'consequence.reception': 'criticized' },
        },
        note: '解决历史遗留问题，出于公心、补救及时；但程序瑕疵引发投诉。',
        expect: 'reduced',
      },
      {
        day: 25,
        do: 'deliberate',
        by: 'dc-jiwei',
        present: ['dc-cy1', 'dc-cy2', 'dc-cy3', 'dc-cy4', 'dc-cy5'],
        accountabilityOpinion: '韩明哲同志压缩法定告知期限，程序违规，引发投诉，应当问责。',
        toleranceOpinion: '符合第八条第（四）项情形，予以容错减责，从轻问责。',
        proposedOutcome: 'reduced',
        answers: [
          '机关党支部申请所述消除消防隐患、解决历史遗留问题的情况属实，予以采纳。',
          '本人申请所述情况属实，认定符合第八条第（四）项情形；因程序问题引发投诉，不予免责，予以减责。',
        ],
      },
      {
        day: 28,
        do: 'decide',
        by: 'dc-jiwei',
        decision: {
          outcome: 'reduced',
          reduction: 'lighter',
          measures: ['admonishment'],
          measureDetails: '予以诫勉。',
          toleranceOpinion: '符合第八条第（四）项情形，予以从轻问责。',
          toleranceReasons: '为消除消防安全隐患、解决历史遗留问题，出于公心，事后补救及时，依照第八条第（四）项、第十三条第（二）项予以从轻问责。',
        },
        expectApproval: false,
      },
      { day: 52, do: 'serve', by: 'dc-jiwei', toOfficial: '已宣布处理决定，说明两份容错申请均已答复、予以容错减责的理由，并告知申诉权利。', toPartyOrg: '已向东四街道办事处机关党支部说明容错减责情况及对其申请的答复。' },
      { day: 66, do: 'appeal', by: 'hanmingzhe', grounds: '拆除前已有居民多次报警反映消防隐患，情况紧急，属于临机决断，请求改为容错免责。' },
    ],
  },

  // 7. Served, the appeal window still open.
  {
    key: 'xc-health-licensing',
    official: 'xia-chunsheng',
    startDaysAgo: 60,
    ends: 'served',
    steps: [
      { day: 0, do: 'open', by: 'xc-jiwei', title: '医疗机构执业校验中未按规定现场核查问题', description: '西城区卫生健康委医政医管科在年度医疗机构执业校验中，对部分诊所仅作书面审查即予通过，其中一家诊所存在超范围执业问题未被发现。科长夏春生负责该项工作。' },
      { day: 5, do: 'opinion', by: 'xc-jiwei', kind: 'statement', source: '夏春生（谈话笔录）', content: '校验任务集中、人手不足，我决定对往年无问题的诊所只做书面审查，没有报委里研究。' },
      { day: 8, do: 'opinion', by: 'xc-jiwei', kind: 'unit', source: '西城区卫生健康委', content: '校验工作规范明确要求现场核查，科室未请示即自行简化程序。' },
      {
        day: 30,
        do: 'assess',
        by: 'xc-jiwei',
        input: {
          situations: [],
          exclusions: NO_EXCLUSIONS,
          factors: { ...FAVOURABLE, 'motive.intent': null, 'conditions.task': 'routine', 'conditions.cause': 'reckless', 'procedure.compliance': 'irregular', 'procedure.collective': 'no', 'procedure.urgent': 'no', 'nature.severity': 'serious', 'consequence.reception': 'criticized', 'remedy.action': null, 'remedy.result': null },
        },
        note: '常规工作任务中擅自简化法定程序，不属于第八条所列情形。',
        expect: 'not_tolerated',
      },
      {
        day: 36,
        do: 'deliberate',
        by: 'xc-jiwei',
        present: ['xc-cy2', 'xc-cy3', 'xc-cy4', 'xc-cy5'],
        accountabilityOpinion: '夏春生同志在执行常规工作中擅自简化核查程序，应当问责。',
        toleranceOpinion: '不属于第八条所列任何情形，容错不适用，不予容错。',
        proposedOutcome: 'not_tolerated',
        answers: [],
      },
      {
        day: 40,
        do: 'decide',
        by: 'xc-jiwei',
        decision: { outcome: 'not_tolerated', measures: ['circulated-criticism'], measureDetails: '在全区卫生健康系统内通报。', toleranceOpinion: '不属于第八条所列容错情形，不予容错。', toleranceReasons: '' },
        expectApproval: false,
      },
      { day: 48, do: 'serve', by: 'xc-jiwei', toOfficial: '已宣布处理决定，说明本案不属于第八条所列容错情形，并告知申诉权利和期限。', toPartyOrg: EXPLAIN_PARTY_ORG },
    ],
  },

  // 8. Decided, exempt, in force at once (not yet served): an emergency, where the procedural flaw is offset.
  {
    key: 'dc-housing-flood',
    official: 'lyu-jianjun',
    startDaysAgo: 45,
    ends: 'decided',
    steps: [
      { day: 0, do: 'open', by: 'dc-jiwei', title: '汛期抢险中未经招标直接委托施工单位问题', description: '主汛期一场特大暴雨中，东城区住房城市建设委副主任吕建军在老旧平房区险情处置中，未经招标程序直接委托一家施工单位连夜排险加固，事后审计指出程序问题。' },
      { day: 4, do: 'opinion', by: 'dc-jiwei', kind: 'statement', source: '吕建军（谈话笔录）', content: '当晚有多处平房墙体开裂，随时可能倒塌，来不及走招标程序，我现场决定委托就近的施工单位，事后第二天补报了委党组。' },
      { day: 6, do: 'opinion', by: 'dc-jiwei', kind: 'society', source: '属地居民代表', content: '抢险及时，避免了人员伤亡，居民普遍认可。' },
      {
        day: 25,
        do: 'assess',
        by: 'dc-jiwei',
        input: {
          situations: ['emergency'],
          exclusions: NO_EXCLUSIONS,
          factors: { ...FAVOURABLE, 'procedure.compliance': 'irregular', 'procedure.collective': 'no', 'procedure.urgent': 'yes', 'consequence.loss': 'some' },
        },
        note: '处置突发事件中临机决断，程序瑕疵；补救及时，群众认可。',
        expect: 'exempt',
      },
      {
        day: 30,
        do: 'deliberate',
        by: 'dc-jiwei',
        present: ['dc-cy1', 'dc-cy2', 'dc-cy4', 'dc-cy5'],
        accountabilityOpinion: '吕建军同志在紧急情况下临机决断，程序瑕疵事出有因，不予问责。',
        toleranceOpinion: '符合第八条第（三）项情形，予以容错免责，视情况批评教育。',
        proposedOutcome: 'exempt',
        answers: [],
      },
      {
        day: 38,
        do: 'decide',
        by: 'dc-jiwei',
        decision: {
          outcome: 'exempt',
          measures: ['criticism-education'],
          measureDetails: '对事后补办程序不够及时予以批评教育。',
          toleranceOpinion: '符合第八条第（三）项情形，予以容错免责。',
          toleranceReasons: '在处置突发汛情中积极作为、临机决断，避免了人员伤亡，事后及时补报，依照第八条第（三）项、第十三条第（一）项予以容错免责。',
        },
        expectApproval: false,
      },
    ],
  },

  // 9. Awaiting approval: a bureau-level official's decision goes to the municipal committee (R7).
  {
    key: 'ndrc-commitment',
    official: 'hu-wentao',
    startDaysAgo: 50,
    ends: 'awaiting-approval',
    steps: [
      { day: 0, do: 'open', by: 'jiwei', title: '企业投资项目告知承诺制试点中审查把关不严问题', description: '市发展改革委在企业投资项目告知承诺制改革试点中，对部分项目的承诺事项事中事后核查不到位，两个项目开工后被发现不符合产业政策。分管副主任胡文涛负责试点工作。' },
      { day: 5, do: 'opinion', by: 'jiwei', kind: 'statement', source: '胡文涛（谈话笔录）', content: '告知承诺制是优化营商环境的改革举措，我们重在提速，事后核查机制设计得不够完善，我负有领导责任。' },
      { day: 9, do: 'opinion', by: 'jiwei', kind: 'unit', source: '市发展改革委', content: '涉事项目已责令停工整改，核查机制已修订完善。' },
      {
        day: 30,
        do: 'assess',
        by: 'jiwei',
        input: {
          situations: ['reform-pilot'],
          exclusions: NO_EXCLUSIONS,
          factors: { ...FAVOURABLE, 'procedure.collective': 'no', 'procedure.urgent': 'no', 'consequence.reception': 'criticized' },
        },
        note: '改革试点中出现偏差，核查机制未经集体研究，受到一定批评。',
        expect: 'reduced',
      },
      {
        day: 38,
        do: 'deliberate',
        by: 'jiwei',
        present: ['jiwei-cy1', 'jiwei-cy2', 'jiwei-cy3', 'jiwei-cy5'],
        accountabilityOpinion: '胡文涛同志对试点事中事后监管负有领导责任，应当问责。',
        toleranceOpinion: '符合第八条第（二）项情形，予以容错减责，从轻问责。',
        proposedOutcome: 'reduced',
        answers: [],
      },
      {
        day: 42,
        do: 'decide',
        by: 'jiwei',
        decision: {
          outcome: 'reduced',
          reduction: 'lighter',
          measures: ['admonishment'],
          measureDetails: '予以诫勉。',
          toleranceOpinion: '符合第八条第（二）项情形，予以从轻问责。',
          toleranceReasons: '在推进营商环境改革试点中先行先试、缺乏经验出现偏差，已完善核查机制，依照第八条第（二）项、第十三条第（二）项予以从轻问责。',
        },
        expectApproval: true,
      },
    ],
  },

  // 10. Deliberated, awaiting the decision: the official's own application, one member dissenting.
  {
    key: 'xc-desheng-elevator',
    official: 'peng-wenjing',
    startDaysAgo: 35,
    ends: 'deliberated',
    steps: [
      { day: 0, do: 'open', by: 'xc-jiwei', title: '老旧小区加装电梯项目公示期缩短问题', description: '德胜街道在推进老旧小区加装电梯工作中，分管副主任彭文静经街道工作例会研究，将两个单元的方案公示期由十个工作日缩短为七个工作日，个别居民以程序不合规为由投诉。' },
      { day: 5, do: 'statement', by: 'pengwenjing', content: '缩短公示期是为了赶在冬季施工停工前开工，经街道例会集体研究，公示期间没有收到反对意见。' },
      { day: 8, do: 'application', by: 'pengwenjing', content: '本人系为方便群众、提高效能，经集体研究，没有造成损失，申请依照第八条第（五）项予以容错。' },
      { day: 12, do: 'opinion', by: 'xc-jiwei', kind: 'society', source: '小区业主代表', content: '绝大多数业主支持尽快开工，电梯已投入使用，老人出行方便了很多。' },
      {
        day: 22,
        do: 'assess',
        by: 'xc-jiwei',
        input: {
          situations: ['service-procedure'],
          exclusions: NO_EXCLUSIONS,
          factors: { ...FAVOURABLE, 'procedure.compliance': 'irregular' },
        },
        note: '为方便群众出现程序瑕疵，经集体研究，群众认可。',
        expect: 'exempt',
      },
      {
        day: 30,
        do: 'deliberate',
        by: 'xc-jiwei',
        present: ['xc-cy1', 'xc-cy2', 'xc-cy3', 'xc-cy4'],
        dissent: [{ member: 'xc-cy3', opinion: 'reduced', comment: '缩短公示期虽经集体研究，但引发投诉，建议容错减责。' }],
        accountabilityOpinion: '彭文静同志缩短公示期存在程序瑕疵，事出有因，不予问责。',
        toleranceOpinion: '符合第八条第（五）项情形，拟予以容错免责。',
        proposedOutcome: 'exempt',
        answers: ['本人申请所述情况属实，认定符合第八条第（五）项情形，拟予以容错免责。'],
      },
    ],
  },

  // 11. Investigating, professional: the expert is invited and has not answered yet; a first, incomplete
  //     assessment is on file (the engine lists what is missing).
  {
    key: 'soe-insulation',
    official: 'xiao-liqun',
    startDaysAgo: 20,
    ends: 'investigating',
    steps: [
      { day: 0, do: 'open', by: 'jiwei', title: '安置房项目外墙保温材料抽检不合格问题', description: '青禾集团承建的某安置房项目，外墙保温材料在质量监督抽检中燃烧性能不合格，项目部经理萧立群负责材料进场验收。' },
      { day: 2, do: 'markProfessional', by: 'jiwei' },
      { day: 3, do: 'inviteExpert', by: 'jiwei', expert: 'zhuanjia', question: '进场验收程序是否符合规范要求？不合格是否能在进场验收环节发现？' },
      { day: 7, do: 'opinion', by: 'jiwei', kind: 'statement', source: '萧立群（谈话笔录）', content: '材料有合格证和型式检验报告，我们按规定见证取样送检，但送检结果出来前已部分施工。' },
      {
        day: 12,
        do: 'assess',
        by: 'jiwei',
        input: {
          situations: ['major-work'],
          exclusions: { 'political-discipline': false, 'improper-benefit': false },
          factors: { 'motive.purpose': 'public', 'motive.history': 'first', 'conditions.task': 'routine' },
        },
        note: '初步研判，待专家意见和整改情况明确后补充。',
        expect: 'reduced',
      },
    ],
  },

  // 12. Investigating: just opened.
  {
    key: 'dc-urban-hoarding',
    official: 'xu-zhenyu',
    startDaysAgo: 8,
    ends: 'investigating',
    steps: [
      { day: 0, do: 'open', by: 'dc-jiwei', title: '背街小巷整治工程施工围挡未按期拆除问题', description: '东城区城市管理委负责的背街小巷环境整治工程完工后，施工围挡超期一个多月未拆除，影响居民出行，市民热线多次反映。环境建设科副科长许振宇负责现场协调。' },
      { day: 3, do: 'opinion', by: 'dc-jiwei', kind: 'unit', source: '东城区城市管理委', content: '围挡已于接到转办后三日内拆除，正在核查超期原因。' },
    ],
  },
];
