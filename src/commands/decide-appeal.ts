import { recordDigest } from '../audit/digest.js';
import { checkDecision, requiresApproval, type ProposedDecision } from '../cases/procedure.js';
import { ruleError } from '../cases/rules.js';
import { invalidInput } from '../errors.js';
import { runCaseCommand, type CaseCommandProps } from './case-command.js';
import { currentDecision, enterInOfficialFiles, latestAssessment } from './load-case-facts.js';

export type AppealOutcome = 'upheld' | 'changed' | 'revoked';

export interface DecideAppealProps extends CaseCommandProps {
  outcome: AppealOutcome;
  reasons: string;
  /** For `changed`: the decision as changed. */
  change?: ProposedDecision & { measureDetails?: string };
}

/**
 * Decides an appeal (R10): upheld, changed or revoked. Every outcome makes a new version of the decision and
 * keeps the old one. Nobody who took part in the original decision — who decided, approved, minuted or sat in
 * its deliberation — may decide its appeal.
 */
export function decideAppeal(props: DecideAppealProps) {
  return runCaseCommand(props, 'decideAppeal', async ({ tx, actor, now, case: kase, settings }) => {
    const original = await currentDecision(tx, kase.id);
    const appeal = await tx.selectFrom('appeals').selectAll().where('case_id', '=', kase.id).where('outcome', 'is', null).executeTakeFirst();
    if (!original || !appeal) throw new Error(`case ${kase.id} is under appeal without a decision or an open appeal`);
    const deliberation = original.deliberation_id
      ? await tx.selectFrom('deliberations').select(['members_present', 'recorded_by']).where('id', '=', original.deliberation_id).executeTakeFirst()
      : undefined;
    const participants = new Set([original.decided_by, original.approved_by, deliberation?.recorded_by, ...(deliberation?.members_present ?? [])]);
    if (participants.has(actor.userId)) {
      throw ruleError('R10', 'PARTICIPANT', '参与原处理决定的人员不得处理对该决定的申诉', 'someone who took part in the original decision cannot decide its appeal', 403);
    }
    if (!props.reasons.trim()) throw invalidInput('reasons', '请写明申诉处理理由', 'state the reasons for the appeal decision');

    let next: ProposedDecision & { measureDetails?: string };
    if (props.outcome === 'changed') {
      if (!props.change) throw invalidInput('change', '变更决定的，应当写明变更后的决定', 'a changed outcome needs the changed decision');
      const assessment = await latestAssessment(tx, kase.id);
      if (!assessment) throw new Error(`case ${kase.id} has a decision but no assessment`);
      checkDecision(props.change, assessment.output);
      next = props.change;
    } else {
      next = {
        outcome: original.outcome as ProposedDecision['outcome'],
        reduction: original.reduction as ProposedDecision['reduction'],
        measures: original.measures as ProposedDecision['measures'],
        measureDetails: original.measure_details,
        toleranceOpinion: original.tolerance_opinion,
        toleranceReasons: original.tolerance_reasons,
        departureReason: original.departure_reason,
      };
    }
    const revoked = props.outcome === 'revoked';
    // R7 binds a changed decision too: it waits for the higher authority, and the appealed one stays in force.
    const needsApproval = props.outcome === 'changed' && requiresApproval(next.measures, kase.official.rank, settings);
    await tx.updateTable('decisions').set({ current: false, in_force: needsApproval }).where('id', '=', original.id).execute();
    const decision = await tx
      .insertInto('decisions')
      .values({
        case_id: kase.id,
        version: original.version + 1,
        source: 'appeal',
        outcome: revoked ? 'revoked' : next.outcome,
        reduction: !revoked && next.outcome === 'reduced' ? (next.reduction ?? null) : null,
        measures: revoked ? [] : next.measures,
        measure_details: revoked ? '' : (next.measureDetails ?? ''),
        tolerance_opinion: next.toleranceOpinion,
        tolerance_reasons: next.toleranceReasons,
        departure_reason: next.departureReason ?? null,
        deliberation_id: original.deliberation_id,
        approval_state: needsApproval ? 'pending' : 'not-required',
        approved_by: null,
        approved_at: null,
        approval_note: null,
        current: true,
        in_force: !needsApproval,
        decided_by: actor.userId,
        decided_at: now,
      })
      .returning(['id', 'version', 'outcome'])
      .executeTakeFirstOrThrow();
    if (!needsApproval) await enterInOfficialFiles(tx, { caseId: kase.id, officialId: kase.officialId, decision, now });
    await tx.updateTable('appeals').set({ outcome: props.outcome, reasons: props.reasons, decided_by: actor.userId, decided_at: now, new_decision_id: decision.id }).where('id', '=', appeal.id).execute();
    return {
      result: { appealId: appeal.id, decisionId: decision.id, decisionVersion: decision.version, requiresApproval: needsApproval },
      event: {
        type: 'case.appeal-decided',
        payload: { appealId: appeal.id, outcome: props.outcome, previousDecisionId: original.id, decisionId: decision.id, decisionVersion: decision.version, decisionOutcome: decision.outcome, requiresApproval: needsApproval, overdue: now > appeal.due_at, recordHash: recordDigest({ reasons: props.reasons, change: props.change ?? null }) },
      },
      caseChanges: needsApproval ? { state: 'awaiting-approval' } : { state: 'appeal-decided', outcome: decision.outcome },
    };
  });
}
