import { OUTCOMES } from '../cases/procedure.js';
import type { Tx } from '../db/connect.js';
import type { AssessmentResult } from '../policy/index.js';
import type { ApplicationAnswer } from '../db/schema.js';

/** The current assessment of a case, with the engine output as it was snapshotted. */
export async function latestAssessment(tx: Tx, caseId: string) {
  const row = await tx
    .selectFrom('assessments')
    .select(['id', 'engine_output'])
    .where('case_id', '=', caseId)
    .orderBy('position', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, output: row.engine_output as unknown as AssessmentResult } : undefined;
}

export async function latestDeliberation(tx: Tx, caseId: string) {
  return tx
    .selectFrom('deliberations')
    .select(['id', 'tolerance_opinion', 'proposed_outcome', 'application_answers', 'members_present', 'recorded_by', 'assessment_id'])
    .where('case_id', '=', caseId)
    .orderBy('position', 'desc')
    .limit(1)
    .executeTakeFirst()
    .then((row) => row && { ...row, application_answers: row.application_answers as unknown as ApplicationAnswer[] });
}

export async function applicationIds(tx: Tx, caseId: string): Promise<string[]> {
  const rows = await tx.selectFrom('applications').select('id').where('case_id', '=', caseId).orderBy('submitted_at').execute();
  return rows.map((r) => r.id);
}

export async function currentDecision(tx: Tx, caseId: string) {
  return tx.selectFrom('decisions').selectAll().where('case_id', '=', caseId).where('current', '=', true).executeTakeFirst();
}

/**
 * Enters a decision in the official's personnel file and integrity file (Art. 15). Called at service and again
 * whenever an appeal's new version takes effect, so the files always show the decision in force.
 */
export async function enterInOfficialFiles(tx: Tx, props: { caseId: string; officialId: string; decision: { id: string; version: number; outcome: string }; now: Date }) {
  const summary = `${OUTCOMES[props.decision.outcome as keyof typeof OUTCOMES] ?? props.decision.outcome}（决定第 ${props.decision.version} 版）`;
  await tx
    .insertInto('file_entries')
    .values(FILE_KINDS.map((fileKind) => ({ official_id: props.officialId, case_id: props.caseId, decision_id: props.decision.id, file_kind: fileKind, summary, entered_at: props.now })))
    .execute();
  return FILE_KINDS;
}

const FILE_KINDS = ['personnel', 'integrity'] as const;
