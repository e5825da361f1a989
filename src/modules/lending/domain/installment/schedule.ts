import { Decimal } from 'decimal.js';
import type { CalendarDate } from '../../../../kernel/dates.js';
import { type Minor, roundToMultiple } from '../../../../kernel/money.js';
import { dayInterest, type InterestBasis, interestBasis, periodicInterest } from './interest.js';
import { isRegularFirstPeriod, loanPeriods, type Period } from './periods.js';
import type { LoanTerms } from './terms.js';

/**
 * Amortization schedules.
 *
 * Each period's interest is computed on the exact rate (interest.ts) and rounded once. The level amount is
 * rounded to the program's installment multiple; every row's principal is derived from it, and the last row takes
 * whatever principal remains (the residue of all the rounding), so principal always sums to the amount financed.
 *
 * - declining_balance + equal_installments: level total T = annuity(B, R/ppy, m) (m = periods after the principal
 *   grace); principal_k = T − interest_k. With daily interest T uses the nominal R/ppy and the split varies with
 *   each period's days, the usual "simple interest" loan.
 * - declining_balance + equal_principal: principal_k = B/m rounded to the multiple; interest on the balance.
 * - flat: interest on the amount financed every period; equal_principal pays B/m, equal_installments pays a level
 *   T = (B + Σ interest of the amortizing periods)/m. With per_period interest both give the same rows.
 * - Odd first period (disbursement not exactly one period before the first payment): interest by days per the day
 *   count. With per_period interest the first installment carries the difference from a regular period's interest
 *   and its principal is that of a regular period, so the other installments stay level.
 * - Grace: the first `principalPeriods` rows pay interest only; the interest of the first `interestPeriods` rows is
 *   deferred (not capitalized) and falls due with the next installment.
 * - A row never has negative principal; if rounding the level amount up repays the loan early, the trailing empty
 *   rows are dropped from a generated schedule.
 */

export interface ScheduleRow {
  number: number;
  periodStart: CalendarDate;
  dueDate: CalendarDate;
  /** Scheduled principal outstanding at the start of the period (the interest basis). */
  openingBalance: Minor;
  principal: Minor;
  /** Interest due with this installment. */
  interest: Minor;
  /** Interest earned over this period; equals `interest` unless a grace period defers it. */
  interestAccrual: Minor;
  total: Minor;
  /** Principal outstanding after this installment. */
  balance: Minor;
}

export interface Schedule {
  rows: ScheduleRow[];
  totals: { downPayment: Minor; amountFinanced: Minor; principal: Minor; interest: Minor; total: Minor };
}

export function generateSchedule(terms: LoanTerms): Schedule {
  const periods = loanPeriods(
    terms.repaymentFrequency,
    terms.disbursementDate,
    terms.firstPaymentDate,
    terms.termCount,
  );
  const rows = amortize(terms, interestBasis(terms), {
    opening: terms.amountFinanced,
    periods,
    firstNumber: 1,
    oddFirstPeriod: !isRegularFirstPeriod(
      terms.repaymentFrequency,
      terms.disbursementDate,
      terms.firstPaymentDate,
    ),
    principalGrace: terms.grace.principalPeriods,
    interestGrace: terms.grace.interestPeriods,
    deferredInterest: 0,
  });
  while (rows.length > 1 && rows[rows.length - 1]!.total === 0) rows.pop();
  let principal = 0;
  let interest = 0;
  for (const r of rows) {
    principal += r.principal;
    interest += r.interest;
  }
  return {
    rows,
    totals: {
      downPayment: terms.downPayment,
      amountFinanced: terms.amountFinanced,
      principal,
      interest,
      total: principal + interest,
    },
  };
}

/** What to amortize: a whole loan, or (re-amortization) the remaining periods of one. */
export interface AmortizationPlan {
  opening: Minor;
  periods: readonly Period[];
  firstNumber: number;
  /** Only the plan's first period can be odd. */
  oddFirstPeriod: boolean;
  principalGrace: number;
  interestGrace: number;
  /** Interest earned before this plan and still waiting to fall due (interest grace). */
  deferredInterest: Minor;
}

