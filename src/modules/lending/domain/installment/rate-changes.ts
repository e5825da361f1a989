import { z } from 'zod';
import { type CalendarDate, dateSchema, daysBetween } from '../../../../kernel/dates.js';
import type { FieldIssue } from '../../../../kernel/result.js';
import { percentSchema } from '../common-terms.js';
import { percentRatio, type Ratio } from '../exact.js';
import { type AmortizationPlan, amortize } from './amortize.js';
import { type InterestBasis, interestBasis } from './interest.js';
import { plannedSteps } from './rate-timeline.js';
import { remainderPlan } from './reamortize.js';
import type { ScheduleRow } from './schedule.js';
import type { LoanTerms } from './terms.js';

/**
 * Rate changes during the loan, set when it is made: from each date the loan earns a new annual rate and the
 * installments from the one whose period holds the date are re-amortized over the same dates (Apache Fineract's
 * loan term variations of type interest rate: a reschedule with `newInterestRate` from a date,
 * ProgressiveEMICalculator.changeInterestRate). The period the date falls in earns the old rate for its days
 * before the date and the new rate for the rest (its share of a year × (R_old × days before + R_new × days from) /
 * its days, rounded once); the level payment is computed again from that period's opening scheduled balance, with
 * the program's level-payment method (`period_rates` gives Fineract's progressive EMI with the blended period's
 * rate factor). A date on a period's start re-amortizes from that installment at the new rate: Fineract's
 * reschedule from an installment's due date (that installment's period on).
 *
 * The program allows it with `rate_changes: true`; each rate lies within the program's `annual_interest_rate`
 * bounds. Not with daily interest (close of business accrues daily interest at the loan's one rate: the
 * `rate_change` action changes it), nor with re-amortized prepayments, flat interest fixed for the whole term, a
 * fixed installment (each would recompute installments at the loan's first rate) or a fixed principal percentage.
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
  interest_calculation: string;
  future_installments: string;
  flat_interest: string;
  fixed_installment: unknown;
  principal_percent_per_installment: string | null;
}

/** The combinations rate changes do not apply to, each refused naming `rate_changes`. */
export function checkRateChanges(t: Program, ctx: z.RefinementCtx): void {
  if (!t.rate_changes) return;
  const issue = (message: string) => ctx.addIssue({ code: 'custom', path: ['rate_changes'], message });
  if (t.interest_calculation === 'daily')
    issue('daily interest accrues at the loan’s one rate: change it with the rate_change action');
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

/** The basis a loan is serviced with: with daily interest, the scheduled changes' rates by date (rate-timeline.ts). */
export function servicingBasis(terms: LoanTerms): InterestBasis {
  const basis = interestBasis(terms);
  const steps = plannedSteps(terms);
  return steps ? { ...basis, steps } : basis;
}

/** The rows with each change applied in date order: the installments from its period on re-amortized. */
export function applyRateChanges(terms: LoanTerms, rows: ScheduleRow[]): ScheduleRow[] {
  let current = terms;
  let out = rows;
  for (const change of terms.rateChanges) {
    const j = out.findIndex((r) => r.dueDate > change.effectiveDate);
    if (j < 0) break;
    const next = { ...current, annualInterestRate: change.annualInterestRate };
    out = [...out.slice(0, j), ...reamortizeFrom(current, next, out, j, change.effectiveDate)];
    current = next;
  }
  return out;
}

const ONE: Ratio = { num: 1n, den: 1n };
const ZERO: Ratio = { num: 0n, den: 1n };

function reamortizeFrom(
  before: LoanTerms,
  after: LoanTerms,
  rows: readonly ScheduleRow[],
  j: number,
  date: CalendarDate,
): ScheduleRow[] {
  const row = rows[j]!;
  const oldRate = percentRatio(before.annualInterestRate);
  const newRate = percentRatio(after.annualInterestRate);
  // Shares are relative to the basis' rate: the new one, or where the new is 0% another (its periods then earn 0).
  const carrier = newRate.num !== 0n ? newRate : oldRate.num !== 0n ? oldRate : ONE;
  const basis = { ...interestBasis(after), rate: carrier };
  const days = BigInt(daysBetween(row.periodStart, row.dueDate));
  const prior = BigInt(Math.max(0, daysBetween(row.periodStart, date)));
  const rest = rows.length - j;
  const later = carrier === newRate ? ONE : ZERO;
  // (R_old × prior + R_new × (days − prior)) / (days × carrier), exact.
  const blend: Ratio = {
    num: (oldRate.num * newRate.den * prior + newRate.num * oldRate.den * (days - prior)) * carrier.den,
    den: oldRate.den * newRate.den * days * carrier.num,
  };
  const plan: AmortizationPlan = {
    ...remainderPlan(after, rows, j),
    opening: row.openingBalance,
    shareScale: Array.from({ length: rest }, (_, k) => (k === 0 ? blend : later)),
    nominalRate: newRate,
  };
  return amortize(after, basis, plan);
}
