/**
 * Calendar days for follow-up work. Periods and visits are days in Beijing (UTC+8, no daylight saving), kept as
 * 'YYYY-MM-DD' strings like the database's DATE columns, so that no server time zone can shift them.
 */
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The calendar day in Beijing at this instant. */
export function beijingDay(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** The same day `months` later; a day past the end of the shorter month becomes its last day (01-31 + 1 → 02-28). */
export function addMonthsToDay(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const monthIndex = y * 12 + (m - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

export function addDaysToDay(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The week (Monday to Sunday, Beijing) holding this instant: [start, end) as days. */
export function beijingWeek(at: Date): { start: string; end: string } {
  const today = beijingDay(at);
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  const start = addDaysToDay(today, -((weekday + 6) % 7));
  return { start, end: addDaysToDay(start, 7) };
}
