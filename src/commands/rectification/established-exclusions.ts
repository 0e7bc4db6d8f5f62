import type { Db, Tx } from '../../db/connect.js';
import type { AssessmentInput, ExclusionValue } from '../../policy/index.js';
import { rectificationError } from '../../rectification/rules.js';

/** The Art. 10 exclusions established for a case outside its assessment (today: Art. 10(4) by poor rectification). */
export async function establishedExclusions(db: Db | Tx, caseId: string): Promise<Record<string, boolean>> {
  const rows = await db.selectFrom('case_established_exclusions').select(['exclusion', 'value']).where('case_id', '=', caseId).execute();
  return Object.fromEntries(rows.map((r) => [r.exclusion, r.value]));
}

/**
 * Makes an assessment input respect what is established for the case: a missing or unsettled (null) value is
 * filled in; a contrary value is refused (R12, Art. 18 with Art. 10(4)). For record-assessment.ts to call after
 * parsing: `input = await enforceEstablishedExclusions(tx, props.caseId, input);`
 */
export async function enforceEstablishedExclusions(db: Db | Tx, caseId: string, input: AssessmentInput): Promise<AssessmentInput> {
  const established = await establishedExclusions(db, caseId);
  if (Object.keys(established).length === 0) return input;
  const exclusions: Record<string, ExclusionValue | undefined> = { ...(input.exclusions ?? {}) };
  for (const [exclusion, value] of Object.entries(established)) {
    const given = exclusions[exclusion];
    if (given === undefined || given === null) exclusions[exclusion] = value;
    else if (given !== value) {
      throw rectificationError(
        'EXCLUSION_ESTABLISHED',
        `整改不力已记录在案，本案第十条第（四）项“事后不积极整改纠错”已经确立，研判中该项（exclusions.${exclusion}）不得改为“${given ? '是' : '否'}”`,
        `exclusion ${exclusion} is established as ${String(value)} for this case by the poor-rectification record`,
        422,
        `input.exclusions.${exclusion}`,
      );
    }
  }
  return { ...input, exclusions };
}
