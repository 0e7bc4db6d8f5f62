const DAY = 24 * 60 * 60 * 1000;
/** A deadline this close (or past) is shown in red. */
export const URGENT_DAYS = 7;

export interface DeadlineStatus {
  urgent: boolean;
  overdue: boolean;
  /** "剩 3 天", "不足 1 天", "已逾期 2 天". */
  note: string;
}

export function deadlineStatus(deadline: string, now: number = Date.now()): DeadlineStatus {
  const left = new Date(deadline).getTime() - now;
  if (left < 0) return { urgent: true, overdue: true, note: `已逾期 ${Math.max(1, Math.floor(-left / DAY))} 天` };
  const days = Math.floor(left / DAY);
  return { urgent: left <= URGENT_DAYS * DAY, overdue: false, note: days === 0 ? '不足 1 天' : `剩 ${days} 天` };
}
