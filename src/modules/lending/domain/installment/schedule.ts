import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import { amortize } from './amortize.js';
import { disbursementFees, installmentFees } from './charges.js';
import { interestBasis } from './interest.js';
import { fixedLengthEnd, intervalOf, isRegularFirstPeriod, loanPeriods } from './periods.js';
import { applyRateChanges } from './rate-changes.js';
import type { LoanTerms } from './terms.js';
import { applyTranches, firstDisbursement } from './tranches.js';

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
 *   deferred (not capitalized) and falls due with the next installment; the first `interestFreePeriods` rows earn
 *   none (waived, not deferred).
 * - The options (options.ts): each period's share of a year (rates.ts), a level payment from period rates and its
 *   adjustment pass (level-payment.ts), flat interest for the whole term, rounding flat rows per component, a fixed
 *   principal percentage; a fixed installment amount the loan chose (fixed-installment.ts) as the level payment;
 *   rate changes the loan scheduled, re-amortizing from each (rate-changes.ts).
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
  /** The program's charges due with this installment (charges.ts). */
  fees: Minor;
  total: Minor;
  /** Principal outstanding after this installment. */
  balance: Minor;
}

export interface Schedule {
  rows: ScheduleRow[];
  totals: {
    downPayment: Minor;
    amountFinanced: Minor;
    principal: Minor;
    interest: Minor;
    /** Every charge: the installments' and those paid from the proceeds at disbursement. */
    fees: Minor;
    feesAtDisbursement: Minor;
    /** Principal, interest and every charge. */
    total: Minor;
  };
}

export function generateSchedule(terms: LoanTerms): Schedule {
  const interval = intervalOf(terms.repaymentFrequency, terms.options.repaymentEvery);
  const length = terms.options.fixedLength ?? null;
  const periods = loanPeriods(
    interval,
    terms.disbursementDate,
    terms.firstPaymentDate,
    terms.termCount,
    length === null ? null : fixedLengthEnd(interval, terms.disbursementDate, length),
  );
  const initial = amortize(terms, interestBasis(terms), {
    opening: firstDisbursement(terms),
    periods,
    firstNumber: 1,
    oddFirstPeriod: !isRegularFirstPeriod(interval, terms.disbursementDate, terms.firstPaymentDate),
    principalGrace: terms.grace.principalPeriods,
    interestGrace: terms.grace.interestPeriods,
    interestFreeGrace: terms.grace.interestFreePeriods,
    deferredInterest: 0,
  });
  const changed = terms.rateChanges.length > 0 ? applyRateChanges(terms, initial) : initial;
  const rows = terms.tranches.length > 1 ? applyTranches(terms, changed) : changed;
  while (rows.length > 1 && rows[rows.length - 1]!.total === 0) rows.pop();
  const feesAtDisbursement = disbursementFees(terms).total;
  let principal = 0;
  let interest = 0;
  let fees = feesAtDisbursement;
  rows.forEach((r, k) => {
    r.fees = installmentFees(terms, r, k === rows.length - 1).total;
    r.total += r.fees;
    principal += r.principal;
    interest += r.interest;
    fees += r.fees;
  });
  return {
    rows,
    totals: {
      downPayment: terms.downPayment,
      amountFinanced: terms.amountFinanced,
      principal,
      interest,
      fees,
      feesAtDisbursement,
      total: principal + interest + fees,
    },
  };
}

/** A schedule no reader may change: its rows and totals frozen. */
export interface FrozenSchedule {
  readonly rows: readonly Readonly<ScheduleRow>[];
  readonly totals: Readonly<Schedule['totals']>;
}

const snapshotSchedules = new WeakMap<LoanTerms, FrozenSchedule>();

/**
 * The schedule of a loan's terms snapshot, generated once per snapshot object and frozen. A loan's terms are never
 * changed once resolved (a change is a new object: a rate change is an event, a tranche plan a copy), so every
 * reader of one read of the loan may share it: an approval's compliance facts (the Truth in Lending stream of a
 * loan not yet disbursed) and the approval's own replay used to generate the same 36 rows twice. Frozen, so no
 * reader can change what another sees. Terms still being resolved (resolve.ts mutates its draft) must call
 * generateSchedule.
 */
export function snapshotSchedule(terms: LoanTerms): FrozenSchedule {
  const known = snapshotSchedules.get(terms);
  if (known) return known;
  const generated = generateSchedule(terms);
  for (const row of generated.rows) Object.freeze(row);
  const schedule: FrozenSchedule = Object.freeze({
    rows: Object.freeze(generated.rows),
    totals: Object.freeze(generated.totals),
  });
  snapshotSchedules.set(terms, schedule);
  return schedule;
}
