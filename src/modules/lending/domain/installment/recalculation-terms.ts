import { z } from 'zod';
import {
  type Compounding,
  type CompoundingRule,
  checkCompoundingRule,
  compoundingShape,
  RECALCULATION_COMPOUNDING,
} from './recalculation-compounding.js';
import { checkRestRule, type RestRule, restShape } from './recalculation-rest.js';

/** Fineract LoanRescheduleStrategyMethod, in Plinth's names (reschedule.ts). */
export const RESCHEDULE_STRATEGIES = [
  'adjust_last_unpaid_period',
  'reduce_emi',
  'reduce_number_of_installments',
  'reschedule_next_repayments',
] as const;
export type RescheduleStrategy = (typeof RESCHEDULE_STRATEGIES)[number];

/** `rest` and its calendar: from when a payment lowers the balance that earns interest (recalculation-rest.ts). */
export interface InterestRecalculation extends RestRule, CompoundingRule {
  /** Whether overdue interest or fees earn interest (Fineract InterestRecalculationCompoundingMethod). */
  compounding: Compounding;
  /**
   * What a prepayment does to the later installments (Fineract rescheduleStrategyMethod, reschedule.ts). Absent in
   * loans stored before the option existed: each installment keeps its scheduled principal (their history is
   * replayed as it was).
   */
  reschedule?: RescheduleStrategy;
}

/**
 * The program term `interest_recalculation` (Fineract `isInterestRecalculationEnabled`): null (default) keeps
 * today's schedule, whose interest is fixed at origination; set, the loan earns interest on its daily principal
 * balance, so a payment before its due date lowers the interest from its date and principal left unpaid after its
 * due date keeps earning (recalculation.ts; with `period_days`, Fineract's progressive rate factors:
 * recalculation-progressive.ts).
 */
export const interestRecalculationShape = {
  interest_recalculation: z
    .strictObject({
      ...restShape,
      compounding: z
        .enum(RECALCULATION_COMPOUNDING)
        .default('none')
        .describe(
          'what earns interest besides principal, from its compounding date until paid (Fineract ' +
            'InterestRecalculationCompoundingMethod): none, overdue interest, overdue fees and penalties (fee), ' +
            'or both (interest_and_fee), joining the balance at compounding_frequency; paid, it leaves the balance ' +
            'at the rest date',
        ),
      ...compoundingShape,
      reschedule: z
        .enum(RESCHEDULE_STRATEGIES)
        .optional()
        .describe(
          'what a prepayment does to the later installments (Fineract rescheduleStrategyMethod); in every one an ' +
            'installment paid in full before its due date is settled with the interest earned to the payment. ' +
            'adjust_last_unpaid_period (Fineract progressive; the default with equal installments): each ' +
            'installment keeps its amount, the last takes the difference; reduce_emi: the later installments ' +
            'are re-amortized over the same dates; reduce_number_of_installments: each keeps its amount, the ' +
            'loan ends early; reschedule_next_repayments (the default with equal principal): each keeps its ' +
            'scheduled principal, prepaid ones are skipped',
        ),
    })
    .superRefine((r, ctx) => {
      checkRestRule(r, ctx);
      checkCompoundingRule(r, ctx);
    })
    .nullable()
    .default(null)
    .describe(
      'interest on the daily principal balance (Fineract interest recalculation): a payment lowers the interest ' +
        'from its date (or its rest date), principal unpaid after its due date keeps earning until paid; declining ' +
        'balance with daily or period_days interest (period_days: each stretch of a period at the period rate ' +
        'factor prorated by days, Fineract progressive, with rest daily or same_as_repayment and no compounding); ' +
        'null: the interest of each installment is fixed at origination',
    ),
};

interface Program {
  interest_recalculation: {
    rest: string;
    compounding: string;
    rest_interval?: number;
    reschedule?: string | undefined;
  } | null;
  late_fee: unknown;
  interest_method: string;
  amortization: string;
  interest_calculation: string;
  future_installments: string;
  fixed_installment: unknown;
  rate_changes: boolean;
  multi_disbursement: unknown;
  grace: { interest_periods: number; interest_free_periods: number };
  charges: readonly { calculation: string }[];
}

