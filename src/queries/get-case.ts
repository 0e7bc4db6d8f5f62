import type { Actor } from '../access/actor.js';
import { canSee, findCaseRelations, mayTake, seesInternals, type CaseRelations } from '../access/case.js';
import { assertActionInState, CASE_ACTIONS, CASE_STATES, isAppealable, type CaseAction, type CaseState } from '../cases/procedure.js';
import type { Clock } from '../clock.js';
import { mayRevealIdentifiers } from '../commands/reveal-identifier.js';
import type { Db } from '../db/connect.js';
import type { ApplicationAnswer, MemberOpinion } from '../db/schema.js';
import { AppError, notFound } from '../errors.js';
import type { AssessmentResult } from '../policy/index.js';
import { loadCaseContent } from './case-content.js';

/** Whether the user may take an action now, and if not, why (the rule and article when a rule stands in the way). */
export interface Ability {
  allowed: boolean;
  reason?: string;
  code?: string;
  rule?: string;
  article?: string;
}
export type Abilities = Record<CaseAction, Ability>;

/**
 * One case as this user may see it, with the abilities the server computed for them. The official, the party
 * organization and an expert get only what Art. 15 (or the invitation) lets them see; internals (assessment,
 * deliberation, evidence, other parties' opinions) only go to staff of the organ and its superiors.
 */
