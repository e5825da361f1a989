import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import { err, type Failure, ok, type Result } from '../../../../kernel/result.js';
import { PERCENT_RE, percentRatio, type Ratio } from '../exact.js';
import { invalidEvent, type LoanEvent } from './events.js';
import type { Installment } from './installments.js';
import { type InterestBasis, interestBasis, interestFor } from './interest.js';
import { intervalOf, isRegularFirstPeriod } from './periods.js';
import { rateByDays, steppedDayInterest, stepsWith } from './rate-timeline.js';
import { periodFractions } from './rates.js';
import { recalculationOf } from './recalculation.js';
import { earnedBefore, openStretch } from './recalculation-progressive.js';
import type { Ctx } from './servicing.js';
import type { LoanTerms } from './terms.js';

export type RateChangeEvent = Extract<LoanEvent, { type: 'rate_change' }>;

/**
 * A change of the annual rate from a date: a reset, or the SCRA cap from the start of military service (the
 * compliance `scra` rule asks for it; 50 U.S.C. 3937). Replayed like any event, so a backdated change re-computes
 * everything after it: payments made since are re-allocated and the journal restated.
 *
 * Every installment whose period ends after the date earns the new rate for its days from the date: a period that
 * starts on or after it is computed again at the new rate (interest.ts formulas); the period the date falls in
 * earns each rate in force over it for its share of its days, however many changes fall in it (per_period and
 * period_days: φ × Σ R_i × days_i / days, one rounding, as planned changes; daily: interest by the day count on
 * each side, each rounded, rate-timeline.ts). The scheduled principal is kept, so each
 * installment's total changes by its interest difference: the payment falls by the interest forgiven (3937(a)(3)).
 * Interest deferred by a grace period moves with the installment it falls due on. From the date, accrual and
 * payoffs use the new rate (the context's terms and basis); daily accrual and payoffs keep the old rate for the
 * days before the date (the basis' steps), so no day already recognised is restated.
 */
export function changeRate(ctx: Ctx, ev: RateChangeEvent): Result<void, Failure> {
  if (!PERCENT_RE.test(ev.annualInterestRate))
    return err(invalidEvent(ev, 'invalid_rate', 'annual_interest_rate must be a percent string, e.g. "6"'));
  const date = ev.effectiveDate;
  const terms = { ...ctx.terms, annualInterestRate: ev.annualInterestRate };
  const before = ctx.basis;
  if (recalculationOf(terms)) return changeRecalculatedRate(ctx, terms, date);
  const after: InterestBasis = {
    ...interestBasis(terms),
    // The basis keeps the rates before the date (rate-timeline.ts): daily accrual reads the rate day by day, and
    // with every method they say which rate is in force on a date (the loan's `rate_steps`).
    steps: stepsWith(
      before.steps,
      before.rate,
      terms.disbursementDate,
      date,
      percentRatio(terms.annualInterestRate),
    ),
  };
  const rows = ctx.installments;
  const shares = periodShares(terms, after, rows);
  // A grace row's interest is deferred to the next row that charges interest: its difference goes there too.
  const deferring = rows.map((r, k) => r.due.interest === 0 && r.interestAccrual > 0 && k < rows.length - 1);
  let pending = 0;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k]!;
    if (row.dueDate <= date) continue;
    const earned = earnedWith(row, after, shares[k]!);
    pending += earned - row.interestAccrual;
    row.interestAccrual = earned;
    if (deferring[k]) continue;
    row.due.interest += pending;
    pending = 0;
    if (row.due.interest < row.paid.interest + row.waived.interest)
      return err(
        invalidEvent(
          ev,
          'rate_change_below_paid',
          `installment ${row.number} has more interest paid in advance than it earns at the new rate: ` +
            'reverse the advance payment first',
        ),
      );
  }
  ctx.terms = terms;
  ctx.basis = after;
  return ok(undefined);
}

/**
 * A recalculating loan (recalculation.ts) keeps its basis (period factors, principal pending its rest date, the
 * stretch past maturity) with the new rate from `date`: the running row's stretch closes at `date` with what it
 * earned at the old rate (progressive: each stretch rounded on its own; daily: its accrual, which ran at the start
 * of the day), and the replay then re-projects the rows on the live balance as after any event that moves it
 * (apply.ts `applyOn`: `rescheduleAfter` → `recalculate`, `reanchorAfterMaturity`), so the running row earns the
 * balance at the new rate to its due date and later rows are projected at it. Fineract's progressive loan does the
 * same: ProgressiveEMICalculator.changeInterestRate splits the interest period at the date and recalculates from
 * the outstanding balance.
 */
function changeRecalculatedRate(ctx: Ctx, terms: LoanTerms, date: CalendarDate): Result<void, Failure> {
  const before = ctx.basis;
  const rate = percentRatio(terms.annualInterestRate);
  const running = ctx.installments.find((r) => r.periodStart <= date && date < r.dueDate);
  if (running) {
    const s = running.interestStretch;
    openStretch(
      before,
      running,
      date,
      earnedBefore(before, running, date),
      s?.balance ?? running.openingBalance,
    );
  }
  ctx.basis = {
    ...before,
    rate,
    steps: stepsWith(before.steps, before.rate, terms.disbursementDate, date, rate),
  };
  ctx.terms = terms;
  return ok(undefined);
}

/** Each row's share of a year, exactly as the schedule charged its period (rates.ts). */
function periodShares(terms: LoanTerms, basis: InterestBasis, rows: readonly Installment[]): Ratio[] {
  const interval = intervalOf(terms.repaymentFrequency, terms.options.repaymentEvery);
  const periods = rows.map((r) => ({ start: r.periodStart, due: r.dueDate }));
  const oddFirst = !isRegularFirstPeriod(interval, terms.disbursementDate, terms.firstPaymentDate);
  return periodFractions(terms, basis, interval, periods, oddFirst).earned;
}

/**
 * The interest a row earns over its period across the rates by date (`after.steps`, the change included). Daily:
 * each rate's days by the day count, each part rounded. Otherwise the period's share of a year φ (its method's, as
 * the schedule charged it) at the rate weighted by days, rounded once: the figure planned changes give a period
 * (rate-changes.ts), so a second change in the period re-weights the rates, never the first change's blend.
 */
function earnedWith(row: Installment, after: InterestBasis, share: Ratio): Minor {
  const base = after.flatPrincipal ?? row.openingBalance;
  const steps = after.steps ?? [];
  if (after.calculation === 'daily')
    return steppedDayInterest(steps, after.dayCount, after.mode, base, row.periodStart, row.dueDate);
  return interestFor({ ...after, rate: rateByDays(steps, row.periodStart, row.dueDate) }, base, share);
}