export function amortize(terms: LoanTerms, basis: InterestBasis, plan: AmortizationPlan): ScheduleRow[] {
  const { periods, opening } = plan;
  const n = periods.length;
  if (n === 0) return [];
  const grace = Math.min(plan.principalGrace, n - 1);
  const perPeriod = basis.calculation === 'per_period';
  const flat = basis.flatPrincipal !== null;
  const { mode, installmentMultiple } = terms.rounding;

  // The interest that sets the principal split; per_period treats an odd first period as regular here.
  const splitInterest = (k: number, base: Minor): Minor =>
    perPeriod ? periodicInterest(basis, base) : dayInterest(basis, base, periods[k]!.start, periods[k]!.due);

  const m = n - grace;
  let level: Minor;
  if (terms.amortization === 'equal_principal')
    level = roundToMultiple(new Decimal(opening).div(m), installmentMultiple, mode);
  else if (flat) {
    let interest = 0;
    for (let k = grace; k < n; k++) interest += splitInterest(k, opening);
    level = roundToMultiple(new Decimal(opening + interest).div(m), installmentMultiple, mode);
  } else level = roundToMultiple(annuity(opening, basis, m), installmentMultiple, mode);

  const rows: ScheduleRow[] = new Array(n);
  let balance = opening;
  let deferred = plan.deferredInterest;
  for (let k = 0; k < n; k++) {
    const base = flat ? opening : balance;
    const split = splitInterest(k, base);
    const earned =
      perPeriod && k === 0 && plan.oddFirstPeriod
        ? dayInterest(basis, base, periods[0]!.start, periods[0]!.due)
        : split;
    let principal: Minor;
    if (k < grace) principal = 0;
    else if (k === n - 1) principal = balance;
    else if (terms.amortization === 'equal_principal') principal = Math.min(level, balance);
    else principal = Math.min(Math.max(level - split, 0), balance);
    let interest: Minor;
    if (k < plan.interestGrace && k < n - 1) {
      interest = 0;
      deferred += earned;
    } else {
      interest = earned + deferred;
      deferred = 0;
    }
    const openingBalance = balance;
    balance -= principal;
    const p = periods[k]!;
    rows[k] = {
      number: plan.firstNumber + k,
      periodStart: p.start,
      dueDate: p.due,
      openingBalance,
      principal,
      interest,
      interestAccrual: earned,
      total: principal + interest,
      balance,
    };
  }
  return rows;
}

const Precise = Decimal.clone({ precision: 40 });

/**
 * r = R/ppy and 1 − (1 + r)^−m, by rate and count. The power is most of a schedule's cost and every replay of a
 * loan makes its schedule again, while a program's loans share few rates and terms. Bounded: cleared when full.
 */
const factors = new Map<string, { r: Decimal; d: Decimal }>();
const FACTORS_MAX = 4096;

function annuityFactors(basis: InterestBasis, m: number): { r: Decimal; d: Decimal } {
  const key = `${basis.rate.num}/${basis.rate.den}/${basis.periodsPerYear}/${m}`;
  let f = factors.get(key);
  if (f === undefined) {
    if (factors.size >= FACTORS_MAX) factors.clear();
    const r = new Precise(basis.rate.num.toString()).div((basis.rate.den * basis.periodsPerYear).toString());
    f = { r, d: new Precise(1).minus(r.plus(1).pow(-m)) };
    factors.set(key, f);
  }
  return f;
}

/** The level payment B·r / (1 − (1 + r)^−m) with r = R/ppy, before rounding. */
function annuity(balance: Minor, basis: InterestBasis, m: number): Decimal {
  if (basis.rate.num === 0n) return new Precise(balance).div(m);
  const { r, d } = annuityFactors(basis, m);
  return new Precise(balance).times(r).div(d);
}
