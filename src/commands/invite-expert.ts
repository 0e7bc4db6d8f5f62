import { recordDigest } from '../audit/digest.js';
import { invalidInput } from '../errors.js';
import { runCaseCommand, type CaseCommandProps } from './case-command.js';

/** Marks a case as involving a professional or technical question (Art. 12 ¶2): R3 then needs an expert opinion. */
export function markProfessional(props: CaseCommandProps & { professional: boolean }) {
  return runCaseCommand(props, 'markProfessional', async () => ({
    result: { professional: props.professional },
    event: { type: 'case.marked-professional', payload: { professional: props.professional } },
    caseChanges: { professional: props.professional },
  }));
}

export interface InviteExpertProps extends CaseCommandProps {
  expertId: string;
  question: string;
  /** The evidence items the expert may see; nothing else of the case is shown to them. */
  evidenceIds: string[];
}

/** Invites an expert on a question of a professional case, sharing only the evidence named. */
export function inviteExpert(props: InviteExpertProps) {
  return runCaseCommand(props, 'inviteExpert', async ({ tx, actor, now, case: kase }) => {
    if (!kase.professional) throw invalidInput('professional', '请先将本案标记为涉及专业性或者技术性问题', 'mark the case professional/technical first');
    const expert = await tx
      .selectFrom('user_roles')
      .select('user_id')
      .where('user_id', '=', props.expertId)
      .where('role', '=', 'expert')
      .executeTakeFirst();
    if (!expert) throw invalidInput('expertId', '所选用户不是专家', 'the user is not an expert');
    if (props.evidenceIds.length > 0) {
      const found = await tx.selectFrom('evidence').select('id').where('case_id', '=', props.caseId).where('id', 'in', props.evidenceIds).execute();
      const missing = props.evidenceIds.filter((id) => !found.some((row) => row.id === id));
      if (missing.length > 0) throw invalidInput('evidenceIds', `本案没有这些证据：${missing.join('、')}`, `no such evidence in this case: ${missing.join(', ')}`);
    }
    const existing = await tx.selectFrom('expert_invitations').select('id').where('case_id', '=', props.caseId).where('expert_id', '=', props.expertId).executeTakeFirst();
    if (existing) throw invalidInput('expertId', '已邀请该专家', 'this expert is already invited');
    const invitation = await tx
      .insertInto('expert_invitations')
      .values({ case_id: props.caseId, expert_id: props.expertId, question: props.question, evidence_ids: props.evidenceIds, invited_by: actor.userId, invited_at: now, opinion_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return {
      result: { id: invitation.id },
      event: { type: 'case.expert-invited', payload: { invitationId: invitation.id, expertId: props.expertId, evidenceIds: props.evidenceIds, recordHash: recordDigest({ question: props.question }) } },
    };
  });
}

/** The invited expert's opinion on the question they were asked. */
export function recordExpertOpinion(props: CaseCommandProps & { content: string }) {
  return runCaseCommand(props, 'recordExpertOpinion', async ({ tx, actor, now }) => {
    const invitation = await tx
      .selectFrom('expert_invitations')
      .select(['id', 'opinion_id'])
      .where('case_id', '=', props.caseId)
      .where('expert_id', '=', actor.userId)
      .executeTakeFirstOrThrow();
    if (invitation.opinion_id) throw invalidInput('content', '您已提交专家意见', 'you have already given your opinion');
    const opinion = await tx
      .insertInto('opinions')
      .values({ case_id: props.caseId, kind: 'expert', source: actor.displayName, content: props.content, recorded_by: actor.userId, recorded_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.updateTable('expert_invitations').set({ opinion_id: opinion.id }).where('id', '=', invitation.id).execute();
    return {
      result: { id: opinion.id },
      event: { type: 'case.expert-opinion-recorded', payload: { opinionId: opinion.id, invitationId: invitation.id, recordHash: recordDigest({ content: props.content }) } },
    };
  });
}
