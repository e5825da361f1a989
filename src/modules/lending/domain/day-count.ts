import { Decimal } from 'decimal.js';
import { type CalendarDate, dateParts, daysBetween, daysInYear, fromParts } from '../../../kernel/dates.js';

/**
 * Day-count conventions for interest over a date range [start, end). actual/364, actual days over a 364-day year
 * (52 weeks: Fineract DaysInYearType.DAYS_364, and the day rate of Fineract's weekly interest, R / 52 / 7), serves
 * installment loans.
 */
export const DAY_COUNTS = ['30/360', 'actual/360', 'actual/365', 'actual/actual', 'actual/364'] as const;
export type DayCount = (typeof DAY_COUNTS)[number];
/** The conventions a line of credit offers (revolving/interest.ts counts its years by these). */
export const REVOLVING_DAY_COUNTS = ['30/360', 'actual/360', 'actual/365', 'actual/actual'] as const;
export type RevolvingDayCount = (typeof REVOLVING_DAY_COUNTS)[number];

/** Days between two dates as the convention counts them (30/360 is the US bond basis). */
export function dayCountDays(convention: DayCount, start: CalendarDate, end: CalendarDate): number {
  if (convention !== '30/360') return daysBetween(start, end);
  const a = dateParts(start);
  const b = dateParts(end);
  const d1 = a.day === 31 ? 30 : a.day;
  const d2 = b.day === 31 && d1 >= 30 ? 30 : b.day;
  return 360 * (b.year - a.year) + 30 * (b.month - a.month) + (d2 - d1);
}

/**
 * The year fraction of [start, end). actual/actual is the ISDA variant: days falling in a leap year count over
 * 366 and the others over 365, so a range across New Year splits at January 1.
 */
export function yearFraction(convention: DayCount, start: CalendarDate, end: CalendarDate): Decimal {
  switch (convention) {
    case '30/360':
      return new Decimal(dayCountDays(convention, start, end)).div(360);
    case 'actual/360':
      return new Decimal(daysBetween(start, end)).div(360);
    case 'actual/365':
      return new Decimal(daysBetween(start, end)).div(365);
    case 'actual/364':
      return new Decimal(daysBetween(start, end)).div(364);
    case 'actual/actual': {
      let total = new Decimal(0);
      let cursor = start;
      while (cursor < end) {
        const y = dateParts(cursor).year;
        const nextYear = fromParts(y + 1, 1, 1);
        const stop = nextYear < end ? nextYear : end;
        total = total.plus(new Decimal(daysBetween(cursor, stop)).div(daysInYear(y)));
        cursor = stop;
      }
      return total;
    }
  }
}
