/**
 * Procedure settings an organ may configure. Defaults follow the 《中国共产党问责条例》 where it gives a number
 * (appeal within one month of service, decided within one month) and the measures' own text otherwise.
 */
export interface ProcedureSettings {
  /** Months after service within which the official may appeal. */
  appealWindowMonths: number;
  /** Months within which an appeal must be decided. */
  appealHandlingMonths: number;
  /** Measures that need a higher authority's approval (Art. 13 ¶2). */
  measuresRequiringApproval: readonly AccountabilityMeasure[];
  /** Ranks whose decisions need a higher authority's approval (干部管理权限). */
  ranksRequiringApproval: readonly string[];
  /** Largest attachment accepted, in bytes. */
  maxAttachmentBytes: number;
}

/** The accountability measures of the 问责条例 for officials (第八条), and the two Art. 13(1) allows with exemption. */
export const ACCOUNTABILITY_MEASURES = {
  'criticism-education': '批评教育',
  'ordered-self-examination': '责令检查',
  'circulated-criticism': '通报',
  admonishment: '诫勉',
  'organizational-adjustment': '组织调整或者组织处理',
  'disciplinary-sanction': '纪律处分',
} as const;
export type AccountabilityMeasure = keyof typeof ACCOUNTABILITY_MEASURES;
export const ACCOUNTABILITY_MEASURE_IDS = Object.keys(ACCOUNTABILITY_MEASURES) as AccountabilityMeasure[];

/** Art. 13(1): an exempt official may only be criticised and educated or ordered to examine themselves. */
export const MEASURES_ALLOWED_WITH_EXEMPTION: readonly AccountabilityMeasure[] = ['criticism-education', 'ordered-self-examination'];

export const DEFAULT_SETTINGS: ProcedureSettings = {
  appealWindowMonths: 1,
  appealHandlingMonths: 1,
  measuresRequiringApproval: ['organizational-adjustment', 'disciplinary-sanction'],
  ranksRequiringApproval: ['ministerial-principal', 'ministerial-deputy', 'bureau-principal', 'bureau-deputy'],
  maxAttachmentBytes: 20 * 1024 * 1024,
};

export function addMonths(date: Date, months: number): Date {
  const result = new Date(date);
  result.setUTCMonth(result.getUTCMonth() + months);
  return result;
}
