import { describe, expect, it } from 'vitest';
import { arabicDate, beijingDate, chineseDate, joinList, sentence, storedDate } from './format.js';

describe('dates in documents', () => {
  it('writes the year digit by digit and months and days as numbers', () => {
    expect(chineseDate({ year: 2026, month: 11, day: 27 })).toBe('二〇二六年十一月二十七日');
    expect(chineseDate({ year: 2020, month: 6, day: 28 })).toBe('二〇二〇年六月二十八日');
    expect(chineseDate({ year: 2026, month: 10, day: 10 })).toBe('二〇二六年十月十日');
    expect(chineseDate({ year: 2026, month: 12, day: 31 })).toBe('二〇二六年十二月三十一日');
    expect(chineseDate({ year: 2026, month: 1, day: 20 })).toBe('二〇二六年一月二十日');
    expect(chineseDate({ year: 2026, month: 3, day: 2 })).toBe('二〇二六年三月二日');
    expect(arabicDate({ year: 2026, month: 3, day: 2 })).toBe('2026年3月2日');
  });

  it('reads instants on the Beijing calendar, and stored dates as they are', () => {
    expect(beijingDate(new Date('2026-03-01T16:30:00Z'))).toEqual({ year: 2026, month: 3, day: 2 });
    expect(beijingDate(new Date('2026-12-31T15:59:59Z'))).toEqual({ year: 2026, month: 12, day: 31 });
    expect(storedDate('2026-03-10')).toEqual({ year: 2026, month: 3, day: 10 });
    expect(storedDate(new Date(2026, 2, 10))).toEqual({ year: 2026, month: 3, day: 10 });
  });

  it('joins lists and ends sentences', () => {
    expect(joinList(['通报', '诫勉'])).toBe('通报、诫勉');
    expect(joinList([])).toBe('无');
    expect(sentence('属于可以容错的范围')).toBe('属于可以容错的范围。');
    expect(sentence('已说明。')).toBe('已说明。');
  });
});
