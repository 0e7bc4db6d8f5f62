import type { AssessmentResult, Recommendation } from '../policy/index.js';
import { ruleError } from './rules.js';
import {
  ACCOUNTABILITY_MEASURE_IDS,
  MEASURES_ALLOWED_WITH_EXEMPTION,
  type AccountabilityMeasure,
  type ProcedureSettings,
} from './settings.js';
import { invalidInput, invalidState } from '../errors.js';

/**
 * The procedure of Art. 11–16 as states and the actions each allows. Pure: commands load the facts, ask here,
 * and write. Where a rule forbids an action in a state, the rule's error is thrown rather than a bare state error,
 * so the user learns which article stands in the way.
 */
export const CASE_STATES = {
  investigating: '调查核实',
  deliberated: '已集体研究',
  'awaiting-approval': '待上级审批',
  decided: '已作出决定',
  served: '已送达',
  'under-appeal': '申诉处理中',
  'appeal-decided': '申诉已处理',
  closed: '已结案',
} as const;
export type CaseState = keyof typeof CASE_STATES;

export type Outcome = Recommendation;
export const OUTCOMES: Record<Outcome | 'revoked', string> = {
  exempt: '容错免责',
  reduced: '容错减责',
  not_tolerated: '不予容错',
  revoked: '撤销问责',
};