export async function getCase(db: Db, actor: Actor, caseId: string, clock: Clock) {
  const row = await db
    .selectFrom('cases')
    .innerJoin('officials', 'officials.id', 'cases.official_id')
    .innerJoin('organizations as organ', 'organ.id', 'cases.organ_id')
    .innerJoin('organizations as unit', 'unit.id', 'officials.organization_id')
    .select([
      'cases.id',
      'cases.title',
      'cases.description',
      'cases.state',
      'cases.outcome',
      'cases.professional',
      'cases.sensitivity',
      'cases.policy_id',
      'cases.policy_version',
      'cases.opened_at',
      'cases.decided_at',
      'cases.served_at',
      'cases.appeal_deadline',
      'cases.closed_at',
      'cases.version',
      'cases.organ_id',
      'organ.name as organ_name',
      'officials.id as official_id',
      'officials.name as official_name',
      'officials.position as official_position',
      'officials.rank as official_rank',
      'officials.organization_id as official_organization_id',
      'officials.id_number_masked as official_id_number_masked',
      'officials.phone_masked as official_phone_masked',
      'unit.name as official_organization_name',
    ])
    .where('cases.id', '=', caseId)
    .executeTakeFirst();
  if (!row) throw notFound('案件');
  const relations = await findCaseRelations(db, actor, {
    caseId,
    organId: row.organ_id,
    officialId: row.official_id,
    officialOrganizationId: row.official_organization_id,
  });
  if (!canSee(relations)) throw notFound('案件');
  const internal = seesInternals(relations);
  // The official's identifiers, masked, for the organ's staff only; who manages the official may reveal them.
  const identifiers = internal
    ? { idNumber: row.official_id_number_masked, phone: row.official_phone_masked, revealable: await mayRevealIdentifiers(db, actor, row.official_id) }
    : null;

  const { opinions, applications, invitations, assessment, deliberations, decisions, services, appeals } = await loadCaseContent(db, caseId);

  const answers = new Map<string, string>();
  for (const deliberation of deliberations) {
    for (const a of deliberation.application_answers as unknown as ApplicationAnswer[]) answers.set(a.applicationId, a.answer);
  }
  const ownApplication = (a: (typeof applications)[number]) => internal || a.applicant_id === actor.userId;
  const myInvitation = invitations.find((i) => i.expert_id === actor.userId);
  // Outside staff see only decisions that took effect, never a draft awaiting approval or one returned.
  const effective = decisions.filter((d) => d.approval_state === 'approved' || d.approval_state === 'not-required');

  const data = {
    id: row.id,
    title: row.title,
    state: row.state as CaseState,
    stateLabel: CASE_STATES[row.state as CaseState],
    outcome: row.outcome,
    professional: row.professional,
    sensitivity: row.sensitivity,
    /** Whether this user labels the case (the handler conducting it). */
    sensitivityEditable: relations.handler,
    policy: { id: row.policy_id, version: row.policy_version },
    openedAt: row.opened_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
    servedAt: row.served_at?.toISOString() ?? null,
    appealDeadline: row.appeal_deadline?.toISOString() ?? null,
    closedAt: row.closed_at?.toISOString() ?? null,
    version: row.version,
    organ: { id: row.organ_id, name: row.organ_name },
    official: {
      id: row.official_id,
      name: row.official_name,
      position: row.official_position,
      rank: row.official_rank,
      organization: { id: row.official_organization_id, name: row.official_organization_name },
      identifiers,
    },
    description: internal || relations.official ? row.description : null,
    opinions: opinions
      .filter((o) => internal || (relations.official && o.kind === 'statement') || o.recorded_by === actor.userId)
      .map((o) => ({ id: o.id, kind: o.kind, source: o.source, content: o.content, recordedAt: o.recorded_at.toISOString() })),
    applications: applications.filter(ownApplication).map((a) => ({
      id: a.id,
      applicantKind: a.applicant_kind,
      content: a.content,
      submittedAt: a.submitted_at.toISOString(),
      // The answer is part of the tolerance opinion: the applicant learns it with the decision.
      answer: internal || decisions.some((d) => d.in_force) ? (answers.get(a.id) ?? null) : null,
    })),
    expertInvitations: (internal ? invitations : myInvitation ? [myInvitation] : []).map((i) => ({
      id: i.id,
      expertId: i.expert_id,
      expertName: i.expert_name,
      question: i.question,
      evidenceIds: i.evidence_ids,
      invitedAt: i.invited_at.toISOString(),
      answered: i.opinion_id !== null,
    })),
    assessment: internal && assessment
      ? { id: assessment.id, input: assessment.input, output: assessment.engine_output as unknown as AssessmentResult, policy: { id: assessment.policy_id, version: assessment.policy_version }, note: assessment.note, recordedAt: assessment.recorded_at.toISOString() }
      : null,
    deliberations: internal
      ? deliberations.map((d) => ({
          id: d.id,
          heldOn: d.held_on,
          memberCount: d.member_count,
          membersPresent: d.members_present,
          memberOpinions: d.member_opinions as unknown as MemberOpinion[],
          accountabilityOpinion: d.accountability_opinion,
          toleranceOpinion: d.tolerance_opinion,
          proposedOutcome: d.proposed_outcome,
          applicationAnswers: d.application_answers as unknown as ApplicationAnswer[],
          departureReason: d.departure_reason,
          recordedAt: d.recorded_at.toISOString(),
        }))
      : [],
    decisions: (internal ? decisions : effective).map((d) => ({
      id: d.id,
      version: d.version,
      source: d.source,
      outcome: d.outcome,
      reduction: d.reduction,
      measures: d.measures,
      measureDetails: d.measure_details,
      toleranceOpinion: d.tolerance_opinion,
      toleranceReasons: internal ? d.tolerance_reasons : null,
      departureReason: internal ? d.departure_reason : null,
      approvalState: d.approval_state,
      approvalNote: internal ? d.approval_note : null,
      current: d.current,
      inForce: d.in_force,
      decidedAt: d.decided_at.toISOString(),
    })),
    services: services.map((s) => ({
      id: s.id,
      decisionId: s.decision_id,
      servedAt: s.served_at.toISOString(),
      explanationToOfficial: internal || relations.official ? s.explanation_to_official : null,
      explanationToPartyOrg: internal || relations.partyOrganization ? s.explanation_to_party_org : null,
    })),
    appeals: (internal || relations.official ? appeals : []).map((a) => ({
      id: a.id,
      decisionId: a.decision_id,
      grounds: a.grounds,
      lodgedAt: a.lodged_at.toISOString(),
      dueAt: a.due_at.toISOString(),
      outcome: a.outcome,
      reasons: a.reasons,
      decidedAt: a.decided_at?.toISOString() ?? null,
      newDecisionId: a.new_decision_id,
    })),
  };

  const current = decisions.find((d) => d.current);
  const participants = new Set<string | null>([current?.decided_by ?? null, current?.approved_by ?? null]);
  const deliberationOfCurrent = deliberations.find((d) => d.id === current?.deliberation_id);
  for (const id of deliberationOfCurrent?.members_present ?? []) participants.add(id);
  participants.add(deliberationOfCurrent?.recorded_by ?? null);
  const abilities = computeAbilities(relations, row.state as CaseState, {
    now: clock.now(),
    hasStatement: opinions.some((o) => o.kind === 'statement'),
    needsExpert: row.professional && !opinions.some((o) => o.kind === 'expert'),
    hasAssessment: assessment !== undefined,
    appealDeadline: row.appeal_deadline,
    appealable: current ? isAppealable(current.outcome, current.measures) : false,
    isParticipant: participants.has(actor.userId),
    decidedByMe: current?.decided_by === actor.userId,
    expertAnswered: myInvitation ? myInvitation.opinion_id !== null : true,
  });
  return { data, abilities, relations };
}

