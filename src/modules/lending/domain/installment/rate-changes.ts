import { z } from 'zod';
import { type CalendarDate, dateSchema } from '../../../../kernel/dates.js';
import type { FieldIssue } from '../../../../kernel/result.js';
import { percentSchema } from '../common-terms.js';
import { addRatio, percentRatio, type Ratio, yearFractionUnits } from '../exact.js';
import { type AmortizationPlan, amortize } from './amortize.js';
import { type InterestBasis, interestBasis } from './interest.js';
import { partsWithin, plannedSteps, type RateStep, rateByDays, scheduledSteps } from './rate-timeline.js';
import { remainderPlan } from './reamortize.js';
import type { ScheduleRow } from './schedule.js';
import type { LoanTerms } from './terms.js';

/**
 * Rate changes during the loan, set when it is made: from each date the loan earns a new annual rate and the
 * installments from the one whose period holds the date are re-amortized over the same dates (Apache Fineract's
 * loan term variations of type interest rate: a reschedule with `newInterestRate` from a date,
 * ProgressiveEMICalculator.changeInterestRate). The period the date falls in earns the old rate for its days
 * before the date and the new rate for the rest (its share of a year × (R_old × days before + R_new × days from) /
 * its days, rounded once; with more changes in the period, Σ R_i × days_i over every rate in force in it); the
 * level payment is computed again from that period's opening scheduled balance, with
 * the program's level-payment method (`period_rates` gives Fineract's progressive EMI with the blended period's
 * rate factor). A date on a period's start re-amortizes from that installment at the new rate: Fineract's
 * reschedule from an installment's due date (that installment's period on).
 *
 * With daily interest the period holding a date earns each rate for its days by the day count, each part rounded
 * on its own (Fineract's cumulative generator: CumulativeDecliningBalanceInterestLoanScheduleGenerator splits the
 * period at the variation's date), and accrual and close of business read the same rates by date
 * (rate-timeline.ts, the loan's `rate_steps`).
 *
 * The program allows it with `rate_changes: true`; each rate lies within the program's `annual_interest_rate`
 * bounds. Not with re-amortized prepayments, flat interest fixed for the whole term, a fixed installment (each
 * would recompute installments at the loan's first rate) or a fixed principal percentage.
 */

export const rateChangesProgramShape = {
  /** Whether a loan may schedule rate changes (its request's `rate_changes`). */
  rate_changes: z.boolean().default(false),
};

export const rateChangesRequestSchema = z
  .array(z.strictObject({ effective_date: dateSchema, annual_interest_rate: percentSchema }))
  .max(120)
  .optional();

/** A scheduled change: from `effectiveDate` (inclusive) the loan earns `annualInterestRate`. */
export interface RateChange {
  effectiveDate: CalendarDate;
  annualInterestRate: string;
}

interface Program {
  rate_changes: boolean;
  future_installments: string;
  flat_interest: string;
  fixed_installment: unknown;
  principal_percent_per_installment: string | null;
}

/** The combinations rate changes do not apply to, each refused naming `rate_changes`. */
export function checkRateChanges(t: Program, ctx: z.RefinementCtx): void {
  if (!t.rate_changes) return;
  const issue = (message: string) => ctx.addIssue({ code: 'custom', path: ['rate_changes'], message });
  if (t.future_installments === 'reamortize') issue('cannot be combined with future_installments reamortize');
  if (t.flat_interest === 'whole_term') issue('cannot be combined with flat_interest whole_term');
  if (t.fixed_installment !== null) issue('cannot be combined with fixed_installment');
  // A re-amortization would take the percent of the balance left, not of the amount financed.
  if (t.principal_percent_per_installment !== null)
    issue('cannot be combined with principal_percent_per_installment');
}

/** The request's changes in date order, each within the loan: the issues naming the change's date otherwise. */
export function rateChangeIssues(
  changes: readonly RateChange[],
  disbursementDate: CalendarDate,
  lastDueDate: CalendarDate,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  changes.forEach((c, k) => {
    const path = `rate_changes.${k}.effective_date`;
    if (c.effectiveDate <= disbursementDate || c.effectiveDate >= lastDueDate)
      issues.push({
        path,
        message: `must be after disbursement_date and before the last due date (${lastDueDate})`,
      });
    else if (k > 0 && c.effectiveDate <= changes[k - 1]!.effectiveDate)
      issues.push({ path, message: 'must be after the previous change’s effective_date' });
  });
  return issues;
}

/**
 * The basis a loan is serviced with: the scheduled changes' rates by date (rate-timeline.ts), which daily interest
 * accrues by and every method stores as the loan's `rate_steps` (the rate in force on a date).
 */
