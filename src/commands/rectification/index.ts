// Rectification commands (Art. 18, R12): one business transaction each, audited in the same transaction.
export { createCasePlan, createUnitPlan } from './create-plan.js';
export { addItems, type NewItem } from './add-items.js';
export { reportProgress } from './report-progress.js';
export { checkItem } from './check-item.js';
export { raiseOverdueReminders, sweepOverdue } from './overdue.js';
export { recordPoorRectification, NO_RECTIFICATION } from './record-poor-rectification.js';
export { enforceEstablishedExclusions, establishedExclusions } from './established-exclusions.js';
