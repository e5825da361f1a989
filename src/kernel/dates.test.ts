import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  type CalendarDate,
  dateInZone,
  daysBetween,
  fromEpochDay,
  isCalendarDate,
  parseDate,
  startOfDayInZone,
  toEpochDay,
} from './dates.js';

describe('calendar dates', () => {
  it('round-trips epoch days over four centuries', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (n) => toEpochDay(fromEpochDay(n)) === n),
    );
    expect(toEpochDay(parseDate('1970-01-01'))).toBe(0);
    expect(fromEpochDay(19_723)).toBe('2024-01-01');
  });

  it('rejects impossible dates', () => {
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('1900-02-29')).toBe(false);
    expect(isCalendarDate('2000-02-29')).toBe(true);
    expect(isCalendarDate('2024-13-01')).toBe(false);
    expect(isCalendarDate('2024-1-01')).toBe(false);
  });

  it('adds months with end-of-month clamping and an anchor day', () => {
    const jan31 = parseDate('2024-01-31');
    expect(addMonths(jan31, 1)).toBe('2024-02-29');
    expect(addMonths(addMonths(jan31, 1), 1)).toBe('2024-03-29');
    expect(addMonths(jan31, 2, 31)).toBe('2024-03-31');
    expect(addMonths(parseDate('2024-11-15'), 3)).toBe('2025-02-15');
    expect(addMonths(parseDate('2024-03-15'), -3)).toBe('2023-12-15');
  });

  it('counts days across leap years', () => {
    expect(daysBetween(parseDate('2024-02-28'), parseDate('2024-03-01'))).toBe(2);
    expect(daysBetween(parseDate('2023-02-28'), parseDate('2023-03-01'))).toBe(1);
    expect(addDays(parseDate('2024-12-31'), 1)).toBe('2025-01-01' as CalendarDate);
  });
});

describe('startOfDayInZone', () => {
  it('is the instant local midnight happens, across DST changes', () => {
    expect(startOfDayInZone(parseDate('2025-01-15'), 'America/New_York').toISOString()).toBe(
      '2025-01-15T05:00:00.000Z',
    );
    expect(startOfDayInZone(parseDate('2025-07-04'), 'America/New_York').toISOString()).toBe(
      '2025-07-04T04:00:00.000Z',
    );
    // The days DST starts and ends in New York: midnight is still on the old offset.
    expect(startOfDayInZone(parseDate('2025-03-09'), 'America/New_York').toISOString()).toBe(
      '2025-03-09T05:00:00.000Z',
    );
    expect(startOfDayInZone(parseDate('2025-11-02'), 'America/New_York').toISOString()).toBe(
      '2025-11-02T04:00:00.000Z',
    );
    expect(startOfDayInZone(parseDate('2025-06-01'), 'UTC').toISOString()).toBe('2025-06-01T00:00:00.000Z');
    expect(startOfDayInZone(parseDate('2025-06-01'), 'Asia/Kolkata').toISOString()).toBe(
      '2025-05-31T18:30:00.000Z',
    );
  });

  it('inverts dateInZone', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40_000 }),
        fc.constantFrom('America/New_York', 'Europe/Berlin', 'Australia/Sydney'),
        (n, tz) => {
          const d = fromEpochDay(n);
          const start = startOfDayInZone(d, tz);
          return (
            dateInZone(start, tz) === d && dateInZone(new Date(start.getTime() - 1), tz) === addDays(d, -1)
          );
        },
      ),
    );
  });
});
