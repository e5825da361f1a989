import { z } from 'zod';
import { type Minor, positiveMinorSchema, type RoundingMode } from '../../../../kernel/money.js';
import { err, ok, type Result } from '../../../../kernel/result.js';
import { arePercents, percentSchema } from '../common-terms.js';
import { comparePercent, percentRatio, roundRatio, toMinor } from '../exact.js';
import { generateSchedule, type ScheduleRow } from './schedule.js';
import type { LoanTerms } from './terms.js';

/**
 * A fixed installment amount: the lender fixes the installment and the term follows from it (Apache Fineract's
 * `fixedEmiAmount` on a loan, allowed by the product's `canDefineInstallmentAmount`).
 *
 * Fineract's cumulative schedule generator runs period after period until the balance is zero
 * (AbstractCumulativeLoanScheduleGenerator): each installment is the fixed amount, its principal the amount less
 * the period's interest, and the loan ends when the principal is repaid; the last installment repays what remains
 * (LoanApplicationTerms.adjustPrincipalIfLastRepaymentPeriod). Where the principal left after an installment is
 * less than the product's `principalThresholdForLastInstallment` percent of that installment's principal, it is
 * folded into that installment rather than left for one more (the default threshold is 0 for a single
 * disbursement: never folded). A fixed amount no larger than a period's interest never amortizes: Fineract refuses
 * it ("EMI amount must be greater than" the interest, MultiDisbursementEmiAmountException). The number of
 * installments the amount gives must lie within the product's minimum and maximum number of repayments
 * (LoanTransactionValidator); Plinth checks that when the loan is quoted or originated, naming `fixed_installment`.
 *
 * The rows are the ordinary schedule's (schedule.ts) with the fixed amount as the level payment: principal grace,
 * interest grace and interest-free grace apply as usual, and the last row takes whatever principal remains.
 */

/** The program's `fixed_installment`: the amounts a loan may fix its installment at, and the fold threshold. */
export const fixedInstallmentShape = {
  fixed_installment: z
    .strictObject({
      min: positiveMinorSchema,
      max: positiveMinorSchema,
      /** Fineract `principalThresholdForLastInstallment`: percent of the last installment's principal. */
      last_installment_threshold_percent: percentSchema.default('0'),
    })
    .nullable()
    .default(null),
};

/** A loan's fixed installment, as the engine reads it. */
export interface FixedInstallment {
  /** Principal and interest of every installment but the last (fees are on top, as Fineract's EMI excludes them). */
  amount: Minor;
  /** Principal left after an installment below this percent of its principal is paid with it. */
  lastInstallmentThresholdPercent: string;
}

interface Program {
  interest_method: string;
  amortization: string;
  future_installments: string;
  fixed_length: number | null;
  fixed_installment: { min: number; max: number; last_installment_threshold_percent: string } | null;
}

/** The combinations a fixed installment does not apply to, each refused naming it. */
export function checkFixedInstallment(t: Program, ctx: z.RefinementCtx): void {
  const f = t.fixed_installment;
  if (f === null) return;
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  if (f.min > f.max) issue(['fixed_installment', 'max'], 'must be ≥ min');
  const threshold = f.last_installment_threshold_percent;
  if (arePercents(threshold) && comparePercent(threshold, '100') > 0)
    issue(['fixed_installment', 'last_installment_threshold_percent'], 'must be at most 100');
  // Fineract refuses a fixed EMI with equal principal (equal amortization); flat interest depends on the term the
  // amount would decide.
  if (t.interest_method !== 'declining_balance' || t.amortization !== 'equal_installments')
    issue(['fixed_installment'], 'applies to declining balance with equal installments');
  if (t.future_installments === 'reamortize')
    issue(
      ['fixed_installment'],
      'a fixed installment cannot be re-amortized (future_installments reamortize)',
    );
  if (t.fixed_length !== null)
    issue(
      ['fixed_installment'],
      'a fixed installment decides the term: it cannot be combined with fixed_length',
    );
}

/**
 * The number of installments a loan's fixed amount gives, within the program's term bounds; a message (for
 * `fixed_installment`) when the amount does not amortize, ends the loan in fewer installments than the program's
 * shortest term or needs more than its longest.
 */
export function fixedInstallmentTerm(
  terms: LoanTerms & { fixedInstallment: FixedInstallment },
  bounds: { min: number; max: number },
): Result<number, string> {
  // Built over one more period than the longest term: its last row takes whatever remains.
  const rows = generateSchedule({ ...terms, termCount: bounds.max + 1 }).rows;
  return termFromRows(
    rows,
    terms.fixedInstallment,
    bounds,
    terms.grace.principalPeriods,
    terms.rounding.mode,
  );
}

/**
 * The first row after which nothing is left, or less than the threshold (`rows`: the empty rows after the loan is
 * repaid dropped).
 */
function termFromRows(
  rows: readonly ScheduleRow[],
  fixed: FixedInstallment,
  bounds: { min: number; max: number },
  principalGrace: number,
  mode: RoundingMode,
): Result<number, string> {
  // The threshold as a fraction (percentRatio divides by 100), rounded like Fineract's Money to the minor unit.
  const threshold = percentRatio(fixed.lastInstallmentThresholdPercent);
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k]!;
    // After the principal grace a row's principal is the amount less its interest, never below zero.
    if (k >= principalGrace && row.principal === 0)
      return err(
        `must be more than the interest of installment ${row.number} (${row.interestAccrual} minor units): the installment would never repay the principal`,
      );
    const fold = toMinor(roundRatio(BigInt(row.principal) * threshold.num, threshold.den, mode));
    if (row.balance === 0 || (row.principal > 0 && row.balance < fold)) return withinBounds(k + 1, bounds);
  }
  // Unreachable: the last row repays whatever remains.
  return err('does not repay the loan');
}

function withinBounds(n: number, bounds: { min: number; max: number }): Result<number, string> {
  if (n < bounds.min)
    return err(`repays the loan in ${n} installments, fewer than term_count.min (${bounds.min})`);
  if (n > bounds.max)
    return err(`is too small to repay the loan within term_count.max (${bounds.max}) installments`);
  return ok(n);
}
