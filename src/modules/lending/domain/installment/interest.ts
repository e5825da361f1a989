import { type CalendarDate, daysBetween } from '../../../../kernel/dates.js';
import type { Minor, RoundingMode } from '../../../../kernel/money.js';
import type { DayCount } from '../day-count.js';
import {
  percentRatio,
  type Ratio,
  roundRatio,
  roundSafe,
  toMinor,
  YEAR_UNITS,
  yearFractionUnits,
} from '../exact.js';
import { type Interval, intervalOf } from './periods.js';
import { type RateStep, steppedDayInterest } from './rate-timeline.js';
import type { AfterMaturity } from './recalculation-maturity.js';
import type { RestPending } from './recalculation-rest.js';
import type { InterestCalculation, LoanTerms } from './terms.js';

/**
 * Interest and its accrual. The close of business re-implements `accruedInterestTo` in set-based SQL over the
 * persisted installment rows, so everything here depends only on a row's columns and the loan's terms.
 *
 * Notation: R = annual rate as an exact fraction (percent / 100), ppy = periods per year, round() = the program's
 * rounding mode applied once to an exact quotient, yf(a, b) = year fraction of [a, b) by the day count
 * (30/360, actual/360, actual/365, actual/actual ISDA), B = the row's interest basis (its opening scheduled
 * principal for declining balance, the amount financed for flat interest).
 *
 *   per-period interest of a regular period     round(B × R / ppy)
 *   interest by days (daily, odd first period)   round(B × R × yf(start, due))
 *
 * Accrual. `interestAccrual` is the interest earned over the row's period [period_start, due_date) (it differs
 * from the interest due only when a grace period defers interest to a later installment). accrued(row, E) is the
 * interest recognised for the days before E (E exclusive); a close of business for business date D recognises
 * the days up to and including D, i.e. accrued(row, D + 1), and posts the difference from what it posted before
 * (debit interest_receivable, credit interest_income):
 *
 *   per_period:  accrued(row, E) = round(interestAccrual × clamp(E − period_start, 0, N) / N),
 *                N = due_date − period_start in actual days. Linear over the period's days; cumulative, so the
 *                rounding never drifts and the period ends exactly at interestAccrual.
 *   daily:       accrued(row, E) = interestAccrual                              when E ≥ due_date
 *                                = min(interestAccrual, round(B × R × yf(period_start, E)))   otherwise
 *                                  (0 when E ≤ period_start)
 *                The exact product is the cumulative carry: each day posts round(exact to date) minus what was
 *                posted, so no fraction of a cent is lost or double counted. At due_date it equals the row's
 *                interest by construction. When the rate changes during the loan (the basis' `steps`), the round()
 *                term is one per rate the span [period_start, E) crosses, summed (rate-timeline.ts).
 *
 * Both are non-decreasing in E and reach interestAccrual at due_date. Posting the differences daily, or once
 * over many days, gives the same totals, which is why the TS replay (posting at events and due dates) and the
 * daily SQL job agree. SQL: R = rate_num / rate_den and yf = yf_units / 1,603,080 are integers in `numeric`, so
 * round() is one division of exact integers with an explicit rounding rule (no float, no intermediate scale).
 */

export interface InterestBasis {
  readonly rate: Ratio;
  /** A regular period's share of a year for `per_period` interest (1/12 monthly, N/360 every N days, ...). */
  readonly regularFraction: Ratio;
  readonly dayCount: DayCount;
  readonly mode: RoundingMode;
  readonly calculation: InterestCalculation;
  /** For flat interest every period's interest is on the amount financed; null for declining balance. */
  readonly flatPrincipal: Minor | null;
  /** The rate over time when it changes during the loan (rate-timeline.ts; daily interest accrues by it); absent: `rate`. */
  readonly steps?: readonly RateStep[];
  /** Progressive interest recalculation (recalculation-progressive.ts): each row's φ by row number − 1. */
  readonly periodFactors?: readonly Ratio[];
  /** A recalculating loan's principal paid but still earning until its rest date (recalculation-rest.ts). */
  readonly restPending?: RestPending | null;
  /** A recalculating daily loan past its last due date: the stretch its last installment earns (recalculation-maturity.ts). */
  readonly afterMaturity?: AfterMaturity | null;
}

export function interestBasis(terms: LoanTerms): InterestBasis {
  return {
    rate: percentRatio(terms.annualInterestRate),
    regularFraction: regularFraction(
      intervalOf(terms.repaymentFrequency, terms.options.repaymentEvery),
      terms.dayCount,
    ),
    dayCount: terms.dayCount,
    mode: terms.rounding.mode,
    calculation: terms.interestCalculation,
    flatPrincipal: terms.interestMethod === 'flat' ? terms.amountFinanced : null,
  };
}

