import { recordDigest } from '../audit/digest.js';
import { checkDecision, requiresApproval, type ProposedDecision } from '../cases/procedure.js';
import { ruleError } from '../cases/rules.js';
import { runCaseCommand, type CaseCommandProps } from './case-command.js';
import { applicationIds, latestAssessment, latestDeliberation } from './load-case-facts.js';

export interface DecideProps extends CaseCommandProps, ProposedDecision {
  measureDetails?: string;
}

/**
 * The decision (Art. 13): exempt, reduced (从轻 or 减轻) or not tolerated, with the tolerance opinion merged in
 * and the reasons and basis for tolerance kept separately (Art. 14). Needs a deliberation with quorum (R4,
 * enforced by the step), every application answered (R2), the rules of checkDecision (R5, R6, R8, R15), and
 * waits for the higher authority when the measure or the official's rank requires it (R7).
 */
export function decide(props: DecideProps) {
  return runCaseCommand(props, 'decide', async ({ tx, actor, now, case: kase, settings }) => {
    const deliberation = await latestDeliberation(tx, kase.id);
    if (!deliberation) throw ruleError('R4', 'NO_DELIBERATION', '未经集体研究，不得作出处理决定', 'no decision without a recorded collective deliberation');
    const answered = new Set(deliberation.application_answers.map((a) => a.applicationId));
    const unanswered = (await applicationIds(tx, kase.id)).filter((id) => !answered.has(id));
    if (unanswered.length > 0) {
      throw ruleError('R2', 'UNANSWERED', `有 ${unanswered.length} 份容错申请在集体研究后提出，尚未在容错意见中答复，请重新集体研究`, `applications submitted after the deliberation are unanswered: ${unanswered.join(', ')}`);
    }
    const assessment = await latestAssessment(tx, kase.id);
    if (!assessment) throw ruleError('R1', 'NO_ASSESSMENT', '尚未记录容错研判', 'no assessment recorded');
    // The decision rests on what the members saw: a newer assessment needs a new deliberation.
    if (assessment.id !== deliberation.assessment_id) {
      throw ruleError('R4', 'ASSESSMENT_CHANGED', '集体研究后容错研判有更新，应当重新集体研究后再作出决定', 'the assessment changed after the deliberation; deliberate again before deciding');
    }
    checkDecision(props, assessment.output);
    // Art. 13: the collective deliberation decides; a different outcome needs the members to deliberate again.
    if (props.outcome !== deliberation.proposed_outcome) {
      throw ruleError('R4', 'DIFFERS_FROM_DELIBERATION', `处理决定（${props.outcome}）应当与集体研究意见（${deliberation.proposed_outcome}）一致，如需改变应当重新集体研究`, `the decision (${props.outcome}) must follow the deliberation (${deliberation.proposed_outcome}); deliberate again to change it`);
    }

    const needsApproval = requiresApproval(props.measures, kase.official.rank, settings);
    const previous = await tx.selectFrom('decisions').select(({ fn }) => fn.max('version').as('v')).where('case_id', '=', kase.id).executeTakeFirst();
    const version = (previous?.v ?? 0) + 1;
    const departs = props.outcome !== assessment.output.recommendation;
    const decision = await tx
      .insertInto('decisions')
      .values({
        case_id: kase.id,
        version,
        source: 'original',
        outcome: props.outcome,
        reduction: props.outcome === 'reduced' ? (props.reduction ?? null) : null,
        measures: props.measures,
        measure_details: props.measureDetails ?? '',
        tolerance_opinion: props.toleranceOpinion,
        tolerance_reasons: props.toleranceReasons,
        departure_reason: departs ? (props.departureReason?.trim() ?? null) : null,
        deliberation_id: deliberation.id,
        approval_state: needsApproval ? 'pending' : 'not-required',
        approved_by: null,
        approved_at: null,
        approval_note: null,
        current: true,
        in_force: !needsApproval,
        decided_by: actor.userId,
        decided_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return {
      result: { id: decision.id, decisionVersion: version, requiresApproval: needsApproval },
      event: {
        type: 'case.decided',
        payload: {
          decisionId: decision.id,
          decisionVersion: version,
          outcome: props.outcome,
          reduction: props.reduction ?? null,
          measures: props.measures,
          recommendation: assessment.output.recommendation,
          departs,
          requiresApproval: needsApproval,
          recordHash: recordDigest({ toleranceOpinion: props.toleranceOpinion, toleranceReasons: props.toleranceReasons, measureDetails: props.measureDetails ?? '', departureReason: props.departureReason ?? null }),
        },
      },
      caseChanges: needsApproval ? { state: 'awaiting-approval', decided_at: now } : { state: 'decided', outcome: props.outcome, decided_at: now },
    };
  });
}
