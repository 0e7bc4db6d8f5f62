import { forbidden, invalidInput } from '../errors.js';
import { runCaseCommand, type CaseCommandProps } from './case-command.js';
import { currentDecision, enterInOfficialFiles } from './load-case-facts.js';

export interface ApproveDecisionProps extends CaseCommandProps {
  approve: boolean;
  /** Required when returning: what the organ must reconsider. */
  note?: string;
}

/**
 * The higher authority approves the decision, which then takes effect, or returns it (R7). A returned original
 * decision sends the organ back to deliberate and decide again; a returned change made on appeal reopens the
 * appeal while the appealed decision stays in force. The returned version is kept either way.
 */
export function approveDecision(props: ApproveDecisionProps) {
  return runCaseCommand(props, 'approveDecision', async ({ tx, actor, now, case: kase }) => {
    const decision = await currentDecision(tx, kase.id);
    if (!decision || decision.approval_state !== 'pending') throw new Error(`case ${kase.id} awaits approval but has no pending decision`);
    if (decision.decided_by === actor.userId) throw forbidden('不能审批本人作出的决定', 'you cannot approve your own decision');
    if (!props.approve && !props.note?.trim()) throw invalidInput('note', '退回决定应当写明理由', 'returning a decision needs a reason');
    const fromAppeal = decision.source === 'appeal';
    if (props.approve) {
      await tx
        .updateTable('decisions')
        .set({ approval_state: 'approved', approved_by: actor.userId, approved_at: now, approval_note: props.note ?? null, in_force: true })
        .where('id', '=', decision.id)
        .execute();
      // A version changed on appeal replaces the appealed one only now, in the official's files too.
      await tx.updateTable('decisions').set({ in_force: false }).where('case_id', '=', kase.id).where('id', '!=', decision.id).execute();
      if (fromAppeal) await enterInOfficialFiles(tx, { caseId: kase.id, officialId: kase.officialId, decision, now });
    } else {
      await tx
        .updateTable('decisions')
        .set({ approval_state: 'returned', approved_by: actor.userId, approved_at: now, approval_note: props.note ?? null, current: false })
        .where('id', '=', decision.id)
        .execute();
      if (fromAppeal) {
        // The appealed version, still in force, is current again and the appeal is reopened for a new decision.
        await tx.updateTable('decisions').set({ current: true }).where('case_id', '=', kase.id).where('in_force', '=', true).execute();
        await tx.updateTable('appeals').set({ outcome: null, reasons: null, decided_by: null, decided_at: null, new_decision_id: null }).where('new_decision_id', '=', decision.id).execute();
      }
    }
    return {
      result: { decisionId: decision.id, approved: props.approve },
      event: { type: props.approve ? 'case.decision-approved' : 'case.decision-returned', payload: { decisionId: decision.id, decisionVersion: decision.version, fromAppeal } },
      caseChanges: props.approve
        ? { state: fromAppeal ? 'appeal-decided' : 'decided', outcome: decision.outcome }
        : fromAppeal
          ? { state: 'under-appeal' }
          : { state: 'deliberated', decided_at: null },
    };
  });
}