export const CASE_ACTIONS = [
  'recordEvidence',
  'recordOpinion',
  'recordStatement',
  'submitApplication',
  'markProfessional',
  'inviteExpert',
  'recordExpertOpinion',
  'recordAssessment',
  'recordDeliberation',
  'decide',
  'approveDecision',
  'serve',
  'lodgeAppeal',
  'decideAppeal',
  'close',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

const BEFORE_DECISION: readonly CaseState[] = ['investigating', 'deliberated'];

/** Throws unless the action fits the state; rule-backed refusals name their rule. */
export function assertActionInState(action: CaseAction, state: CaseState): void {
  const stateLabel = CASE_STATES[state];
  switch (action) {
    case 'submitApplication':
      if (!BEFORE_DECISION.includes(state)) {
        throw ruleError('R2', 'AFTER_DECISION', '容错申请应当在作出处理决定前提出，本案已作出决定', 'tolerance applications are accepted only before the decision');
      }
      return;
    case 'recordEvidence':
    case 'recordOpinion':
    case 'recordStatement':
    case 'markProfessional':
    case 'inviteExpert':
    case 'recordExpertOpinion':
    case 'recordAssessment':
    case 'recordDeliberation':
      if (!BEFORE_DECISION.includes(state)) throw invalidState(`本案处于“${stateLabel}”阶段，调查核实已经结束`, `the investigation is over (state ${state})`);
      return;
    case 'decide':
      if (state === 'investigating') {
        throw ruleError('R4', 'NO_DELIBERATION', '未经集体研究，不得作出处理决定', 'no decision without a recorded collective deliberation');
      }
      if (state !== 'deliberated') throw invalidState(`本案处于“${stateLabel}”阶段，已作出决定`, `already decided (state ${state})`);
      return;
    case 'approveDecision':
      if (state !== 'awaiting-approval') throw invalidState(`本案处于“${stateLabel}”阶段，没有待审批的决定`, `no decision awaits approval (state ${state})`);
      return;
    case 'serve':
      if (state === 'awaiting-approval') {
        throw ruleError('R7', 'NOT_APPROVED', '处理决定尚待上级审批，未生效，不得送达', 'the decision awaits approval and is not in force');
      }
      if (state !== 'decided') throw invalidState(`本案处于“${stateLabel}”阶段，没有待送达的决定`, `no decision to serve (state ${state})`);
      return;
    case 'lodgeAppeal':
      if (state !== 'served') {
        throw ruleError('R10', 'NOT_APPEALABLE_NOW', state === 'under-appeal' || state === 'appeal-decided' ? '本案已提出申诉' : '处理决定送达后方可提出申诉', `an appeal can be lodged only once the decision is served (state ${state})`);
      }
      return;
    case 'decideAppeal':
      if (state !== 'under-appeal') throw invalidState(`本案处于“${stateLabel}”阶段，没有待处理的申诉`, `no appeal pending (state ${state})`);
      return;
    case 'close':
      if (state !== 'served' && state !== 'appeal-decided') throw invalidState(`本案处于“${stateLabel}”阶段，尚不能结案`, `the case cannot be closed in state ${state}`);
      return;
  }
}

export interface ProposedDecision {
  outcome: Outcome;
  reduction?: 'lighter' | 'mitigated' | null;
  measures: AccountabilityMeasure[];
  toleranceOpinion: string;
  toleranceReasons: string;
  departureReason?: string | null;
}

/**
 * The rules a decision (or an appeal's change of it) must satisfy against the current assessment:
 * R5 (exclusions settled, none established for exempt/reduced), R6 (a situation for exempt/reduced),
 * R8 (tolerance opinion merged in, reasons-and-basis separate), R15 (departure needs a reason), and the measures
 * Art. 13 allows with each outcome.
 */
export function checkDecision(decision: ProposedDecision, engine: AssessmentResult): void {
  const unsettled = engine.missing.filter((key) => key.startsWith('exclusions.'));
  if (unsettled.length > 0) {
    throw ruleError('R5', 'EXCLUSIONS_UNSETTLED', `第十条所列四种情形须逐项认定后方可作出决定，尚未认定：${unsettled.map((k) => k.slice('exclusions.'.length)).join('、')}`, `all four Art. 10 exclusions must be established before a decision; unsettled: ${unsettled.join(', ')}`);
  }
  const tolerated = decision.outcome === 'exempt' || decision.outcome === 'reduced';
  if (tolerated && engine.excludedBy.length > 0) {
    throw ruleError('R5', 'EXCLUSION', `存在不予容错情形（${engine.excludedBy.join('、')}），不得容错免责或者容错减责`, `an Art. 10 exclusion is established (${engine.excludedBy.join(', ')}): exempt or reduced is impossible`);
  }
  if (tolerated && engine.situations.length === 0) {
    throw ruleError('R6', 'NO_SITUATION', '未认定第八条所列任何容错情形，不得容错免责或者容错减责', 'no Art. 8 situation is established: exempt or reduced is impossible');
  }
  if (!decision.toleranceOpinion.trim()) {
    throw ruleError('R8', 'TOLERANCE_OPINION_MISSING', '容错意见应当并入处理决定，不能为空', 'the tolerance opinion must be part of the decision');
  }
  if (tolerated && !decision.toleranceReasons.trim()) {
    throw ruleError('R8', 'REASONS_MISSING', '容错免责或者减责的，容错理由和容错依据应当单独形成书面材料', 'exempt or reduced needs the separate written reasons and basis for tolerance');
  }
  if (decision.outcome !== engine.recommendation && !decision.departureReason?.trim()) {
    throw ruleError('R15', 'DEPARTURE_REASON', `决定（${decision.outcome}）与研判建议（${engine.recommendation}）不一致，应当写明理由`, `the decision departs from the recommendation (${engine.recommendation}) and must state why`);
  }
  checkMeasures(decision);
}

function checkMeasures(decision: ProposedDecision): void {
  const unknown = decision.measures.filter((m) => !ACCOUNTABILITY_MEASURE_IDS.includes(m));
  if (unknown.length > 0) throw invalidInput('measures', `未知的处理方式：${unknown.join('、')}`, `unknown measures: ${unknown.join(', ')}`, ACCOUNTABILITY_MEASURE_IDS);
  if (decision.outcome === 'exempt') {
    const notAllowed = decision.measures.filter((m) => !MEASURES_ALLOWED_WITH_EXEMPTION.includes(m));
    if (notAllowed.length > 0) {
      throw invalidInput('measures', '第十三条第（一）项：容错免责的，只可以视情况予以批评教育、责令检查', `exempt allows only criticism-education or ordered-self-examination, not ${notAllowed.join(', ')}`, MEASURES_ALLOWED_WITH_EXEMPTION);
    }
    if (decision.reduction) throw invalidInput('reduction', '容错免责不适用从轻或者减轻', 'reduction applies only to a reduced outcome');
    return;
  }
  if (decision.outcome === 'reduced' && !decision.reduction) {
    throw invalidInput('reduction', '第十三条第（二）项：容错减责的，应当写明从轻或者减轻', 'reduced needs lighter (从轻) or mitigated (减轻)', ['lighter', 'mitigated']);
  }
  if (decision.outcome === 'not_tolerated' && decision.reduction) throw invalidInput('reduction', '不予容错不适用从轻或者减轻', 'reduction applies only to a reduced outcome');
  const accountability = decision.measures.filter((m) => !MEASURES_ALLOWED_WITH_EXEMPTION.includes(m));
  if (accountability.length === 0) {
    throw invalidInput('measures', '问责追责的，应当写明问责方式（通报、诫勉、组织调整或者组织处理、纪律处分）', 'an accountability decision names at least one accountability measure', ACCOUNTABILITY_MEASURE_IDS);
  }
}

/** R7: whether a decision must go to the higher authority before it takes effect. */
export function requiresApproval(measures: readonly AccountabilityMeasure[], officialRank: string, settings: ProcedureSettings): boolean {
  return measures.some((m) => settings.measuresRequiringApproval.includes(m)) || settings.ranksRequiringApproval.includes(officialRank);
}

/** R10: decisions an official may appeal — not-tolerated, reduced, or any carrying an accountability measure. */
export function isAppealable(outcome: string, measures: readonly string[]): boolean {
  return outcome === 'not_tolerated' || outcome === 'reduced' || measures.some((m) => !MEASURES_ALLOWED_WITH_EXEMPTION.includes(m as AccountabilityMeasure));
}
