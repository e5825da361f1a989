import { z } from 'zod';
import { checkRestRule, type RestRule, restShape } from './recalculation-rest.js';

export const RECALCULATION_COMPOUNDING = ['none'] as const;

/** `rest` and its calendar: from when a payment lowers the balance that earns interest (recalculation-rest.ts). */
export interface InterestRecalculation extends RestRule {
  /** Whether overdue interest or fees earn interest (Fineract InterestRecalculationCompoundingMethod). */
  compounding: (typeof RECALCULATION_COMPOUNDING)[number];
}

/**
 * The program term `interest_recalculation` (Fineract `isInterestRecalculationEnabled`): null (default) keeps
 * today's schedule, whose interest is fixed at origination; set, the loan earns interest on its daily principal
 * balance, so a payment before its due date lowers the interest from its date and principal left unpaid after its
 * due date keeps earning (recalculation.ts).
 */
export const interestRecalculationShape = {
  interest_recalculation: z
    .strictObject({
      ...restShape,
      compounding: z
        .enum(RECALCULATION_COMPOUNDING)
        .default('none')
        .describe('overdue interest and fees earn no interest (Fineract compounding NONE)'),
    })
    .superRefine(checkRestRule)
    .nullable()
    .default(null)
    .describe(
      'interest on the daily principal balance (Fineract interest recalculation): a payment lowers the interest ' +
        'from its date (or its rest date), principal unpaid after its due date keeps earning until paid; declining balance with ' +
        'daily interest; null: the interest of each installment is fixed at origination',
    ),
};

interface Program {
  interest_recalculation: { rest: string; compounding: string } | null;
  interest_method: string;
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
  // Fineract refuses it too: flat interest is on the amount financed, which payments do not lower.
  if (t.interest_method === 'flat')
    issue('flat interest is on the amount financed: there is nothing to recalculate');
  else if (t.interest_calculation !== 'daily')
    issue(
      'needs interest_calculation daily: the balance changes inside a period, so interest is counted by days',
    );
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

export const toInterestRecalculation = (
  w: Program['interest_recalculation'],
): InterestRecalculation | null => (w ? (w as InterestRecalculation) : null);
