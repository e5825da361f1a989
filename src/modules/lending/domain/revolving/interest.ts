import { Decimal } from 'decimal.js';
import {
  addDays,
  type CalendarDate,
  dateParts,
  daysBetween,
  daysInYear,
  fromParts,
  maxDate,
  minDate,
} from '../../../../kernel/dates.js';
import type { Minor, RoundingMode } from '../../../../kernel/money.js';
import { dayCountDays, type RevolvingDayCount } from '../day-count.js';
import { percentRatio, type Ratio, roundRatio, toMinor } from '../exact.js';

/** A change of the interest-bearing (principal) balance: + a draw, − the principal part of a payment. */
export interface PrincipalMovement {
  date: CalendarDate;
  amount: Minor;
}

/** Enough digits for a quotient of exact integers to round like the fraction itself. */
const Exact = Decimal.clone({ precision: 60 });

export interface CycleInterestInput {
  /** Principal balance at the end of the day before the cycle starts. */
  openingPrincipal: Minor;
  movements: readonly PrincipalMovement[];
  /** First and last day of the cycle, both inclusive. */
  start: CalendarDate;
  end: CalendarDate;
  /** Annual rate in percent. */
  annualRate: string;
  dayCount: RevolvingDayCount;
  rounding: RoundingMode;
}

export interface CycleInterest {
  days: number;
  /** Σ of the end-of-day principal balances over the cycle (minor units × days). */
  sumOfDailyBalances: number;
  /** Σ daily balances ÷ days in cycle, in minor units (not rounded). */
  averageDailyBalance: Decimal;
  /** Annual rate ÷ days in the year of the day count (365, 360, or 365/366 by year for actual/actual). */
  dailyPeriodicRate: Decimal;
  /** Unrounded finance charge in minor units. */
  exact: Decimal;
  /** Finance charge rounded to a minor unit with the program's mode. */
  interest: Minor;
}

/**
 * Average-daily-balance interest for one billing cycle, including current transactions: a draw or payment
 * posted on a day counts in that day's (end-of-day) balance. Interest accrues on the principal only; billed
 * interest and fees do not bear interest.
 *
 * The sum of daily balances has a closed form, so it never walks the days:
 *
 *   S = opening_principal × D + Σ_m amount_m × (end − date_m + 1),     D = end − start + 1
 *   ADB = S / D
 *
 * and the finance charge is ADB × daily periodic rate × D, i.e.
 *
 *   actual/365:    S × rate / 365            actual/360:  S × rate / 360
 *   actual/actual: Σ over calendar years Y of S_Y × rate / days_in_year(Y), with S_Y the part of S falling in Y
 *   30/360:        ADB × rate × days30360(start, end + 1) / 360
 *
 * Close of business can compute S for every line at once in SQL, mirroring this function:
 *
 *   SELECT c.line_id,
 *          c.opening_principal * (c.cycle_end - c.cycle_start + 1)
 *            + COALESCE(SUM(m.amount * (c.cycle_end - m.posted_on + 1)), 0) AS sum_of_daily_balances
 *   FROM cycles c LEFT JOIN principal_movements m
 *     ON m.line_id = c.line_id AND m.posted_on BETWEEN c.cycle_start AND c.cycle_end
 *   GROUP BY c.line_id, c.opening_principal, c.cycle_start, c.cycle_end;
 *
 * (Postgres `date - date` is a whole number of days.) This TypeScript is the reference the SQL is tested against.
 */
export function cycleInterest(input: CycleInterestInput): CycleInterest {
  const { start, end, movements, openingPrincipal } = input;
  const days = daysBetween(start, end) + 1;
  const sum = sumOfDailyBalances(openingPrincipal, movements, start, end);
  if (!Number.isSafeInteger(sum)) throw new RangeError('sum of daily balances out of range');
  // The finance charge is one exact fraction, rounded once (ties included), as the SQL close of business does.
  const { num, den } = interestRatio(input, sum, days);
  const exact = new Exact(num.toString()).div(den.toString());
  const rate = new Decimal(input.annualRate).div(100);
  const perYear = input.dayCount === 'actual/360' || input.dayCount === '30/360' ? 360 : 365;
  const dailyRate =
    input.dayCount !== 'actual/actual'
      ? rate.div(perYear)
      : // The rate actually applied per day, on average over the cycle's days.
        sum === 0
        ? rate.div(daysInYear(dateParts(start).year))
        : new Decimal(exact.div(sum).toString());
  return {
    days,
    sumOfDailyBalances: sum,
    averageDailyBalance: new Decimal(sum).div(days),
    dailyPeriodicRate: dailyRate,
    exact: new Decimal(exact.toString()),
    interest: toMinor(roundRatio(num, den, input.rounding)),
  };
}

/** 365 × 366: a day is an integer number of these units of a year whatever the year's length. */
const LEAP_UNITS = 133_590n;

/**
 * The cycle's finance charge as num / den, with R = num_R / den_R the annual rate as a fraction:
 *
 *   actual/365, actual/360   S × R / 365 (360)
 *   30/360                   S × R × days30360(start, end + 1) / (360 × D)      (ADB × R / 360 × 30/360 days)
 *   actual/actual            R × Σ_Y S_Y / days_in_year(Y)   = R × Σ_Y S_Y × (133,590 / days_in_year(Y)) / 133,590
 */
export function interestRatio(
  input: Pick<
    CycleInterestInput,
    'openingPrincipal' | 'movements' | 'start' | 'end' | 'annualRate' | 'dayCount'
  >,
  sum: number,
  days: number,
): Ratio {
  const r = percentRatio(new Decimal(input.annualRate).toFixed());
  const s = BigInt(sum);
  switch (input.dayCount) {
    case 'actual/365':
      return { num: s * r.num, den: r.den * 365n };
    case 'actual/360':
      return { num: s * r.num, den: r.den * 360n };
    case '30/360': {
      const d30 = BigInt(dayCountDays('30/360', input.start, addDays(input.end, 1)));
      return { num: s * r.num * d30, den: r.den * 360n * BigInt(days) };
    }
    case 'actual/actual': {
      let weighted = 0n;
      for (let year = dateParts(input.start).year; year <= dateParts(input.end).year; year++) {
        const from = maxDate(input.start, fromParts(year, 1, 1));
        const to = minDate(input.end, fromParts(year, 12, 31));
        const opening = balanceBefore(input.openingPrincipal, input.movements, from);
        const part = sumOfDailyBalances(opening, input.movements, from, to);
        weighted += BigInt(part) * (LEAP_UNITS / BigInt(daysInYear(year)));
      }
      return { num: weighted * r.num, den: r.den * LEAP_UNITS };
    }
  }
}

/** S over [start, end]: `opening` is the balance at the end of the day before `start`. */
function sumOfDailyBalances(
  opening: Minor,
  movements: readonly PrincipalMovement[],
  start: CalendarDate,
  end: CalendarDate,
): number {
  let sum = opening * (daysBetween(start, end) + 1);
  for (const m of movements) {
    if (m.date >= start && m.date <= end) sum += m.amount * (daysBetween(m.date, end) + 1);
  }
  return sum;
}

/** Balance at the end of the day before `date`. */
function balanceBefore(opening: Minor, movements: readonly PrincipalMovement[], date: CalendarDate): Minor {
  return movements.reduce((b, m) => (m.date < date ? b + m.amount : b), opening);
}
