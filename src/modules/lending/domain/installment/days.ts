import type { CalendarDate } from '../../../../kernel/dates.js';
import { daysPastDue } from './delinquency.js';
import { isSettled } from './installments.js';
import { accruedInterestTo } from './interest.js';
import { lateFeesDue } from './late-fees.js';
import { principalOutstanding, recalculatedAccrual, recalculationOf, startPeriod } from './recalculation.js';
import { compounded, joining } from './recalculation-compounding.js';
import { maturityAccrual, openAfterMaturity, owePastMaturity } from './recalculation-maturity.js';
import { type Ctx, charge, chargeOff, isServicing, post } from './servicing.js';

// What the passing of days does to a loan in a replay: interest recognised (accrual), its status re-derived, and
// each day's close of business (late fees, charge-off after N days past due). The close of business does the same
// in set-based SQL (interest.sql.ts, late-fees.sql.ts, delinquency.sql.ts); the events' handlers are servicing.ts.

/** Recognises interest for the days before `end` (see interest.ts), as one entry dated `entryDate`. */
export function accrue(ctx: Ctx, end: CalendarDate, entryDate: CalendarDate): void {
  let total = 0;
  const rule = recalculationOf(ctx.terms);
  const recalculating = rule !== null;
  const balance = recalculating
    ? principalOutstanding(ctx.installments) + compounded(rule, ctx.installments, end)
    : 0;
  const joins = joining(rule, ctx.installments, end);
  // Past the last due date the last installment keeps earning (recalculation-maturity.ts).
  if (recalculating) ctx.basis = openAfterMaturity(ctx.terms, ctx.basis, ctx.installments, end);
  for (const row of ctx.installments) {
    if (row.periodStart >= end) break;
    const late = recalculating ? maturityAccrual(ctx.basis, row, end) : null;
    if (late !== null) owePastMaturity(row, late);
    const target =
      late ??
      (recalculating
        ? recalculatedAccrual(ctx.basis, row, end, balance, joins)
        : accruedInterestTo(ctx.basis, row, end));
    total += target - row.accrued;
    row.accrued = target;
  }
  // A period starting at `end` earns on the balance as it stands, overdue principal included.
  if (recalculating) startPeriod(ctx.basis, ctx.installments, end, rule);
  post(ctx, entryDate, 'accrual', null, [
    ['interest_receivable', total],
    ['interest_income', -total],
  ]);
}

/** Re-derives active / delinquent / paid_off / overpaid at the close of `date`. */
export function refreshStatus(ctx: Ctx, date: CalendarDate, eventId: string | null = null): void {
  const s = ctx.status;
  if (!isServicing(s) && s !== 'paid_off' && s !== 'overpaid') return;
  if (isSettled(ctx.installments)) {
    // Everything owed is paid: interest paid ahead of its period is earned now, as the loan ends.
    if (isServicing(s)) {
      let rest = 0;
      for (const row of ctx.installments) {
        rest += row.interestAccrual - row.accrued;
        row.accrued = row.interestAccrual;
      }
      post(ctx, date, 'accrual', eventId, [
        ['interest_receivable', rest],
        ['interest_income', -rest],
      ]);
    }
    ctx.status = ctx.creditBalance > 0 ? 'overpaid' : 'paid_off';
  } else ctx.status = daysPastDue(ctx.installments, date) > 0 ? 'delinquent' : 'active';
}

/** The close of business of `date`: late fees, then charge-off after N days past due. */
export function endOfDay(ctx: Ctx, date: CalendarDate): void {
  if (!isServicing(ctx.status)) return;
  const { lateFee, rounding, delinquency } = ctx.terms;
  for (const a of lateFeesDue(ctx.installments, lateFee, date, rounding.mode, ctx.deferred.lateFees)) {
    const row = ctx.installments.find((r) => r.number === a.installment)!;
    row.lateFeeAssessed = true;
    ctx.lateFeeChecks.set(row.number, a.amount);
    if (a.amount > 0) charge(ctx, date, 'penalties', a.amount, row, null);
  }
  refreshStatus(ctx, date);
  const n = delinquency.chargeOffAfterDays;
  const chargeOffFrom = ctx.deferred.chargeOffFrom;
  if (
    n !== null &&
    isServicing(ctx.status) &&
    (chargeOffFrom === null || date >= chargeOffFrom) &&
    daysPastDue(ctx.installments, date) >= n
  )
    chargeOff(ctx, date, null);
}
