import { recordDigest } from '../audit/digest.js';
import { invalidInput } from '../errors.js';
import { runCaseCommand, type CaseCommandProps } from './case-command.js';

export interface SubmitApplicationProps extends CaseCommandProps {
  /** The written application (书面容错申请). */
  content: string;
}

/**
 * A written tolerance application (Art. 11 ¶2, R2): only from the official or their party organization, only
 * in writing, only before the decision (the step check refuses it afterwards). Each must later be answered in
 * the tolerance opinion.
 */
export function submitApplication(props: SubmitApplicationProps) {
  return runCaseCommand(props, 'submitApplication', async ({ tx, actor, now, relations, case: kase }) => {
    if (!props.content.trim()) throw invalidInput('content', '容错申请应当以书面形式提出，内容不能为空', 'the application must be written');
    // The official applying for themselves takes precedence when one account holds both relations.
    const kind = relations.official ? 'official' : 'party-organization';
    const application = await tx
      .insertInto('applications')
      .values({
        case_id: props.caseId,
        applicant_kind: kind,
        applicant_id: actor.userId,
        party_org_id: kind === 'party-organization' ? kase.official.organizationId : null,
        content: props.content,
        submitted_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return {
      result: { id: application.id },
      event: { type: 'case.application-submitted', payload: { applicationId: application.id, applicantKind: kind, recordHash: recordDigest({ content: props.content }) } },
    };
  });
}
