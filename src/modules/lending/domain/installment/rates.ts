import {
  type CalendarDate,
  dateParts,
  daysBetween,
  daysInMonth,
  daysInYear,
  fromParts,
} from '../../../../kernel/dates.js';
import { type Ratio, multiplyRatio as times, YEAR_UNITS, yearFractionUnits } from '../exact.js';
import type { InterestBasis } from './interest.js';
import type { DaysInMonth, DaysInYear } from './options.js';
import { dueDateAt, type Interval, type Period } from './periods.js';
import type { LoanTerms } from './terms.js';

/**
 * Each period's share of a year, exact, so that its interest is round(B × R × φ) with one rounding:
 *
 *   per_period    φ = the regular share (N/12, N/52, 1/24, N/360 or N/365); an odd first period by the day count
 *   daily         φ = yf(start, due) by the day count
 *   period_days   φ = N × days in month / days in year for months, 7N / days in year for weeks, N / days in year
 *                 for days (days in month and year of the period's start); across a new year with an actual year,
 *                 Σ days in each year / its length, Fineract's split (the start's year up to Dec 31, then from
 *                 Dec 31 into the next). Fineract multiplies that sum by N as well; Plinth does not (the days
 *                 already cover the whole period): the one place period_days differs from Fineract, for periods
 *                 of more than one unit across a new year.
 *
 * `first_period_interest: prorated` charges an odd first period the regular share of the period that ends at the
 * first due date × its actual days / that regular period's days (Fineract: the interest period over the repayment
 * period, when repayments start before the disbursement).
 *
 * `split` is what sets a level installment's principal; it differs from `earned` only for per_period interest
 * with an odd first period counted by days, whose principal is that of a regular period.
 */
export interface PeriodFractions {
  earned: Ratio[];
  split: Ratio[];
}

/**
 * Shares of small integers (30/360, 31/365, 7/364 ...) are few and repeat every period, so each is made once and
 * shared: a schedule allocates no bigints for them, and later steps can tell a repeated share by identity
 * (level-payment.ts). Ratios are never mutated.
 */
const small = new Map<number, Ratio>();
const SMALL_DEN = 4096;

function ratio(num: bigint | number, den: bigint | number): Ratio {
  if (
    typeof num === 'number' &&
    typeof den === 'number' &&
    num >= 0 &&
    num < 1 << 20 &&
    den > 0 &&
    den < SMALL_DEN
  ) {
    const key = num * SMALL_DEN + den;
    let r = small.get(key);
    if (r === undefined) {
      r = { num: BigInt(num), den: BigInt(den) };
      small.set(key, r);
    }
    return r;
  }
  return { num: BigInt(num), den: BigInt(den) };
}

const plus = (a: Ratio, b: Ratio): Ratio => ({ num: a.num * b.den + b.num * a.den, den: a.den * b.den });

export function periodFractions(
  terms: LoanTerms,
  basis: InterestBasis,
  interval: Interval,
  periods: readonly { start: CalendarDate; due: CalendarDate }[],
  oddFirst: boolean,
): PeriodFractions {
  const n = periods.length;
  const earned: Ratio[] = new Array(n);
  const split: Ratio[] = new Array(n);
  const { daysInMonth: dim, daysInYear: diy, firstPeriodInterest } = terms.options;
  for (let k = 0; k < n; k++) {
    const p = periods[k]!;
    let f: Ratio;
    if (basis.calculation === 'daily')
      f = ratio(yearFractionUnits(basis.dayCount, p.start, p.due), YEAR_UNITS);
    else if (basis.calculation === 'per_period') f = basis.regularFraction;
    else f = periodDaysShare(interval, p, dim, diy);
    earned[k] = f;
    split[k] = f;
  }
  if (oddFirst && n > 0 && basis.calculation !== 'daily') {
    const first = periods[0]!;
    if (firstPeriodInterest === 'prorated') {
      const regular: Period = { start: dueDateAt(interval, first.due, -1), due: first.due };
      const share =
        basis.calculation === 'per_period'
          ? basis.regularFraction
          : periodDaysShare(interval, regular, dim, diy);
      earned[0] = split[0] = times(
        share,
        ratio(daysBetween(first.start, first.due), daysBetween(regular.start, regular.due)),
      );
    } else if (basis.calculation === 'per_period') {
      earned[0] = ratio(yearFractionUnits(basis.dayCount, first.start, first.due), YEAR_UNITS);
    } else {
      earned[0] = split[0] = daysShare(first, diy);
    }
  }
  return { earned, split };
}

/** Fineract's progressive rate factor over R for a regular period (see above). */
export function periodDaysShare(interval: Interval, p: Period, dim: DaysInMonth, diy: DaysInYear): Ratio {
  const start = dateParts(p.start);
  if (diy === 'actual' && dateParts(p.due).year > start.year) return yearSplit(p);
  const year = diy === 'actual' ? daysInYear(start.year) : Number(diy);
  switch (interval.unit) {
    case 'month':
      return ratio(interval.count * (dim === '30' ? 30 : daysInMonth(start.year, start.month)), year);
    case 'week':
      return ratio(7 * interval.count, year);
    case 'day':
      return ratio(interval.count, year);
    case 'semimonth':
      throw new Error('period_days needs repayments every N days, weeks or months');
  }
}

/** Actual days over days in year (the start's year, or the year split when the year is actual). */
function daysShare(p: Period, diy: DaysInYear): Ratio {
  if (diy === 'actual') return yearSplit(p);
  return ratio(daysBetween(p.start, p.due), Number(diy));
}

/** Σ days in each year / its length, from the start to Dec 31, then from Dec 31 on (Fineract's split). */
function yearSplit(p: Period): Ratio {
  let total = ratio(0, 1);
  let cursor = p.start;
  let year = dateParts(p.start).year;
  const last = dateParts(p.due).year;
  while (year <= last) {
    const end = year === last ? p.due : fromParts(year, 12, 31);
    total = plus(total, ratio(daysBetween(cursor, end), daysInYear(year)));
    cursor = end;
    year++;
  }
  return total;
}
