import type { AssessmentInput, PolicyPack } from '../../../api/types';

/** Radio values for an exclusion: established true, established false, or not yet established. */
export type ExclusionAnswer = 'true' | 'false' | 'unknown';
/** The empty string stands for “未认定” (unknown) in a factor's radio group. */
export const UNKNOWN = '';

export interface AssessmentFormValues {
  situations: string[];
  exclusions: Record<string, ExclusionAnswer>;
  factors: Record<string, string>;
  note?: string;
}

/** The form's starting point: the current assessment's input, everything else unknown. */
export function toFormValues(pack: PolicyPack, input: Partial<AssessmentInput> | undefined): AssessmentFormValues {
  const exclusions: Record<string, ExclusionAnswer> = {};
  for (const e of pack.exclusions) {
    const v = input?.exclusions?.[e.id];
    exclusions[e.id] = v === true ? 'true' : v === false ? 'false' : 'unknown';
  }
  const factors: Record<string, string> = {};
  for (const f of pack.factors) factors[f.id] = input?.factors?.[f.id] ?? UNKNOWN;
  const situations = (input?.situations ?? []).filter((id) => pack.situations.some((s) => s.id === id));
  return { situations, exclusions, factors };
}

/** The engine's input from the form: unknowns become null, as the contract has them. */
export function toEngineInput(pack: PolicyPack, values: Partial<AssessmentFormValues> | undefined): AssessmentInput {
  const exclusions: Record<string, boolean | null> = {};
  for (const e of pack.exclusions) {
    const v = values?.exclusions?.[e.id];
    exclusions[e.id] = v === 'true' ? true : v === 'false' ? false : null;
  }
  const factors: Record<string, string | null> = {};
  for (const f of pack.factors) {
    const v = values?.factors?.[f.id];
    factors[f.id] = v ? v : null;
  }
  return { policy: pack.id, situations: values?.situations ?? [], exclusions, factors };
}
