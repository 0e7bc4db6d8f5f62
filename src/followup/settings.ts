/**
 * Follow-up settings an organ (or a policy pack) may configure. Art. 19(3) names no interval; three and six
 * months after service are the default. When `visitOffsetsMonths` joins ProcedureSettings, those settings can
 * be passed as they are.
 */
export interface FollowupSettings {
  /** Months after service at which follow-up visits fall due (回访教育, Art. 19(3)). */
  visitOffsetsMonths: readonly number[];
}

export const DEFAULT_FOLLOWUP_SETTINGS: FollowupSettings = { visitOffsetsMonths: [3, 6] };

/** Outcomes whose officials are visited (R13): exempt, reduced and held accountable — every decision but a revoked one. */
export const VISITED_OUTCOMES = ['exempt', 'reduced', 'not_tolerated'] as const;

/** Outcomes for which a penalty can be recorded: an exemption never carries one (Art. 13(1), Art. 17). */
export const PENALIZABLE_OUTCOMES = ['reduced', 'not_tolerated'] as const;

export const VISIT_KINDS = { visit: '回访', talk: '谈心谈话' } as const;
export type VisitKind = keyof typeof VISIT_KINDS;

export const REMINDER_KINDS = { reminder: '提醒', talk: '提醒谈话' } as const;
export type ReminderKind = keyof typeof REMINDER_KINDS;

/** The conclusions of a comprehensive assessment (综合研判, Art. 19(4)). */
export const ASSESSMENT_CONCLUSIONS = {
  'continue-in-post': '继续在岗使用',
  'recommend-for-use': '建议使用',
  'recommend-for-promotion': '建议提拔',
  'further-observation': '继续观察',
} as const;
export type AssessmentConclusion = keyof typeof ASSESSMENT_CONCLUSIONS;

export const ASSESSMENT_BASES = { exemption: '容错免责', 'penalty-ended': '影响期满', other: '其他' } as const;
export type AssessmentBasis = keyof typeof ASSESSMENT_BASES;

/** What the organization department asks for (Art. 17). */
export const SELECTION_PURPOSES = {
  evaluation: '干部考核',
  awards: '评先评优',
  selection: '干部选拔任用',
  promotion: '职务职级晋升',
  titles: '职称岗位评聘',
  candidacy: '党代表、人大代表、政协委员、优秀年轻干部资格',
} as const;
export type SelectionPurpose = keyof typeof SELECTION_PURPOSES;
