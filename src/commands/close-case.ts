import { ruleError } from '../cases/rules.js';
import { runCaseCommand, type CaseCommandProps } from './case-command.js';

/** Closes a case once its decision is served and the appeal window has passed, or its appeal is decided. */
export function closeCase(props: CaseCommandProps) {
  return runCaseCommand(props, 'close', async ({ now, case: kase }) => {
    if (kase.state === 'served' && kase.appealDeadline && now <= kase.appealDeadline) {
      throw ruleError('R10', 'WINDOW_OPEN', `申诉期限未满（截止 ${kase.appealDeadline.toISOString().slice(0, 10)}），暂不能结案`, 'the appeal window is still open');
    }
    return { result: {}, event: { type: 'case.closed', payload: {} }, caseChanges: { state: 'closed', closed_at: now } };
  });
}
