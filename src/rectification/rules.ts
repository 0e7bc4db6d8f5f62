import type { CaseState } from '../cases/procedure.js';
import { AppError } from '../errors.js';

/**
 * Rectification (整改) under Art. 18 and rule R12, as pure rules: which cases may get a plan, the life of an
 * item (open → reported → done, or back to returned), when an item is overdue, and when poor rectification may
 * be recorded. Commands load the facts, ask here, and write.
 */
export const R12 = {
  article: '第十八条',
  // The original words, as the bj-2020 pack quotes them.
  text: '干部出现失误错误的，干部本人、干部所在单位党委（党组）以及其他有关单位或者个人应当及时采取补救措施，尽力消除影响、挽回损失，同时建立健全长效机制，防止类似问题再次发生。纪检监察机关、组织人事部门应当加强对纠错整改工作的监督检查，对整改不力的严肃追究责任。',
} as const;

/** A refusal under R12: `RULE_R12_<WHAT>`, the article first in the Chinese message (as ruleError does). */
export function rectificationError(what: string, message: string, messageEn: string, status = 422, key?: string): AppError {
  return new AppError({ code: `RULE_R12_${what}`, status, message: `${R12.article}：${message}`, messageEn, rule: 'R12', article: R12.article, ...(key !== undefined ? { key } : {}) });
}

/** A case gets a rectification plan once it is decided (a decision in force or later). */
export const PLAN_CASE_STATES: readonly CaseState[] = ['decided', 'served', 'under-appeal', 'appeal-decided', 'closed'];

export function assertCaseMayGetPlan(state: CaseState): void {
  if (!PLAN_CASE_STATES.includes(state)) {
    throw rectificationError('CASE_NOT_DECIDED', '整改方案应当在作出处理决定后制定，本案尚未作出决定', 'a rectification plan needs a decided case', 409);
  }
}

export const ITEM_STATUSES = { open: '整改中', reported: '已报告待核查', done: '已核查通过', returned: '已退回整改' } as const;
export type ItemStatus = keyof typeof ITEM_STATUSES;

/** Today's date (YYYY-MM-DD) in Beijing, where deadlines are set: a deadline is the last day to finish. */
export function beijingDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Unfinished: the owner still has to act (open, or sent back). A reported item waits for the supervisors. */
export const UNFINISHED: readonly ItemStatus[] = ['open', 'returned'];

/** Overdue: unfinished after its deadline day has passed (Beijing time). */
export function isOverdue(item: { status: string; deadline: string }, now: Date): boolean {
  return UNFINISHED.includes(item.status as ItemStatus) && item.deadline < beijingDate(now);
}

/** A deadline may not lie in the past when it is set. */
export function deadlineIsValid(deadline: string, now: Date): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(deadline) && !Number.isNaN(Date.parse(`${deadline}T00:00:00Z`)) && deadline >= beijingDate(now);
}

export function assertMayReport(status: string): void {
  if (status === 'done') throw rectificationError('ITEM_DONE', '该整改事项已核查通过，不能再报告进展', 'the item was already checked off', 409);
}

export function assertMayCheck(status: string): void {
  if (status !== 'reported') {
    throw rectificationError('NOTHING_TO_CHECK', '该整改事项尚未报告进展，不能核查', 'the item has no progress report awaiting a check', 409);
  }
}

/** The status after a check: accepted → done; sent back → returned (the owner must act again). */
export const statusAfterCheck = (accepted: boolean): ItemStatus => (accepted ? 'done' : 'returned');

/**
 * Poor rectification (整改不力) may be recorded on the ground of items that are overdue or were sent back by the
 * supervisors; a plan whose items are all on time gives no ground.
 */
export function poorRectificationGrounds(items: readonly { id: string; status: string; deadline: string; returnedEver: boolean }[], now: Date): string[] {
  return items.filter((item) => item.status !== 'done' && (isOverdue(item, now) || item.returnedEver)).map((item) => item.id);
}
