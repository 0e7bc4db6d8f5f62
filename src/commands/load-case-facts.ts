import type { Tx } from '../db/connect.js';
import type { AssessmentResult } from '../policy/index.js';
import type { ApplicationAnswer } from '../db/schema.js';

/** The current assessment of a case, with the engine output as it was snapshotted. */
export async function latestAssessment(tx: Tx, caseId: string) {
  const row = await tx
    .selectFrom('assessments')
    .select(['id', 'engine_output'])
    .where('case_id', '=', caseId)
    .orderBy('recorded_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, output: row.engine_output as unknown as AssessmentResult } : undefined;
}

export async function latestDeliberation(tx: Tx, caseId: string) {
  return tx
    .selectFrom('deliberations')
    .select(['id', 'tolerance_opinion', 'proposed_outcome', 'application_answers', 'members_present', 'recorded_by', 'assessment_id'])
    .where('case_id', '=', caseId)
    .orderBy('recorded_at', 'desc')
    .orderBy('id', 'desc')
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
