import { recordDigest } from '../audit/digest.js';
import { isAppealable } from '../cases/procedure.js';
import { ruleError } from '../cases/rules.js';
import { addMonths } from '../cases/settings.js';
import { invalidInput } from '../errors.js';
import { runCaseCommand, type CaseCommandProps } from './case-command.js';
import { currentDecision } from './load-case-facts.js';

/**
 * The official appeals (Art. 16, R10) a not-tolerated, reduced or other accountability decision, within the
 * appeal window after service. The decision stays in force while the appeal is handled.
 */
export function lodgeAppeal(props: CaseCommandProps & { grounds: string }) {
  return runCaseCommand(props, 'lodgeAppeal', async ({ tx, actor, now, case: kase, settings }) => {
    const decision = await currentDecision(tx, kase.id);
    if (!decision || !isAppealable(decision.outcome, decision.measures)) {
      throw ruleError('R10', 'NOT_APPEALABLE', '容错免责且未予问责的决定不属于申诉范围', 'an exemption without accountability measures cannot be appealed');
    }
    if (!kase.appealDeadline || now > kase.appealDeadline) {
      throw ruleError('R10', 'WINDOW_CLOSED', `申诉期限已过（截止 ${kase.appealDeadline?.toISOString().slice(0, 10) ?? '—'}）`, 'the appeal window has closed');
    }
    if (!props.grounds.trim()) throw invalidInput('grounds', '请写明申诉理由', 'state the grounds of the appeal');
    const dueAt = addMonths(now, settings.appealHandlingMonths);
    const appeal = await tx
      .insertInto('appeals')
      .values({ case_id: kase.id, decision_id: decision.id, grounds: props.grounds, lodged_by: actor.userId, lodged_at: now, due_at: dueAt, outcome: null, reasons: null, decided_by: null, decided_at: null, new_decision_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return {
      result: { id: appeal.id, dueAt },
      event: { type: 'case.appeal-lodged', payload: { appealId: appeal.id, decisionId: decision.id, dueAt: dueAt.toISOString(), recordHash: recordDigest({ grounds: props.grounds }) } },
      caseChanges: { state: 'under-appeal' },
    };
  });
}
