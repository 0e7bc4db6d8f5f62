import { AppError } from '../errors.js';

/** The after-decision rules this module enforces (shared/spec/domain.md), with their article and words. */
export const FOLLOWUP_RULES = {
  R11: { article: '第十七条', text: '予以容错免责的，在干部考核、评先评优、干部选拔任用、职务职级晋升、职称岗位评聘以及党代表、人大代表、政协委员、优秀年轻干部资格等方面不受影响。' },
  R13: { article: '第十九条', text: '（三）回访教育制度。对容错免责、容错减责以及其他被问责追责的干部……应当开展跟踪回访，落实谈心谈话制度……（四）综合研判制度。对容错免责以及处理、处分期满的干部，党委（党组）、组织人事部门应当综合研判……' },
} as const;

export type FollowupRuleId = keyof typeof FOLLOWUP_RULES;

/** A refusal by R11/R13: 422, `RULE_<id>_<WHAT>`, the article first in the Chinese message (as ruleError does). */
export function followupRuleError(rule: FollowupRuleId, what: string, message: string, messageEn: string, status = 422): AppError {
  const { article } = FOLLOWUP_RULES[rule];
  return new AppError({ code: `RULE_${rule}_${what}`, status, message: `${article}：${message}`, messageEn, rule, article });
}
