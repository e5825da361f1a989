import { type CalendarDate, daysBetween } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import { type Ratio, roundRatio, toMinor } from '../exact.js';
import { type Installment, outstandingOf } from './installments.js';
import { dayInterest, type InterestBasis, interestBasis } from './interest.js';
import { intervalOf, isRegularFirstPeriod } from './periods.js';
import { periodFractions } from './rates.js';
import type { InterestRecalculation } from './recalculation-terms.js';
import { snapshotSchedule } from './schedule.js';
import type { LoanTerms } from './terms.js';

/**
 * Interest recalculation on Fineract's progressive schedule (`interest_calculation: period_days` with
 * `interest_recalculation`; Fineract's ProgressiveEMICalculator). A repayment period k earns at its rate factor
 * R × φ_k (φ_k its share of a year by days in month and days in year, rates.ts); when the balance changes inside
 * the period, Fineract splits it into interest periods, each earning
 *
 *   balance × R × φ_k × (days of the stretch) / (days of the repayment period)
 *
 * (ProgressiveEMICalculator.calculateRateFactorPerPeriod: actualDaysInPeriod of the interest period over
 * calculatedDaysInPeriod of the repayment period; ProgressiveEMICalculatorTest.…payoff_on0115: 0.07 / 12 × 14 / 31
 * = 0.002634408602 for 1–15 January). Recalculation (recalculation.ts) counts every stretch of a period by this
 * rule instead of the day count: the running row's interest, its accrual counted back from the due date, the
 * re-projection of a period as it starts, and a payoff's interest earned to its date.
 *
 * Rounding, as Fineract's: each stretch is rounded on its own and the row's interest is their sum. The replay keeps
 * the stretch running in each row (`interestStretch`: from when, on which balance, and what the row earned before
 * it), so the interest earned to a date, at a change or for a payoff, is exact. Accrual between changes is counted
 * back from the due date as for daily recalculation (recalculation.ts), which the close of business computes from
 * the row and P alone; it meets the exact figure at each change and at the due date.
 */

/** The close of business marker (loans.interest_calculation) of a recalculating `period_days` loan. */
export const RECALCULATED_PERIOD_DAYS = 'period_days_recalculated';

/** Whether recalculation counts a loan's stretches by period rate factors (this file) rather than the day count. */
export const isProgressiveRecalculation = (terms: LoanTerms): boolean =>
  (terms.options.interestRecalculation ?? null) !== null && terms.interestCalculation === 'period_days';

/**
 * φ_k of every schedule row (k = number − 1), exactly as the schedule charged them (`periodFractions` over the
 * schedule's periods, the odd first period included).
 */
export function periodFactors(terms: LoanTerms, basis: InterestBasis): Ratio[] {
  const rows = snapshotSchedule(terms).rows;
  const interval = intervalOf(terms.repaymentFrequency, terms.options.repaymentEvery);
  const periods = rows.map((r) => ({ start: r.periodStart, due: r.dueDate }));
  const oddFirst = !isRegularFirstPeriod(interval, terms.disbursementDate, terms.firstPaymentDate);
  return periodFractions(terms, basis, interval, periods, oddFirst).earned;
}

/** The servicing basis of a loan, with its rows' factors when its recalculation is progressive. */
export function withPeriodFactors(terms: LoanTerms, basis: InterestBasis): InterestBasis {
  return isProgressiveRecalculation(terms) ? { ...basis, periodFactors: periodFactors(terms, basis) } : basis;
}

/** The loans column `period_factors` (migration 0021): each row's φ as [num, den] integer strings. */
export const periodFactorsJson = (factors: readonly Ratio[]): [string, string][] =>
  factors.map((f) => [f.num.toString(), f.den.toString()]);

type StretchRow = { number: number; periodStart: CalendarDate; dueDate: CalendarDate };

/**
 * Interest of `balance` over [from, to) inside `row`'s period: by the period's rate factor prorated by days
 * (above) when the basis carries period factors, else by the day count (daily recalculation).
 */
export function stretchInterest(
  b: InterestBasis,
  row: StretchRow,
  balance: Minor,
  from: CalendarDate,
  to: CalendarDate,
): Minor {
  const f = b.periodFactors?.[row.number - 1];
  if (!f) return dayInterest(b, balance, from, to);
  const days = BigInt(daysBetween(from, to));
  const period = BigInt(daysBetween(row.periodStart, row.dueDate));
  if (days <= 0n || period <= 0n) return 0;
  return toMinor(
    roundRatio(BigInt(balance) * b.rate.num * f.num * days, b.rate.den * f.den * period, b.mode),
  );
}

/**
 * What a progressive recalculating loan's close of business reads beyond a daily one: its marker (in place of
 * `daily_recalculated`) and its rows' factors. Empty for any other loan.
 */
export function progressiveServicing(
  terms: LoanTerms,
): { interestCalculation: string; periodFactors: [string, string][] } | Record<string, never> {
  if (!isProgressiveRecalculation(terms)) return {};
  return {
    interestCalculation: RECALCULATED_PERIOD_DAYS,
    periodFactors: periodFactorsJson(periodFactors(terms, interestBasis(terms))),
  };
}

/** The stretch of a row's period running since the last balance change (or the period's start). */
export interface InterestStretch {
  since: CalendarDate;
  /** Interest the row earned before `since`, each earlier stretch rounded on its own. */
  earned: Minor;
  /** The balance earning since then. */
  balance: Minor;
}

/**
 * Interest `row` earned before `end` on the progressive schedule: what it earned before its running stretch plus the
 * stretch's balance to `end` (a row no change has touched earns on its opening balance from its start).
 */
