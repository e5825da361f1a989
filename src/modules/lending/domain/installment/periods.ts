import {
  addDays,
  addMonths,
  type CalendarDate,
  dateParts,
  daysInMonth,
  fromParts,
} from '../../../../kernel/dates.js';

export const REPAYMENT_FREQUENCIES = ['weekly', 'biweekly', 'semimonthly', 'monthly', 'quarterly'] as const;
export type RepaymentFrequency = (typeof REPAYMENT_FREQUENCIES)[number];

/** Periods per year, the divisor of the annual rate for `per_period` interest. */
export const PERIODS_PER_YEAR: Record<RepaymentFrequency, number> = {
  weekly: 52,
  biweekly: 26,
  semimonthly: 24,
  monthly: 12,
  quarterly: 4,
};

/** A repayment interval: every `count` days, weeks, semimonths or months. */
export interface Interval {
  unit: 'day' | 'week' | 'semimonth' | 'month';
  count: number;
}

const FREQUENCY_INTERVAL: Record<RepaymentFrequency, Interval> = {
  weekly: { unit: 'week', count: 1 },
  biweekly: { unit: 'week', count: 2 },
  semimonthly: { unit: 'semimonth', count: 1 },
  monthly: { unit: 'month', count: 1 },
  quarterly: { unit: 'month', count: 3 },
};

/** A loan's interval: the program's `repayment_every` when set, else its repayment frequency. */
export const intervalOf = (frequency: RepaymentFrequency, every: Interval | null): Interval =>
  every ?? FREQUENCY_INTERVAL[frequency];

const asInterval = (i: RepaymentFrequency | Interval): Interval =>
  typeof i === 'string' ? FREQUENCY_INTERVAL[i] : i;

/** One repayment period [start, due): interest runs from `start` up to but excluding `due`. */
export interface Period {
  start: CalendarDate;
  due: CalendarDate;
}

/**
 * The k-th due date counted from the first payment date (k = 0 is the first payment, k = −1 the nominal date one
 * period before it). Every N days or weeks adds N × k days or weeks (Fineract's DefaultScheduledDateGenerator). Monthly and quarterly dates keep the first payment's day of month, falling back to the
 * month's last day (Jan 31, Feb 29, Mar 31). Semimonthly dates alternate between two days 15 days apart, taken
 * from the first payment date: the 5th gives the 5th and the 20th, the 20th gives the 20th and the next 5th,
 * the 15th gives the 15th and the 30th (the last day in February).
 */
export function dueDateAt(
  frequency: RepaymentFrequency | Interval,
  first: CalendarDate,
  k: number,
): CalendarDate {
  const { unit, count } = asInterval(frequency);
  switch (unit) {
    case 'day':
      return addDays(first, count * k);
    case 'week':
      return addDays(first, 7 * count * k);
    case 'month':
      return addMonths(first, count * k, dateParts(first).day);
    case 'semimonth':
      return semimonthlyAt(first, k);
  }
}

function semimonthlyAt(first: CalendarDate, k: number): CalendarDate {
  const { year, month, day } = dateParts(first);
  const firstIsLow = day <= 15;
  const low = firstIsLow ? day : day - 15;
  const high = low + 15;
  // Position in the (low, high) sequence counted from the low day of the first payment's month.
  const index = k + (firstIsLow ? 0 : 1);
  const monthOffset = Math.floor(index / 2);
  const total = year * 12 + (month - 1) + monthOffset;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  const d = index % 2 === 0 ? low : high;
  return fromParts(y, m, Math.min(d, daysInMonth(y, m)));
}

/**
 * The periods of a loan: the first runs from disbursement to the first payment date, each next one from due to due.
 * `lastDue` (a fixed length) moves the last due date.
 */
export function loanPeriods(
  frequency: RepaymentFrequency | Interval,
  disbursementDate: CalendarDate,
  firstPaymentDate: CalendarDate,
  count: number,
  lastDue: CalendarDate | null = null,
): Period[] {
  const periods: Period[] = new Array(count);
  let start = disbursementDate;
  for (let k = 0; k < count; k++) {
    const due =
      k === count - 1 && lastDue !== null
        ? lastDue
        : k === 0
          ? firstPaymentDate
          : dueDateAt(frequency, firstPaymentDate, k);
    periods[k] = { start, due };
    start = due;
  }
  return periods;
}

/**
 * A first period is regular when it is exactly one period long, counted forward from the disbursement
 * (Jan 31 → Feb 29) or back from the first payment (Feb 29 → Mar 31, a month-end schedule). Otherwise it is odd
 * (shorter or longer) and its interest is counted by days.
 */
export function isRegularFirstPeriod(
  frequency: RepaymentFrequency | Interval,
  disbursementDate: CalendarDate,
  firstPaymentDate: CalendarDate,
): boolean {
  return (
    dueDateAt(frequency, firstPaymentDate, -1) === disbursementDate ||
    dueDateAt(frequency, disbursementDate, 1) === firstPaymentDate
  );
}

/** The last due date of a loan of fixed length: `length` of the interval's unit after disbursement (Fineract). */
export function fixedLengthEnd(
  interval: Interval,
  disbursementDate: CalendarDate,
  length: number,
): CalendarDate {
  return dueDateAt({ unit: interval.unit, count: 1 }, disbursementDate, length);
}
