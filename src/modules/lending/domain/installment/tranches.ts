import { z } from 'zod';
import { type CalendarDate, dateSchema, daysBetween } from '../../../../kernel/dates.js';
import { type Minor, positiveMinorSchema } from '../../../../kernel/money.js';
import type { FieldIssue } from '../../../../kernel/result.js';
import type { Ratio } from '../exact.js';
import { type AmortizationPlan, amortize } from './amortize.js';
import { interestBasis } from './interest.js';
import { remainderPlan } from './reamortize.js';
import type { ScheduleRow } from './schedule.js';
import type { LoanTerms } from './terms.js';

/**
 * Multiple disbursements (tranches), Apache Fineract's `multiDisburseLoan`: the loan is approved for an amount and
 * disbursed in parts, each re-amortizing the installments from the one whose period holds its date over the same
 * dates, as Fineract's progressive schedule does (ProgressiveEMICalculator.addDisbursement, reproduced by
 * tranches.test.ts from ProgressiveEMICalculatorTest):
 *
 * - the period a tranche falls in earns on the balance before it for its days before the date and on the balance
 *   with it for the rest, each part rounded on its own (Fineract's interest periods); a tranche on a due date
 *   belongs to the period that starts there;
 * - the level payment of that period on is computed again on the period's opening balance plus the tranches in it,
 *   with the program's level-payment method and adjustment pass (Fineract's EMI over the related periods, then
 *   checkAndAdjustEmiIfNeededOnRelatedRepaymentPeriods); the installments before it are unchanged.
 *
 * The program allows it with `multi_disbursement: {max_tranches, max_outstanding}` (Fineract's
 * `maxTrancheCount` and `outstandingLoanBalance`). A loan may plan its tranches (`tranches: [{date, amount}]`, the
 * first on the disbursement date, Fineract's `disbursementData`): a quote and the Truth in Lending disclosure show
 * the schedule with every planned tranche (Appendix J's multiple advances). Servicing re-amortizes at each tranche
 * actually disbursed: `disburse` pays out the first (the amount financed when none is planned), each
 * `disburse_tranche` one more, up to the amount financed (the approved amount).
 *
 * Not with daily interest (close of business accrues a daily row on its one opening balance), flat interest (its
 * interest is fixed on the amount at origination), re-amortized prepayments, a fixed installment, a fixed principal
 * percentage, scheduled rate changes, or charges computed from what is disbursed or from an installment's principal
 * and interest (Fineract has tranche disbursement charges for that, not expressible yet).
 */

export const multiDisbursementShape = {
  multi_disbursement: z
    .strictObject({
      /** The most disbursements a loan may have, the first included (Fineract `maxTrancheCount`). */
      max_tranches: z.number().int().min(2).max(100),
      /** Principal outstanding a tranche may not take the loan above (Fineract `outstandingLoanBalance`). */
      max_outstanding: positiveMinorSchema.nullable().default(null),
    })
    .nullable()
    .default(null),
};

export const tranchesRequestSchema = z
  .array(z.strictObject({ date: dateSchema, amount: positiveMinorSchema }))
  .min(1)
  .max(100)
  .optional();

export interface Tranche {
  date: CalendarDate;
  amount: Minor;
}

export interface MultiDisbursement {
  maxTranches: number;
  maxOutstanding: Minor | null;
}

interface Program {
  multi_disbursement: { max_tranches: number; max_outstanding: number | null } | null;
  interest_calculation: string;
  interest_method: string;
  future_installments: string;
  fixed_installment: unknown;
  principal_percent_per_installment: string | null;
  rate_changes: boolean;
  charges: readonly { due: string; calculation: string }[];
}

/** The combinations tranches do not apply to, each refused naming `multi_disbursement`. */
export function checkMultiDisbursement(t: Program, ctx: z.RefinementCtx): void {
  if (t.multi_disbursement === null) return;
  const issue = (message: string) => ctx.addIssue({ code: 'custom', path: ['multi_disbursement'], message });
  if (t.interest_calculation === 'daily')
    issue('daily interest accrues on a period’s one opening balance: use per_period or period_days');
  if (t.interest_method === 'flat') issue('flat interest is fixed on the amount at origination');
  if (t.future_installments === 'reamortize') issue('cannot be combined with future_installments reamortize');
  if (t.fixed_installment !== null) issue('cannot be combined with fixed_installment');
  if (t.principal_percent_per_installment !== null)
    issue('cannot be combined with principal_percent_per_installment');
  if (t.rate_changes) issue('cannot be combined with rate_changes');
  if (t.charges.some((c) => c.due === 'disbursement' || c.calculation.endsWith('interest')))
    issue(
      'charges due at disbursement or computed from an installment’s interest cannot follow tranches (flat and percent_of_amount charges with installments can)',
    );
}

export const toMultiDisbursement = (p: Program['multi_disbursement']): MultiDisbursement | null =>
  p && { maxTranches: p.max_tranches, maxOutstanding: p.max_outstanding };