/** The combinations recalculation does not apply to, each refused naming `interest_recalculation`. */
export function checkInterestRecalculation(t: Program, ctx: z.RefinementCtx): void {
  if (t.interest_recalculation === null) return;
  const issue = (message: string) =>
    ctx.addIssue({ code: 'custom', path: ['interest_recalculation'], message });
  checkCompounding(t.interest_recalculation, t.late_fee, ctx);
  // Fineract refuses it too: flat interest is on the amount financed, which payments do not lower.
  if (t.interest_method === 'flat')
    issue('flat interest is on the amount financed: there is nothing to recalculate');
  else if (t.interest_calculation === 'per_period')
    issue(
      'needs interest_calculation daily or period_days: the balance changes inside a period, so interest is counted by days',
    );
  else if (t.interest_calculation === 'period_days') checkProgressive(t.interest_recalculation, ctx);
  // Fineract allows it on the progressive schedule only, whose installments are equal (LoanProductDataValidator:
  // "Adjust last, unpaid period is only supported for Progressive loan schedule type").
  if (
    t.interest_recalculation.reschedule === 'adjust_last_unpaid_period' &&
    t.amortization === 'equal_principal'
  )
    ctx.addIssue({
      code: 'custom',
      path: ['interest_recalculation', 'reschedule'],
      message: 'adjust_last_unpaid_period keeps equal installments: not with equal principal amortization',
    });
  if (t.future_installments === 'reamortize')
    issue(
      'cannot be combined with future_installments reamortize: prepaid principal lowers the interest instead',
    );
  if (t.fixed_installment !== null) issue('cannot be combined with fixed_installment');
  if (t.rate_changes)
    issue('cannot be combined with rate_changes (the rate_change action serves daily interest)');
  if (t.multi_disbursement !== null) issue('cannot be combined with multi_disbursement');
  if (t.grace.interest_periods > 0 || t.grace.interest_free_periods > 0)
    issue('cannot be combined with interest grace: interest is due with the period that earns it');
  // Such a fee is fixed from the interest scheduled at origination, which recalculation changes.
  if (
    t.charges.some(
      (c) => c.calculation === 'percent_of_interest' || c.calculation === 'percent_of_amount_and_interest',
    )
  )
    issue('cannot be combined with charges computed from interest');
}

/** The option as the engine reads it: reschedule, when not given, by the amortization (see its description). */
export const toInterestRecalculation = (
  w: Program['interest_recalculation'],
  amortization: string,
): InterestRecalculation | null =>
  w
    ? ({
        ...w,
        reschedule:
          w.reschedule ??
          (amortization === 'equal_principal' ? 'reschedule_next_repayments' : 'adjust_last_unpaid_period'),
      } as InterestRecalculation)
    : null;

/** Compounding as built: with overdue amounts that change only at events (no penalty charged by itself). */
function checkCompounding(
  r: NonNullable<Program['interest_recalculation']>,
  lateFee: unknown,
  ctx: z.RefinementCtx,
) {
  if (r.compounding === 'none') return;
  const issue = (message: string) =>
    ctx.addIssue({ code: 'custom', path: ['interest_recalculation', 'compounding'], message });
  // Close of business charges a late fee inside a period, which would change the balance without a recalculation.
  if (r.compounding !== 'interest' && lateFee !== null)
    issue('fee compounding cannot be combined with late_fee (a penalty charged by close of business)');
}

/**
 * On the progressive schedule (period_days: recalculation-progressive.ts) Fineract's progressive processor
 * (AdvancedPaymentScheduleTransactionProcessor.adjustOverduePrincipalForInstallment) applies two rest frequencies to
 * overdue principal, DAILY (every day: it reads no interval) and SAME_AS_REPAYMENT_PERIOD, and no compounding
 * (nothing in fineract-progressive-loan reads InterestRecalculationCompoundingMethod). LoanProductDataValidator takes
 * the others on a progressive product all the same, and the loan then ignores them; Plinth refuses them instead.
 */
function checkProgressive(r: NonNullable<Program['interest_recalculation']>, ctx: z.RefinementCtx): void {
  const at = (field: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: ['interest_recalculation', field], message });
  if (r.rest !== 'daily' && r.rest !== 'same_as_repayment')
    at(
      'rest',
      'with interest_calculation period_days only rest daily or same_as_repayment (as Fineract progressive)',
    );
  else if (r.rest === 'daily' && (r.rest_interval ?? 1) !== 1)
    at(
      'rest_interval',
      'with interest_calculation period_days rest daily is every day (as Fineract progressive)',
    );
  if (r.compounding !== 'none')
    at(
      'compounding',
      'with interest_calculation period_days only compounding none (Fineract progressive has none)',
    );
}