interface AbilityFacts {
  now: Date;
  hasStatement: boolean;
  needsExpert: boolean;
  hasAssessment: boolean;
  appealDeadline: Date | null;
  appealable: boolean;
  isParticipant: boolean;
  decidedByMe: boolean;
  expertAnswered: boolean;
}

const denied = (reason: string, extra: Omit<Ability, 'allowed' | 'reason'> = {}): Ability => ({ allowed: false, reason, ...extra });
const fromError = (error: AppError): Ability =>
  denied(error.message, { code: error.code, ...(error.rule ? { rule: error.rule } : {}), ...(error.article ? { article: error.article } : {}) });

/** The same checks the commands make first (role, step), plus the cheap rule checks a button should explain. */
export function computeAbilities(relations: CaseRelations, state: CaseState, facts: AbilityFacts): Abilities {
  const abilities = {} as Abilities;
  for (const action of CASE_ACTIONS) {
    if (!mayTake(relations, action)) {
      abilities[action] = denied('您在本案中没有此项操作的权限', { code: 'FORBIDDEN' });
      continue;
    }
    try {
      assertActionInState(action, state);
    } catch (error) {
      if (error instanceof AppError) {
        abilities[action] = fromError(error);
        continue;
      }
      throw error;
    }
    abilities[action] = { allowed: true };
  }
  const refine = (action: CaseAction, ability: Ability | undefined) => {
    if (ability && abilities[action].allowed) abilities[action] = ability;
  };
  refine('recordDeliberation', !facts.hasAssessment ? denied('第十一条：集体研究前应当记录容错研判', { code: 'RULE_R1_NO_ASSESSMENT', rule: 'R1', article: '第十一条' }) : undefined);
  refine('recordDeliberation', !facts.hasStatement ? denied('第十二条：本人陈述申辩记录在案后方可集体研究', { code: 'RULE_R3_NO_STATEMENT', rule: 'R3', article: '第十二条' }) : undefined);
  refine('recordDeliberation', facts.needsExpert ? denied('第十二条：涉及专业性或者技术性问题的，应当先听取专家意见', { code: 'RULE_R3_NO_EXPERT_OPINION', rule: 'R3', article: '第十二条' }) : undefined);
  refine('lodgeAppeal', !facts.appealable ? denied('第十六条：容错免责且未予问责的决定不属于申诉范围', { code: 'RULE_R10_NOT_APPEALABLE', rule: 'R10', article: '第十六条' }) : undefined);
  refine('lodgeAppeal', facts.appealDeadline && facts.now > facts.appealDeadline ? denied('第十六条：申诉期限已过', { code: 'RULE_R10_WINDOW_CLOSED', rule: 'R10', article: '第十六条' }) : undefined);
  refine('decideAppeal', facts.isParticipant ? denied('第十六条：参与原处理决定的人员不得处理对该决定的申诉', { code: 'RULE_R10_PARTICIPANT', rule: 'R10', article: '第十六条' }) : undefined);
  refine('close', state === 'served' && facts.appealDeadline && facts.now <= facts.appealDeadline ? denied('第十六条：申诉期限未满，暂不能结案', { code: 'RULE_R10_WINDOW_OPEN', rule: 'R10', article: '第十六条' }) : undefined);
  refine('approveDecision', facts.decidedByMe ? denied('不能审批本人作出的决定', { code: 'FORBIDDEN' }) : undefined);
  refine('recordExpertOpinion', facts.expertAnswered ? denied('您已提交专家意见', { code: 'ALREADY_ANSWERED' }) : undefined);
  return abilities;
}