/**
 * A loan request's planned tranches: allowed by the program, the first on the disbursement date, dates
 * increasing and before the last due date, no more than the program's count, together at most the amount financed
 * and never taking the scheduled principal above the program's maximum outstanding.
 */
export function trancheIssues(
  multi: MultiDisbursement | null,
  tranches: readonly Tranche[],
  disbursementDate: CalendarDate,
  amountFinanced: Minor,
): FieldIssue[] {
  if (tranches.length === 0) return [];
  if (multi === null)
    return [
      {
        path: 'tranches',
        message: 'the program does not allow tranches (its terms have no multi_disbursement)',
      },
    ];
  const issues: FieldIssue[] = [];
  if (tranches.length > multi.maxTranches)
    issues.push({
      path: 'tranches',
      message: `at most ${multi.maxTranches} tranches (multi_disbursement.max_tranches)`,
    });
  if (tranches[0]!.date !== disbursementDate)
    issues.push({ path: 'tranches.0.date', message: `must be the disbursement_date (${disbursementDate})` });
  tranches.forEach((t, k) => {
    if (k > 0 && t.date <= tranches[k - 1]!.date)
      issues.push({ path: `tranches.${k}.date`, message: 'must be after the previous tranche’s date' });
  });
  const total = tranches.reduce((s, t) => s + t.amount, 0);
  if (total > amountFinanced)
    issues.push({
      path: 'tranches',
      message: `together ${total}: must be at most the amount financed (${amountFinanced})`,
    });
  return issues;
}

/** The planned tranches' checks that need the schedule: before the last due date, within the maximum outstanding. */
export function scheduledTrancheIssues(
  multi: MultiDisbursement,
  tranches: readonly Tranche[],
  rows: readonly ScheduleRow[],
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const last = rows.at(-1)!.dueDate;
  tranches.forEach((t, k) => {
    if (k > 0 && t.date >= last)
      issues.push({ path: `tranches.${k}.date`, message: `must be before the last due date (${last})` });
  });
  if (issues.length > 0 || multi.maxOutstanding === null) return issues;
  tranches.forEach((t, k) => {
    const outstanding = outstandingAfter(rows, t.date);
    if (outstanding > multi.maxOutstanding!)
      issues.push({
        path: `tranches.${k}.amount`,
        message: `takes the principal outstanding to ${outstanding}, above multi_disbursement.max_outstanding (${multi.maxOutstanding})`,
      });
  });
  return issues;
}

/** Scheduled principal outstanding once the tranches of `date` are disbursed: the balance after the due dates before. */
function outstandingAfter(rows: readonly ScheduleRow[], date: CalendarDate): Minor {
  const j = rows.findIndex((r) => r.dueDate > date);
  return j < 0 ? 0 : rows[j]!.openingBalance;
}

/** What the schedule starts with: the first tranche, or the whole amount financed. */
export const firstDisbursement = (terms: LoanTerms): Minor =>
  terms.tranches[0]?.amount ?? terms.amountFinanced;

/**
 * The rows with the tranches after the first applied in date order: the installments from the period each falls in
 * re-amortized (several in one period at once, each balance earning for its days).
 */
export function applyTranches(terms: LoanTerms, rows: ScheduleRow[]): ScheduleRow[] {
  const basis = interestBasis(terms);
  let out = rows;
  const later = terms.tranches.slice(1);
  let k = 0;
  while (k < later.length) {
    const j = out.findIndex((r) => r.dueDate > later[k]!.date);
    if (j < 0) break;
    const row = out[j]!;
    const inPeriod: Tranche[] = [];
    while (k < later.length && later[k]!.date < row.dueDate) inPeriod.push(later[k++]!);
    out = [...out.slice(0, j), ...amortize(terms, basis, planFrom(terms, out, j, inPeriod))];
  }
  return out;
}

/** The plan re-amortizing from row j with the tranches disbursed in its period. */
function planFrom(
  terms: LoanTerms,
  rows: readonly ScheduleRow[],
  j: number,
  tranches: readonly Tranche[],
): AmortizationPlan {
  const row = rows[j]!;
  const days = BigInt(daysBetween(row.periodStart, row.dueDate));
  const parts: { balance: Minor; weight: Ratio }[] = [];
  let balance = row.openingBalance;
  let from = row.periodStart;
  for (const t of tranches) {
    const date = t.date > from ? t.date : from;
    parts.push({ balance, weight: { num: BigInt(daysBetween(from, date)), den: days } });
    balance += t.amount;
    from = date;
  }
  parts.push({ balance, weight: { num: BigInt(daysBetween(from, row.dueDate)), den: days } });
  return {
    ...remainderPlan(terms, rows, j),
    opening: balance,
    firstPeriodBalances: parts.filter((p) => p.weight.num > 0n),
  };
}
