import { describe, expect, it } from 'vitest';
import { addMonthsToDay, beijingDay, beijingWeek } from './dates.js';
import { resolvePeriod, STATUTORY_PERIODS } from './periods.js';

describe('penalty periods as data', () => {
  it('gives every period a source, and the 政务处分法 第八条 months', () => {
    for (const period of STATUTORY_PERIODS) expect(period.source.length).toBeGreaterThan(10);
    const government = Object.fromEntries(STATUTORY_PERIODS.filter((p) => p.system === 'government').map((p) => [p.label, p.months]));
    expect(government).toEqual({ 警告: 6, 记过: 12, 记大过: 18, 降级: 24, 撤职: 24 });
  });

  it('counts 留党察看 as its term plus two years, and only with a term of one or two years', () => {
    expect(resolvePeriod({ system: 'party', kind: 'probation', termMonths: 12 })).toMatchObject({ ok: true, months: 36, label: '留党察看一年' });
    expect(resolvePeriod({ system: 'party', kind: 'probation', termMonths: 24 })).toMatchObject({ ok: true, months: 48, label: '留党察看二年' });
    expect(resolvePeriod({ system: 'party', kind: 'probation' })).toMatchObject({ ok: false, key: 'termMonths' });
    expect(resolvePeriod({ system: 'party', kind: 'warning', termMonths: 12 })).toMatchObject({ ok: false, key: 'termMonths' });
  });

  it('takes other measures from the organ, else the marked defaults', () => {
    const organ = [{ kind: 'admonishment', label: '诫勉', months: 3, source: '某区纪委监委设置' }];
    expect(resolvePeriod({ system: 'other', kind: 'admonishment' }, organ)).toEqual({ ok: true, label: '诫勉', months: 3, source: '某区纪委监委设置' });
    expect(resolvePeriod({ system: 'other', kind: 'admonishment' })).toMatchObject({ ok: true, months: 6 });
    expect(resolvePeriod({ system: 'other', kind: 'unknown' })).toMatchObject({ ok: false, key: 'kind' });
  });
});

describe('days in Beijing', () => {
  it('adds months, keeping to the end of a shorter month', () => {
    expect(addMonthsToDay('2026-03-02', 6)).toBe('2026-09-02');
    expect(addMonthsToDay('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsToDay('2026-03-02', 36)).toBe('2029-03-02');
  });

  it('takes the day and the Monday-to-Sunday week in Beijing', () => {
    expect(beijingDay(new Date('2026-03-01T16:30:00Z'))).toBe('2026-03-02');
    expect(beijingWeek(new Date('2026-03-08T15:59:00Z'))).toEqual({ start: '2026-03-02', end: '2026-03-09' });
    expect(beijingWeek(new Date('2026-03-08T16:00:00Z'))).toEqual({ start: '2026-03-09', end: '2026-03-16' });
  });
});
