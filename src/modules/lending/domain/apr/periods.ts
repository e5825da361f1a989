import {
  addMonths,
  type CalendarDate,
  compareDates,
  dateParts,
  daysBetween,
  daysInMonth,
} from '../../../../kernel/dates.js';

/**
 * Time measurement for Regulation Z, 12 CFR 1026 Appendix J, paragraphs (b)(2) to (b)(5).
 *
 * A unit-period is one of: a number of days (1 = daily), a number of weeks, a semimonth, a number of months
 * (1 to 11), a year, or, for a single advance repaid by a single payment within a year, the term itself.
 */
export type UnitPeriod =
  | { unit: 'day'; count: number }
  | { unit: 'week'; count: number }
  | { unit: 'semimonth'; count: 1 }
  | { unit: 'month'; count: number }
  | { unit: 'year'; count: 1 }
  | { unit: 'term'; count: 1; days: number; months: number | null };

/** A position on the time line of the transaction: t full unit-periods plus a fraction f (0 <= f <= 1). */
export interface UnitPeriodPosition {
  full: number;
  /** Numerator and denominator of the fraction, kept exact (e.g. 39/90). */
  fractionNumerator: number;
  fractionDenominator: number;
}

/** Approximate length in days, only to order periods and to round an average ((b)(4)(i)(A) and (B)). */
export function approximateDays(p: UnitPeriod): number {
  switch (p.unit) {
    case 'day':
      return p.count;
    case 'week':
      return 7 * p.count;
    case 'semimonth':
      return 365 / 24;
    case 'month':
      return (365 / 12) * p.count;
    case 'year':
      return 365;
    case 'term':
      return p.days;
  }
}

const isMonthEnd = (d: CalendarDate): boolean => {
  const { year, month, day } = dateParts(d);
  return day === daysInMonth(year, month);
};

/**
 * Month arithmetic for one transaction, per (b)(3)(iv): a series on the last day of each month is measured from
 * month end to month end, and a series on the 29th or 30th uses the last day of February where it applies. So a
 * date that is the last day of its month is read as standing for the latest day of month the schedule uses
 * (e.g. 1978-02-28 in a series on the 30th stands for "the 30th").
 */
export class MonthCalendar {
  private readonly latestDay: number;

  constructor(dates: readonly CalendarDate[]) {
    this.latestDay = Math.max(1, ...dates.map((d) => dateParts(d).day));
  }

  private anchor(d: CalendarDate): number {
    const day = dateParts(d).day;
    return isMonthEnd(d) ? Math.max(day, this.latestDay) : day;
  }

  /** The date `months` whole months before `later`. */
  monthsBack(later: CalendarDate, months: number): CalendarDate {
    return addMonths(later, -months, this.anchor(later));
  }

  /**
   * Whole months measured back from the later date, and the days left between the earlier date and the start of
   * the first whole month ((b)(5)(ii)).
   */
  split(earlier: CalendarDate, later: CalendarDate): { months: number; days: number } {
    // Start from the calendar estimate and correct by at most a step or two.
    const a = dateParts(earlier);
    const b = dateParts(later);
    let months = Math.max(0, (b.year - a.year) * 12 + (b.month - a.month));
    while (months > 0 && compareDates(this.monthsBack(later, months), earlier) < 0) months--;
    while (compareDates(this.monthsBack(later, months + 1), earlier) >= 0) months++;
    return { months, days: daysBetween(earlier, this.monthsBack(later, months)) };
  }
}

/**
 * The number of unit-periods from the beginning of the term to `date`, per (b)(5)(ii) to (v).
 * `start` must not be after `date`.
 */
export function measure(
  unitPeriod: UnitPeriod,
  calendar: MonthCalendar,
  start: CalendarDate,
  date: CalendarDate,
): UnitPeriodPosition {
  const byDays = (days: number, per: number): UnitPeriodPosition => ({
    full: Math.floor(days / per),
    fractionNumerator: days % per,
    fractionDenominator: per,
  });
  switch (unitPeriod.unit) {
    case 'day':
      return byDays(daysBetween(start, date), unitPeriod.count);
    case 'week':
      return byDays(daysBetween(start, date), 7 * unitPeriod.count);
    case 'month': {
      const { months, days } = calendar.split(start, date);
      // (b)(5)(ii): a monthly unit-period counts whole months, odd days over 30.
      if (unitPeriod.count === 1) return { full: months, fractionNumerator: days, fractionDenominator: 30 };
      // (b)(5)(iii): a multiple of a month counts 30 days per whole month plus the odd days.
      return byDays(30 * months + days, 30 * unitPeriod.count);
    }
    case 'semimonth': {
      const { months, days } = calendar.split(start, date);
      return byDays(30 * months + days, 15);
    }
    case 'year': {
      // (b)(5)(v): whole years of 12 months measured back; the rest in months/12 if whole, else days/365.
      const { months, days } = calendar.split(start, date);
      const years = Math.floor(months / 12);
      if (days === 0) return { full: years, fractionNumerator: months - 12 * years, fractionDenominator: 12 };
      const rest = daysBetween(start, calendar.monthsBack(date, 12 * years));
      return { full: years, fractionNumerator: rest, fractionDenominator: 365 };
    }
    case 'term':
      // (b)(5)(vi), (vii): the single payment is one unit-period after the single advance.
      return compareDates(start, date) === 0
        ? { full: 0, fractionNumerator: 0, fractionDenominator: 1 }
        : { full: 1, fractionNumerator: 0, fractionDenominator: 1 };
  }
}

/** Unit-periods per year ((b)(5)(ii) to (vii)), as an exact fraction. */
export function unitPeriodsPerYear(p: UnitPeriod): { numerator: number; denominator: number } {
  switch (p.unit) {
    case 'day':
      return { numerator: 365, denominator: p.count };
    case 'week':
      return { numerator: 52, denominator: p.count };
    case 'semimonth':
      return { numerator: 24, denominator: 1 };
    case 'month':
      return { numerator: 12, denominator: p.count };
    case 'year':
      return { numerator: 1, denominator: 1 };
    case 'term':
      // (b)(5)(vi) lets a whole-month term use 12/months; (vii) requires 365/days otherwise.
      return p.months !== null
        ? { numerator: 12, denominator: p.months }
        : { numerator: 365, denominator: p.days };
  }
}

/** The conventional name of a unit-period, e.g. `monthly`, `biweekly`, `every_6_weeks`. */
export function unitPeriodLabel(p: UnitPeriod): string {
  switch (p.unit) {
    case 'day':
      return p.count === 1 ? 'daily' : `every_${p.count}_days`;
    case 'week':
      return p.count === 1 ? 'weekly' : p.count === 2 ? 'biweekly' : `every_${p.count}_weeks`;
    case 'semimonth':
      return 'semimonthly';
    case 'month':
      return (
        { 1: 'monthly', 2: 'bimonthly', 3: 'quarterly', 6: 'semiannual' }[p.count] ??
        `every_${p.count}_months`
      );
    case 'year':
      return 'annual';
    case 'term':
      return 'single_term';
  }
}