export function servicingBasis(terms: LoanTerms): InterestBasis {
  const basis = interestBasis(terms);
  const steps = plannedSteps(terms);
  return steps ? { ...basis, steps } : basis;
}

/**
 * The rows with each change applied in date order: the installments from its period on re-amortized. The period a
 * change falls in earns every rate in force over it for its days, so a second change in the same period keeps the
 * first change's rate for the days between them (Fineract: a repayment period's interest periods each at the rate
 * from their start, ProgressiveEMICalculator.calculateRateFactorPerPeriod; the cumulative generator steps the rate
 * at each variation's date within the period).
 */
export function applyRateChanges(terms: LoanTerms, rows: ScheduleRow[]): ScheduleRow[] {
  let out = rows;
  const steps = scheduledSteps(terms);
  const daily = terms.interestCalculation === 'daily';
  terms.rateChanges.forEach((change, k) => {
    const j = out.findIndex((r) => r.dueDate > change.effectiveDate);
    if (j < 0) return;
    const after = { ...terms, annualInterestRate: change.annualInterestRate };
    // The rates so far: a later change in the same period re-amortizes again from it.
    const known = steps.slice(0, k + 2);
    const carrier = carrierOf(known[k]!.rate, known[k + 1]!.rate);
    const share = daily
      ? dailyParts(after, known, out[j]!, carrier)
      : { blend: blendByDays(known, out[j]!, carrier), parts: undefined };
    out = [...out.slice(0, j), ...reamortizeFrom(after, out, j, carrier, share)];
  });
  return out;
}

/** The share of the carrier's interest a period earns across the rates, and with daily interest its parts. */
interface PeriodShare {
  blend: Ratio;
  parts: { balance: number; weight: Ratio }[] | undefined;
}

const ONE: Ratio = { num: 1n, den: 1n };
const ZERO: Ratio = { num: 0n, den: 1n };

function reamortizeFrom(
  after: LoanTerms,
  rows: readonly ScheduleRow[],
  j: number,
  carrier: Ratio,
  share: PeriodShare,
): ScheduleRow[] {
  const newRate = percentRatio(after.annualInterestRate);
  const basis = { ...interestBasis(after), rate: carrier };
  const rest = rows.length - j;
  // The later periods earn the new rate: the carrier's whole share, or none where the new rate is 0%.
  const later = newRate.num !== 0n ? ONE : ZERO;
  const plan: AmortizationPlan = {
    ...remainderPlan(after, rows, j),
    opening: rows[j]!.openingBalance,
    shareScale: Array.from({ length: rest }, (_, k) => (k === 0 ? share.blend : later)),
    nominalRate: newRate,
    ...(share.parts && { firstPeriodBalances: share.parts }),
  };
  return amortize(after, basis, plan);
}

/** Shares are relative to the basis' rate: the new one, or where the new is 0% another (its periods then earn 0). */
const carrierOf = (oldRate: Ratio, newRate: Ratio): Ratio =>
  newRate.num !== 0n ? newRate : oldRate.num !== 0n ? oldRate : ONE;

/** A per-period or period-days period [start, due) across the steps: its day-weighted rate over the carrier. */
function blendByDays(steps: readonly RateStep[], row: ScheduleRow, carrier: Ratio): Ratio {
  const rate = rateByDays(steps, row.periodStart, row.dueDate);
  return { num: rate.num * carrier.den, den: rate.den * carrier.num };
}

/**
 * A daily period [start, due) across the steps: each rate's days by the day count, r_i = R_i × yf_i, rounded on its
 * own as accrual sums them (rate-timeline.ts). As an amortization plan: the period's share scaled by Σ r_i over the
 * carrier's whole-period share, and one part per rate weighted r_i / Σ r_i (each part rounded, as tranches' are).
 */
function dailyParts(
  after: LoanTerms,
  steps: readonly RateStep[],
  row: ScheduleRow,
  carrier: Ratio,
): PeriodShare {
  const units = (a: CalendarDate, b: CalendarDate) => yearFractionUnits(after.dayCount, a, b);
  const shares = partsWithin(steps, row.periodStart, row.dueDate).map((p) => ({
    num: p.rate.num * units(p.from, p.until),
    den: p.rate.den,
  }));
  const sum = shares.reduce(addRatio, ZERO);
  const whole = units(row.periodStart, row.dueDate) * carrier.num;
  const blend = whole === 0n ? ZERO : { num: sum.num * carrier.den, den: sum.den * whole };
  if (sum.num === 0n) return { blend, parts: undefined };
  const balance = after.interestMethod === 'flat' ? after.amountFinanced : row.openingBalance;
  return {
    blend,
    parts: shares.map((r) => ({ balance, weight: { num: r.num * sum.den, den: r.den * sum.num } })),
  };
}
