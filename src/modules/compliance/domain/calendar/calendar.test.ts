import { describe, expect, it } from 'vitest';
import { parseDate, wallClock } from '../../../../kernel/dates.js';
import { addRescissionBusinessDays, isRescissionBusinessDay } from './business-days.js';
import { federalHolidayOn, federalHolidays, weekday } from './federal-holidays.js';

const d = parseDate;

describe('federal holidays (5 U.S.C. 6103)', () => {
  it('computes 2024 with the floating Mondays and Thursday', () => {
    expect(federalHolidays(2024).map((h) => h.date)).toEqual([
      '2024-01-01',
      '2024-01-15',
      '2024-02-19',
      '2024-05-27',
      '2024-06-19',
      '2024-07-04',
      '2024-09-02',
      '2024-10-14',
      '2024-11-11',
      '2024-11-28',
      '2024-12-25',
    ]);
  });

  it('observes a Saturday holiday on Friday and a Sunday holiday on Monday', () => {
    const y2026 = federalHolidays(2026).find((h) => h.name === 'Independence Day')!;
    expect(y2026).toEqual({ name: 'Independence Day', date: '2026-07-04', observed: '2026-07-03' });
    const j2022 = federalHolidays(2022).find((h) => h.name.startsWith('Juneteenth'))!;
    expect(j2022.observed).toBe('2022-06-20');
    // New Year's Day 2022 was a Saturday: observed on Friday 2021-12-31, in the year before.
    expect(federalHolidayOn(d('2021-12-31'))).toEqual({ name: "New Year's Day", observed: true });
  });

  it('has no Juneteenth before 2021', () => {
    expect(federalHolidays(2020).some((h) => h.name.startsWith('Juneteenth'))).toBe(false);
    expect(federalHolidays(2020)).toHaveLength(10);
  });

  it('knows the weekday of a date', () => {
    expect(weekday(d('1970-01-01'))).toBe(4);
    expect(weekday(d('2024-09-01'))).toBe(0);
    expect(weekday(d('2024-08-31'))).toBe(6);
  });
});

describe('business days for rescission (1026.2(a)(6))', () => {
  it('counts Saturdays but not Sundays or holidays', () => {
    expect(isRescissionBusinessDay(d('2024-08-31'), 'actual')).toBe(true); // Saturday
    expect(isRescissionBusinessDay(d('2024-09-01'), 'actual')).toBe(false); // Sunday
    expect(isRescissionBusinessDay(d('2024-09-02'), 'actual')).toBe(false); // Labor Day
  });

  it('counts three business days across a weekend and Labor Day', () => {
    // Friday 2024-08-30: Sat 31 (1), Sun, Mon Labor Day, Tue 3 (2), Wed 4 (3).
    expect(addRescissionBusinessDays(d('2024-08-30'), 3, 'actual')).toBe('2024-09-04');
  });

  it('treats an observed Friday as a holiday only when asked to', () => {
    // 2026-07-04 is a Saturday, observed Friday 07-03. From Wednesday 07-01: Thu 2, (Fri 3?), Sat 4 is the holiday.
    expect(addRescissionBusinessDays(d('2026-07-01'), 3, 'actual')).toBe('2026-07-06');
    expect(addRescissionBusinessDays(d('2026-07-01'), 3, 'actual_and_observed')).toBe('2026-07-07');
  });
});

describe('wall clock in a time zone', () => {
  it('follows the DST change in New York', () => {
    // 2024-03-10 02:00 EST → 03:00 EDT. 11:59 UTC is 07:59 EDT; the day before, 12:59 UTC is 07:59 EST.
    expect(wallClock(new Date('2024-03-10T11:59:00Z'), 'America/New_York')).toMatchObject({
      date: '2024-03-10',
      hour: 7,
      minute: 59,
    });
    expect(wallClock(new Date('2024-03-09T12:59:00Z'), 'America/New_York').hour).toBe(7);
    expect(wallClock(new Date('2024-11-04T02:00:00Z'), 'America/New_York')).toMatchObject({
      date: '2024-11-03',
      hour: 21,
      minute: 0,
      secondOfDay: 21 * 3600,
    });
  });
});
