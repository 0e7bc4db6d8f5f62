import { forbidden, invalidInput } from '../errors.js';
import { runCaseCommand, type CaseCommandProps } from './case-command.js';
import { currentDecision } from './load-case-facts.js';

export interface ApproveDecisionProps extends CaseCommandProps {
  approve: boolean;
  /** Required when returning: what the organ must reconsider. */
  note?: string;
}

/**
 * The higher authority approves the decision, which then takes effect, or returns it to the organ, which
 * deliberates and decides again (R7). The returned version is kept.
 */
export function approveDecision(props: ApproveDecisionProps) {
  return runCaseCommand(props, 'approveDecision', async ({ tx, actor, now, case: kase }) => {
    const decision = await currentDecision(tx, kase.id);
    if (!decision || decision.approval_state !== 'pending') throw new Error(`case ${kase.id} awaits approval but has no pending decision`);
    if (decision.decided_by === actor.userId) throw forbidden('不能审批本人作出的决定', 'you cannot approve your own decision');
    if (!props.approve && !props.note?.trim()) throw invalidInput('note', '退回决定应当写明理由', 'returning a decision needs a reason');
    await tx
      .updateTable('decisions')
      .set(
        props.approve
          ? { approval_state: 'approved', approved_by: actor.userId, approved_at: now, approval_note: props.note ?? null, in_force: true }
          : { approval_state: 'returned', approved_by: actor.userId, approved_at: now, approval_note: props.note ?? null, current: false },
      )
      .where('id', '=', decision.id)
      .execute();
    return {
      result: { decisionId: decision.id, approved: props.approve },
      event: { type: props.approve ? 'case.decision-approved' : 'case.decision-returned', payload: { decisionId: decision.id, decisionVersion: decision.version } },
      caseChanges: props.approve ? { state: 'decided', outcome: decision.outcome } : { state: 'deliberated', decided_at: null },
    };
  });
}
