import { type CalendarDate, daysBetween } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import { err, type Failure, ok, type Result } from '../../../../kernel/result.js';
import { PERCENT_RE, percentRatio, roundRatio, toMinor } from '../exact.js';
import { invalidEvent, type LoanEvent } from './events.js';
import type { Installment } from './installments.js';
import { dayInterest, type InterestBasis, interestBasis, periodicInterest } from './interest.js';
import { isRegularFirstPeriod } from './periods.js';
import { steppedDayInterest, stepsWith } from './rate-timeline.js';
import type { Ctx } from './servicing.js';

export type RateChangeEvent = Extract<LoanEvent, { type: 'rate_change' }>;

/**
 * A change of the annual rate from a date: a reset, or the SCRA cap from the start of military service (the
 * compliance `scra` rule asks for it; 50 U.S.C. 3937). Replayed like any event, so a backdated change re-computes
 * everything after it: payments made since are re-allocated and the journal restated.
 *
 * Every installment whose period ends after the date earns the new rate for its days from the date: a period that
 * starts on or after it is computed again at the new rate (interest.ts formulas); the period the date falls in
 * earns the old rate's share of its days before the date and the new rate's share after (per_period: one rounding
 * of the blend by days; daily: interest by the day count on each side, each rounded, rate-timeline.ts). The scheduled principal is kept, so each
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
  const oddFirst = !isRegularFirstPeriod(
    terms.repaymentFrequency,
    terms.disbursementDate,
    terms.firstPaymentDate,
  );
  const rows = ctx.installments;
  // A grace row's interest is deferred to the next row that charges interest: its difference goes there too.
  const deferring = rows.map((r, k) => r.due.interest === 0 && r.interestAccrual > 0 && k < rows.length - 1);
  let pending = 0;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k]!;
    if (row.dueDate <= date) continue;
    const earned = earnedWith(row, after, date, oddFirst && row.number === 1);
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

/** The interest a row earns with the rate changing to `after` on `date` (date < due date). */
function earnedWith(
  row: Installment,
  after: InterestBasis,
  date: CalendarDate,
  oddFirstPeriod: boolean,
): Minor {
  const base = after.flatPrincipal ?? row.openingBalance;
  const start = row.periodStart;
  // Daily: each rate's days by the day count, also across an earlier change in the same period.
  if (after.calculation === 'daily' && after.steps)
    return steppedDayInterest(after.steps, after.dayCount, after.mode, base, start, row.dueDate);
  const full = oddFirstPeriod ? dayInterest(after, base, start, row.dueDate) : periodicInterest(after, base);
  if (date <= start) return full;
  const days = BigInt(daysBetween(start, row.dueDate));
  const old = BigInt(daysBetween(start, date));
  const blended = BigInt(row.interestAccrual) * old + BigInt(full) * (days - old);
  return toMinor(roundRatio(blended, days, after.mode));
}
