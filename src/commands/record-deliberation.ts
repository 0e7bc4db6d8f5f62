import { recordDigest } from '../audit/digest.js';
import type { Outcome } from '../cases/procedure.js';
import { ruleError } from '../cases/rules.js';
import type { ApplicationAnswer, MemberOpinion } from '../db/schema.js';
import { invalidInput } from '../errors.js';
import { runCaseCommand, type CaseCommandProps } from './case-command.js';
import { applicationIds, latestAssessment } from './load-case-facts.js';

export interface RecordDeliberationProps extends CaseCommandProps {
  heldOn: string;
  membersPresent: string[];
  memberOpinions: MemberOpinion[];
  accountabilityOpinion: string;
  /** The tolerance opinion (容错意见), even when it is "not applicable" — with reasons (R1). */
  toleranceOpinion: string;
  proposedOutcome: Outcome;
  applicationAnswers: ApplicationAnswer[];
  departureReason?: string | null;
}

/**
 * The collective deliberation (Art. 13) as minuted. Guards, in the order a user meets them: the tolerance
 * examination was done (R1), the official was heard and experts were where needed (R3), a quorum of the organ's
 * members attended (R4), the tolerance opinion answers every application (R2), a binding recommendation is not
 * overridden (R5/R6), and a departure from the recommendation says why (R15).
 */
export function recordDeliberation(props: RecordDeliberationProps) {
  return runCaseCommand(props, 'recordDeliberation', async ({ tx, actor, now, case: kase }) => {
    const assessment = await latestAssessment(tx, kase.id);
    if (!assessment) {
      throw ruleError('R1', 'NO_ASSESSMENT', '集体研究前应当对是否具备容错情形进行考察（尚未记录容错研判）', 'the tolerance examination (assessment) must be recorded before deliberation');
    }
    const opinions = await tx.selectFrom('opinions').select('kind').where('case_id', '=', kase.id).execute();
    if (!opinions.some((o) => o.kind === 'statement')) {
      throw ruleError('R3', 'NO_STATEMENT', '应当充分听取责任追究对象的意见，本人陈述申辩记录在案后方可集体研究', "the official's statement must be on file before deliberation");
    }
    if (kase.professional && !opinions.some((o) => o.kind === 'expert')) {
      throw ruleError('R3', 'NO_EXPERT_OPINION', '本案涉及专业性或者技术性问题，应当听取专家意见后方可集体研究', 'a professional/technical case needs at least one expert opinion before deliberation');
    }

    const members = await tx
      .selectFrom('user_roles')
      .innerJoin('users', 'users.id', 'user_roles.user_id')
      .select('users.id')
      .where('user_roles.role', '=', 'deliberation-member')
      .where('user_roles.organization_id', '=', kase.organId)
      .where('users.disabled_at', 'is', null)
      .execute();
    const memberIds = new Set(members.map((m) => m.id));
    const present = [...new Set(props.membersPresent)];
    const strangers = present.filter((id) => !memberIds.has(id));
    if (strangers.length > 0) throw invalidInput('membersPresent', `以下人员不是本机关集体研究成员：${strangers.join('、')}`, `not members of the organ's collective body: ${strangers.join(', ')}`);
    // Quorum: more than half of the members (R4).
    if (memberIds.size === 0 || present.length * 2 <= memberIds.size) {
      throw ruleError('R4', 'NO_QUORUM', `集体研究应当有过半数成员到会（成员 ${memberIds.size} 人，到会 ${present.length} 人）`, `quorum not met: ${present.length} of ${memberIds.size} members present`);
    }
    const opinionBy = new Map(props.memberOpinions.map((o) => [o.memberId, o]));
    const silent = present.filter((id) => !opinionBy.has(id));
    const absentVoices = props.memberOpinions.filter((o) => !present.includes(o.memberId)).map((o) => o.memberId);
    if (silent.length > 0) throw invalidInput('memberOpinions', '应当记录每位到会成员的意见', `record each present member's opinion; missing: ${silent.join(', ')}`);
    if (absentVoices.length > 0) throw invalidInput('memberOpinions', '只能记录到会成员的意见', `opinions from members not present: ${absentVoices.join(', ')}`);

    if (!props.toleranceOpinion.trim()) {
      throw ruleError('R1', 'NO_TOLERANCE_OPINION', '集体研究应当对是否符合容错条件提出容错意见，不适用的也应当写明理由', 'the deliberation must give a tolerance opinion, even "not applicable" with reasons');
    }
    const applications = await applicationIds(tx, kase.id);
    const answered = new Set(props.applicationAnswers.filter((a) => a.answer.trim()).map((a) => a.applicationId));
    const unanswered = applications.filter((id) => !answered.has(id));
    if (unanswered.length > 0) {
      throw ruleError('R2', 'UNANSWERED', `容错意见应当逐一答复容错申请，尚未答复 ${unanswered.length} 份`, `every tolerance application must be answered: ${unanswered.join(', ')}`);
    }
    const foreign = [...answered].filter((id) => !applications.includes(id));
    if (foreign.length > 0) throw invalidInput('applicationAnswers', '答复的申请不属于本案', `answers to applications not in this case: ${foreign.join(', ')}`);

    const engine = assessment.output;
    if (engine.binding && props.proposedOutcome !== 'not_tolerated') {
      throw engine.excludedBy.length > 0
        ? ruleError('R5', 'EXCLUSION', `存在不予容错情形（${engine.excludedBy.join('、')}），集体研究不得提出容错免责或者减责`, 'an Art. 10 exclusion is established: the deliberation cannot propose exempt or reduced')
        : ruleError('R6', 'NO_SITUATION', '未认定第八条所列任何容错情形，集体研究不得提出容错免责或者减责', 'no Art. 8 situation: the deliberation cannot propose exempt or reduced');
    }
    if (props.proposedOutcome !== engine.recommendation && !props.departureReason?.trim()) {
      throw ruleError('R15', 'DEPARTURE_REASON', `集体研究意见（${props.proposedOutcome}）与研判建议（${engine.recommendation}）不一致，应当写明理由`, `the deliberation departs from the recommendation (${engine.recommendation}) and must state why`);
    }

    const deliberation = await tx
      .insertInto('deliberations')
      .values({
        case_id: kase.id,
        held_on: props.heldOn,
        member_count: memberIds.size,
        members_present: present,
        member_opinions: JSON.stringify(props.memberOpinions),
        accountability_opinion: props.accountabilityOpinion,
        tolerance_opinion: props.toleranceOpinion,
        proposed_outcome: props.proposedOutcome,
        application_answers: JSON.stringify(props.applicationAnswers),
        assessment_id: assessment.id,
        departure_reason: props.departureReason?.trim() || null,
        recorded_by: actor.userId,
        recorded_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const departs = props.proposedOutcome !== engine.recommendation;
    return {
      result: { id: deliberation.id },
      event: {
        type: 'case.deliberation-recorded',
        payload: {
          deliberationId: deliberation.id,
          memberCount: memberIds.size,
          present: present.length,
          proposedOutcome: props.proposedOutcome,
          recommendation: engine.recommendation,
          departs,
          recordHash: recordDigest({
            heldOn: props.heldOn,
            membersPresent: present,
            memberOpinions: props.memberOpinions,
            accountabilityOpinion: props.accountabilityOpinion,
            toleranceOpinion: props.toleranceOpinion,
            applicationAnswers: props.applicationAnswers,
            departureReason: props.departureReason ?? null,
          }),
        },
      },
      caseChanges: { state: 'deliberated' },
    };
  });
}
