// How dates and lists are written in official documents.

const DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** The zone whose calendar dates documents carry. */
export const DOCUMENT_TIME_ZONE = 'Asia/Shanghai';

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const formatter = new Intl.DateTimeFormat('en-CA', { timeZone: DOCUMENT_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The Beijing calendar date of an instant. */
export function beijingDate(at: Date): CalendarDate {
  const [year, month, day] = formatter.format(at).split('-').map(Number);
  return { year: year!, month: month!, day: day! };
}

/**
 * A calendar date stored in a `date` column: node-postgres gives local midnight of that day (or the
 * `YYYY-MM-DD` string when so configured), so the day is read without any zone shift.
 */
export function storedDate(value: Date | string): CalendarDate {
  if (typeof value === 'string') {
    const [year, month, day] = value.slice(0, 10).split('-').map(Number);
    return { year: year!, month: month!, day: day! };
  }
  return { year: value.getFullYear(), month: value.getMonth() + 1, day: value.getDate() };
}

/** 1–99 in Chinese numerals, as months and days are written: 十, 十一, 二十, 三十一. */
function smallNumber(n: number): string {
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const units = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${units === 0 ? '' : DIGITS[units]}`;
}

/** `二〇二六年三月二日`: the year digit by digit, month and day as numbers. */
export function chineseDate(date: CalendarDate): string {
  const year = String(date.year)
    .split('')
    .map((d) => DIGITS[Number(d)])
    .join('');
  return `${year}年${smallNumber(date.month)}月${smallNumber(date.day)}日`;
}

/** `2026年3月2日`. */
export function arabicDate(date: CalendarDate): string {
  return `${date.year}年${date.month}月${date.day}日`;
}

/** Joins with the enumeration comma; `无` when empty. */
export function joinList(items: readonly string[], empty = '无'): string {
  return items.length > 0 ? items.join('、') : empty;
}

/** Ends a sentence with `。` unless it already ends with punctuation. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  return /[。！？!?…]$/u.test(trimmed) ? trimmed : `${trimmed}。`;
}