/**
 * A regular period's share of a year: N/12 for every N months, N/52 for N weeks, 1/24 for a semimonth, and for
 * every N days N over the day count's year (360, 364, or 365 as Fineract takes an actual year for a day-based period).
 */
export function regularFraction(interval: Interval, dayCount: DayCount): Ratio {
  const n = BigInt(interval.count);
  switch (interval.unit) {
    case 'month':
      return { num: n, den: 12n };
    case 'week':
      return { num: n, den: 52n };
    case 'semimonth':
      return { num: 1n, den: 24n };
    case 'day':
      return { num: n, den: dayCount.endsWith('/360') ? 360n : dayCount === 'actual/364' ? 364n : 365n };
  }
}

/**
 * R × f as safe numbers for the last rate and share asked (-1: not safe): a schedule asks for the same pair row
 * after row (rates.ts shares a repeated share), and then needs no bigint at all.
 */
let lastRate: Ratio | undefined;
let lastShare: Ratio | undefined;
let lastNum = -1;
let lastDen = -1;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Interest for a share f of a year: round(B × R × f). */
export function interestFor(b: InterestBasis, balance: Minor, f: Ratio): Minor {
  if (b.rate !== lastRate || f !== lastShare) {
    const num = b.rate.num * f.num;
    const den = b.rate.den * f.den;
    lastRate = b.rate;
    lastShare = f;
    lastNum = num >= 0n && num <= SAFE ? Number(num) : -1;
    lastDen = den > 0n && den <= SAFE ? Number(den) : -1;
  }
  // B × R × f exact in doubles when it stays a safe integer (a product past 2^53 − 1 rounds to at least 2^53, so
  // the test cannot pass a wrong one); otherwise in bigints.
  if (lastNum >= 0 && lastDen > 0 && balance >= 0) {
    const product = balance * lastNum;
    if (product <= Number.MAX_SAFE_INTEGER) return roundSafe(product, lastDen, b.mode);
  }
  return toMinor(roundRatio(BigInt(balance) * b.rate.num * f.num, b.rate.den * f.den, b.mode));
}

/** Interest of one regular period: round(B × R × the regular share of a year), R / ppy for the frequencies. */
export function periodicInterest(b: InterestBasis, balance: Minor): Minor {
  return interestFor(b, balance, b.regularFraction);
}

/** Interest over [start, end) by the day count: round(B × R × yf(start, end)). */
export function dayInterest(b: InterestBasis, balance: Minor, start: CalendarDate, end: CalendarDate): Minor {
  return toMinor(dayInterestExact(b, balance, start, end));
}

function dayInterestExact(b: InterestBasis, balance: Minor, start: CalendarDate, end: CalendarDate): bigint {
  const units = yearFractionUnits(b.dayCount, start, end);
  return roundRatio(BigInt(balance) * b.rate.num * units, b.rate.den * YEAR_UNITS, b.mode);
}

/** The columns of an installment row that accrual reads. */
export interface AccrualRow {
  periodStart: CalendarDate;
  dueDate: CalendarDate;
  /** Scheduled principal outstanding at the start of the period. */
  openingBalance: Minor;
  /** Interest earned over the period. */
  interestAccrual: Minor;
}

/**
 * Interest recognised on `row` for the days before `end` (exclusive). See the formulas above; `period_days` rows
 * accrue linearly like `per_period` ones (their interest is the period's, whatever its rate factor).
 */
export function accruedInterestTo(b: InterestBasis, row: AccrualRow, end: CalendarDate): Minor {
  if (end >= row.dueDate) return row.interestAccrual;
  if (end <= row.periodStart || row.interestAccrual === 0) return 0;
  if (b.calculation === 'daily') {
    const base = b.flatPrincipal ?? row.openingBalance;
    const accrued = b.steps
      ? steppedDayInterest(b.steps, b.dayCount, b.mode, base, row.periodStart, end)
      : dayInterest(b, base, row.periodStart, end);
    // Guards rows whose earned interest was cut short (a payoff before the due date).
    return Math.min(accrued, row.interestAccrual);
  }
  const days = daysBetween(row.periodStart, row.dueDate);
  const elapsed = daysBetween(row.periodStart, end);
  return toMinor(roundRatio(BigInt(row.interestAccrual) * BigInt(elapsed), BigInt(days), b.mode));
}
