import { ruleError } from '../cases/rules.js';
import type { FileStore } from '../files/store.js';
import { runCaseCommand, type CaseCommandProps } from './case-command.js';
import { issueMissingCaseDocuments } from './issue-document.js';
import { appendSealEvent, sealCaseFile } from './seal-case-file.js';

/**
 * Closes a case once its decision is served and the appeal window has passed, or its appeal is decided, and
 * seals its case file (R8): the documents the file must hold are issued if the organ has not yet done so, then
 * every document, evidence file and audit event is listed with its hash in a manifest whose own hash enters
 * the chain.
 */
export function closeCase(props: CaseCommandProps & { files: FileStore }) {
  return runCaseCommand(props, 'close', async ({ tx, now, actor, case: kase }) => {
    if (kase.state === 'served' && kase.appealDeadline && now <= kase.appealDeadline) {
      throw ruleError('R10', 'WINDOW_OPEN', `申诉期限未满（截止 ${kase.appealDeadline.toISOString().slice(0, 10)}），暂不能结案`, 'the appeal window is still open');
    }
    // The case file records the case as closed: the row is updated before it is read for sealing.
    await tx.updateTable('cases').set({ state: 'closed', closed_at: now }).where('id', '=', kase.id).execute();
    const documents = await issueMissingCaseDocuments(tx, { caseId: kase.id, organId: kase.organId, actor, files: props.files, now });
    const sealed = await sealCaseFile(tx, { caseId: kase.id, files: props.files, sealedBy: actor.userId, now });
    await appendSealEvent(tx, { caseId: kase.id, sealedBy: actor.userId, ...sealed }, { now: () => now });
    return {
      result: { manifestSha256: sealed.manifestSha256, documentsIssued: documents.map((d) => d.kind) },
      event: { type: 'case.closed', payload: { manifestSha256: sealed.manifestSha256 } },
      caseChanges: { state: 'closed', closed_at: now },
    };
  });
}
