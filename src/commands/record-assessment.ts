import { recordDigest } from '../audit/digest.js';
import { evaluate, getPack, parseAssessmentInput, PolicyInputError } from '../policy/index.js';
import { AppError } from '../errors.js';
import { runCaseCommand, type CaseCommandProps } from './case-command.js';
import { enforceEstablishedExclusions } from './rectification/index.js';

export interface RecordAssessmentProps extends CaseCommandProps {
  /** The assessment in the engine's input shape (situations, exclusions, factors). */
  input: unknown;
  note?: string;
}

/**
 * Records the Art. 8–10 assessment and snapshots the engine's output under the pack the case was opened with,
 * so the recommendation the deliberation saw can always be shown as it was.
 */
export function recordAssessment(props: RecordAssessmentProps) {
  return runCaseCommand(props, 'recordAssessment', async ({ tx, actor, now, case: kase }) => {
    const pack = getPack(kase.policyId);
    let output;
    let input;
    try {
      // A `policy` other than the case's pack is refused by the parser, never silently replaced.
      input = parseAssessmentInput(pack, props.input);
      // A case opened for poor rectification has Art. 10(4) established: no later assessment may undo it.
      input = await enforceEstablishedExclusions(tx, props.caseId, input);
      output = evaluate(pack, input);
    } catch (error) {
      if (error instanceof PolicyInputError) {
        throw new AppError({ code: error.code, status: 400, message: error.message, messageEn: error.messageEn, key: `input.${error.key}`.replace(/\.$/, ''), allowed: error.allowed });
      }
      throw error;
    }
    const assessment = await tx
      .insertInto('assessments')
      .values({
        case_id: props.caseId,
        input: JSON.stringify(input),
        engine_output: JSON.stringify(output),
        policy_id: pack.id,
        policy_version: pack.version,
        note: props.note ?? '',
        recorded_by: actor.userId,
        recorded_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return {
      result: { id: assessment.id, recommendation: output.recommendation, output },
      event: {
        type: 'case.assessment-recorded',
        payload: { assessmentId: assessment.id, policy: pack.id, policyVersion: pack.version, recommendation: output.recommendation, binding: output.binding, recordHash: recordDigest({ input, note: props.note ?? '' }) },
      },
    };
  });
}