export function earnedBefore(b: InterestBasis, row: Installment, end: CalendarDate): Minor {
  const s = row.interestStretch ?? { since: row.periodStart, earned: 0, balance: row.openingBalance };
  if (end <= s.since) return s.earned;
  return Math.min(row.interestAccrual, s.earned + stretchInterest(b, row, s.balance, s.since, end));
}

/**
 * Rest `same_as_repayment` on the progressive schedule (Fineract AdvancedPaymentScheduleTransactionProcessor
 * `adjustOverduePrincipalForInstallment`): principal left unpaid after its due date is added back to the balance
 * (`emiCalculator.addBalanceCorrection` from each later period's start) and taken off only at the due date of the
 * period its payment falls in, so overdue principal earns until then; principal paid before its due date lowers
 * the balance from the payment (`payPrincipal` at the transaction date), whatever the rest. So of a payment only the
 * principal of rows past due (the allocation's `past_due` lines) waits for its rest date (recalculation-rest.ts
 * `restPending` over these lines); with rest daily nothing waits.
 */
export function overduePrincipalLines<P extends { lines: readonly { bucket: string }[] }>(
  payments: readonly P[],
): P[] {
  return payments.map((p) => ({ ...p, lines: p.lines.filter((l) => l.bucket === 'past_due') }));
}

/**
 * Interest of `balance` over [start, end) inside `row`'s period, with the principal pending its rest date. On the
 * progressive schedule that date is the due date of the period the payment fell in (above), so pending principal
 * earns over a whole stretch that starts before it, and over none that starts on or after it.
 */
export function periodEarning(
  b: InterestBasis,
  row: StretchRow,
  balance: Minor,
  start: CalendarDate,
  end: CalendarDate,
): Minor {
  return stretchInterest(b, row, balance + pendingOn(b, start), start, end);
}

const pendingOn = (b: InterestBasis, date: CalendarDate): Minor =>
  b.restPending && b.restPending.until > date ? b.restPending.amount : 0;

/**
 * The running row's interest after a change on `date` with `balance` (P) earning from then: what it earned before
 * plus the balance (with any principal pending its rest date) to its due date. A change that leaves the earning
 * balance as it was (overdue principal paid before its rest date, a payment of interest or fees) opens no stretch:
 * Fineract splits a period into interest periods at balance corrections only, and a split rounds each part.
 */
export function restretch(b: InterestBasis, row: Installment, date: CalendarDate, balance: Minor): Minor {
  const earning = balance + pendingOn(b, date);
  const running = row.interestStretch ?? {
    since: row.periodStart,
    earned: 0,
    balance: row.openingBalance,
  };
  const s =
    running.balance === earning
      ? running
      : { since: date, earned: earnedBefore(b, row, date), balance: earning };
  row.interestStretch = s;
  return s.earned + stretchInterest(b, row, s.balance, s.since, row.dueDate);
}

/** Starts a stretch on `row` (progressive recalculation only: daily rows need none). */
export function openStretch(
  b: InterestBasis,
  row: Installment,
  since: CalendarDate,
  earned: Minor,
  balance: Minor,
): void {
  if (b.periodFactors) row.interestStretch = { since, earned, balance };
}

/** Strategies whose installments keep their amount as interest changes (reschedule.ts `split`). */
export const keepsInstallments = (rule: InterestRecalculation | null): boolean =>
  rule?.reschedule === 'adjust_last_unpaid_period' || rule?.reschedule === 'reduce_number_of_installments';

/** A row whose principal is paid in full before it is due (reschedule.ts settles it): it keeps its figures. */
const paidAhead = (r: Installment): boolean => r.due.principal > 0 && outstandingOf(r, 'principal') === 0;

/**
 * As period k starts on the progressive schedule, each open row keeps the installment it owed (`totals`, before the
 * start), its principal the installment less its interest: Fineract's `RepaymentPeriod.getDuePrincipal` = EMI − due
 * interest, the last unpaid period taking what remains (calculateLastUnpaidRepaymentPeriodEMI). Row k was
 * re-projected on P (`startPeriod`); each later row is re-projected on the principal remaining at its start, keeping
 * what it owes beyond what it earns (interest deferred to it). LoanInterestRecalculationCOBTest
 * …On4IProgressiveLoanCOBStep on 02-02: 1,975.17 + 66.67, 2,008.09 + 33.75, 2,041.57 + 17.01. The close of
 * business does the same (interest.sql.ts `resplitSql`).
 */
export function keepInstallmentsFrom(
  b: InterestBasis,
  rows: Installment[],
  k: number,
  totals: readonly Minor[],
): void {
  let remaining = 0;
  let last = -1;
  for (let j = k; j < rows.length; j++) {
    remaining += outstandingOf(rows[j]!, 'principal');
    if (!paidAhead(rows[j]!)) last = j;
  }
  for (let j = k; j < rows.length; j++) {
    const r = rows[j]!;
    if (paidAhead(r)) continue;
    if (j > k) {
      const offset = r.due.interest - r.interestAccrual;
      r.interestAccrual = stretchInterest(
        b,
        r,
        Math.max(0, remaining) + pendingOn(b, r.periodStart),
        r.periodStart,
        r.dueDate,
      );
      r.due.interest = r.interestAccrual + offset;
      openStretch(b, r, r.periodStart, 0, Math.max(0, remaining));
    }
    const held = r.paid.principal + r.waived.principal;
    const principal =
      j === last ? remaining : Math.max(0, Math.min(remaining, totals[j]! - r.due.interest - held));
    r.due.principal = held + principal;
    remaining -= principal;
  }
}
