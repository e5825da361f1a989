import { z } from 'zod';
import { type CalendarDate, dateSchema } from '../../../../kernel/dates.js';
import {
  currencySchema,
  type Minor,
  minorSchema,
  positiveMinorSchema,
  type RoundingMode,
} from '../../../../kernel/money.js';
import {
  arePercents,
  type LateFeeTerms,
  lateFeeSchema,
  percentSchema,
  rateBoundsSchema,
  roundingSchema,
  termCountBoundsSchema,
  termCountSchema,
} from '../common-terms.js';
import { DAY_COUNTS, type DayCount } from '../day-count.js';
import { comparePercent } from '../exact.js';
import { chargesShape, checkCharges, type ScheduledCharge } from './charges.js';
import { checkFixedInstallment, type FixedInstallment, fixedInstallmentShape } from './fixed-installment.js';
import {
  checkScheduleOptions,
  defaultScheduleOptions,
  type ScheduleOptions,
  scheduleOptionsShape,
} from './options.js';
import { REPAYMENT_FREQUENCIES, type RepaymentFrequency } from './periods.js';
import {
  checkRateChanges,
  type RateChange,
  rateChangesProgramShape,
  rateChangesRequestSchema,
} from './rate-changes.js';
import { checkInterestRecalculation } from './recalculation-terms.js';
import {
  checkMultiDisbursement,
  type MultiDisbursement,
  multiDisbursementShape,
  type Tranche,
  tranchesRequestSchema,
} from './tranches.js';

/**
 * Installment-loan terms. The zod schemas validate the wire JSON (snake_case): a program's `terms` with the bounds
 * a loan may choose within, and a loan or quote request. `resolveLoanTerms` (resolve.ts) turns the pair into
 * `LoanTerms`, the camelCase value every engine function takes.
 */

export const INTEREST_METHODS = ['declining_balance', 'flat'] as const;
export type InterestMethod = (typeof INTEREST_METHODS)[number];
export const AMORTIZATIONS = ['equal_installments', 'equal_principal'] as const;
export type Amortization = (typeof AMORTIZATIONS)[number];
/**
 * per_period: R × the regular period's share of a year; daily: R × the day count's year fraction of the period;
 * period_days: R × the period's share of a year by days in month and days in year (Fineract's progressive rate
 * factor, options.ts).
 */
export const INTEREST_CALCULATIONS = ['per_period', 'daily', 'period_days'] as const;
export type InterestCalculation = (typeof INTEREST_CALCULATIONS)[number];
export const COMPONENTS = ['penalties', 'fees', 'interest', 'principal'] as const;
/** The parts an installment is made of, and the default order a payment pays them in. */
export type Component = (typeof COMPONENTS)[number];
export const FUTURE_INSTALLMENT_STRATEGIES = ['next_installment', 'last_installment', 'reamortize'] as const;
export type FutureInstallmentStrategy = (typeof FUTURE_INSTALLMENT_STRATEGIES)[number];
export const PAYOFF_INTEREST_MODES = ['till_payoff_date', 'till_period_end'] as const;
export type PayoffInterestMode = (typeof PAYOFF_INTEREST_MODES)[number];

const principalBoundsSchema = z
  .strictObject({ min: positiveMinorSchema, max: positiveMinorSchema })
  .superRefine((v, ctx) => {
    if (v.min > v.max) ctx.addIssue({ code: 'custom', path: ['max'], message: 'must be ≥ min' });
  });

const prepaymentPenaltySchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('flat'),
    amount: positiveMinorSchema,
    within_installments: termCountSchema.optional(),
  }),
  z.strictObject({
    type: z.literal('percent'),
    /** Percent of the principal paid before it is due. */
    percent: percentSchema,
    within_installments: termCountSchema.optional(),
  }),
]);

export const installmentProgramTermsSchema = z
  .strictObject({
    currency: currencySchema,
    annual_interest_rate: rateBoundsSchema,
    interest_method: z.enum(INTEREST_METHODS).default('declining_balance'),
    amortization: z.enum(AMORTIZATIONS).default('equal_installments'),
    interest_calculation: z.enum(INTEREST_CALCULATIONS).default('per_period'),
    day_count: z.enum(DAY_COUNTS).default('30/360'),
    repayment_frequency: z.enum(REPAYMENT_FREQUENCIES).default('monthly'),
    term_count: termCountBoundsSchema,
    principal: principalBoundsSchema,
    down_payment: z
      .strictObject({ min_percent: percentSchema.default('0'), max_percent: percentSchema.default('100') })
      .prefault({}),
    grace: z
      .strictObject({
        principal_periods: z.number().int().min(0).default(0),
        interest_periods: z.number().int().min(0).default(0),
        /** Periods whose interest is waived, not deferred (Fineract: grace on interest charged). */
        interest_free_periods: z.number().int().min(0).default(0),
      })
      .prefault({}),
    ...scheduleOptionsShape,
    ...fixedInstallmentShape,
    ...rateChangesProgramShape,
    ...multiDisbursementShape,
    ...chargesShape,
    rounding: roundingSchema,
    allocation_order: z.array(z.enum(COMPONENTS)).default([...COMPONENTS]),
    future_installments: z.enum(FUTURE_INSTALLMENT_STRATEGIES).default('next_installment'),
    late_fee: lateFeeSchema.nullable().default(null),
    prepayment_penalty: prepaymentPenaltySchema.nullable().default(null),
    payoff_interest: z.enum(PAYOFF_INTEREST_MODES).default('till_payoff_date'),
    delinquency: z
      .strictObject({
        buckets: z.array(z.number().int().min(1)).min(1).default([30, 60, 90, 120]),
        charge_off_after_days: z.number().int().min(1).nullable().default(null),
      })
      .prefault({}),
  })
  .superRefine((t, ctx) => {
    const order = t.allocation_order;
    if (order.length !== COMPONENTS.length || new Set(order).size !== COMPONENTS.length)
      ctx.addIssue({
        code: 'custom',
        path: ['allocation_order'],
        message: `must list each of ${COMPONENTS.join(', ')} once`,
      });
    checkScheduleOptions(t, ctx);
    checkFixedInstallment(t, ctx);
    checkRateChanges(t, ctx);
    checkMultiDisbursement(t, ctx);
    checkInterestRecalculation(t, ctx);
    checkCharges(t.charges, t.term_count.max, ctx);
    for (const key of ['principal_periods', 'interest_periods', 'interest_free_periods'] as const)
      if (t.grace[key] >= t.term_count.min)
        ctx.addIssue({ code: 'custom', path: ['grace', key], message: 'must be less than term_count.min' });
    if (t.future_installments === 'reamortize' && t.interest_method === 'flat')
      ctx.addIssue({
        code: 'custom',
        path: ['future_installments'],
        message: 'flat interest is fixed at origination and cannot be re-amortized',
      });
    const down = t.down_payment;
    // A percent that is not one was refused at its own field; comparing it would throw.
    if (arePercents(down.min_percent, down.max_percent)) {
      if (comparePercent(down.min_percent, down.max_percent) > 0)
        ctx.addIssue({
          code: 'custom',
          path: ['down_payment', 'max_percent'],
          message: 'must be ≥ min_percent',
        });
      if (comparePercent(down.max_percent, '100') > 0)
        ctx.addIssue({ code: 'custom', path: ['down_payment', 'max_percent'], message: 'must be ≤ 100' });
    }
    const b = t.delinquency.buckets;
    if (b.some((x, i) => i > 0 && x <= b[i - 1]!))
      ctx.addIssue({
        code: 'custom',
        path: ['delinquency', 'buckets'],
        message: 'must be strictly increasing',
      });
  });

/** Program terms after parsing (wire names, defaults filled in). */
export type InstallmentProgramTerms = z.output<typeof installmentProgramTermsSchema>;

/** A loan or quote request under an installment program. Omitted choices take the program's defaults. */
export const installmentLoanRequestSchema = z.strictObject({
  principal: positiveMinorSchema,
  down_payment: minorSchema.refine((n) => n >= 0, { message: 'must not be negative' }).default(0),
  annual_interest_rate: percentSchema.optional(),
  term_count: z.number().int().optional(),
  /** An installment amount the loan fixes (the program's `fixed_installment`); the term follows from it. */
  fixed_installment: positiveMinorSchema.optional(),
  /** Changes of the annual rate from dates during the loan (the program's `rate_changes`), in date order. */
  rate_changes: rateChangesRequestSchema,
  /** The planned disbursements (the program's `multi_disbursement`): the first on disbursement_date. */
  tranches: tranchesRequestSchema,
  disbursement_date: dateSchema,
  /** Defaults to one regular period after the disbursement date. */
  first_payment_date: dateSchema.optional(),
});
export type InstallmentLoanRequest = z.input<typeof installmentLoanRequestSchema>;

export type PrepaymentPenaltyTerms =
  | { type: 'flat'; amount: Minor; withinInstallments?: number }
  | { type: 'percent'; percent: string; withinInstallments?: number };

/** Everything the engine needs about one loan: the program's choices resolved with the request's. */
export interface LoanTerms {
  currency: string;
  /** The price financed before the down payment. */
  principal: Minor;
  downPayment: Minor;
  /** principal − downPayment: what is disbursed and amortized. */
  amountFinanced: Minor;
  /** Annual rate in percent as a decimal string ("9.4822"). */
  annualInterestRate: string;
  interestMethod: InterestMethod;
  amortization: Amortization;
  interestCalculation: InterestCalculation;
  dayCount: DayCount;
  repaymentFrequency: RepaymentFrequency;
  termCount: number;
  /** The installment the loan fixed (fixed-installment.ts; termCount follows from it); null: a level payment. */
  fixedInstallment: FixedInstallment | null;
  /** Rate changes from dates during the loan, in date order (rate-changes.ts); the installments re-amortized. */
  rateChanges: readonly RateChange[];
  /**
   * The disbursements in date order (tranches.ts): planned ones in a quote and the disclosure, those disbursed so
   * far in servicing; empty: one disbursement of the amount financed.
   */
  tranches: readonly Tranche[];
  /** The program's tranche limits; null: one disbursement. */
  multiDisbursement: MultiDisbursement | null;
  disbursementDate: CalendarDate;
  firstPaymentDate: CalendarDate;
  grace: { principalPeriods: number; interestPeriods: number; interestFreePeriods: number };
  /** The schedule methods and settings a program chose (options.ts; each reproduces a Fineract setting). */
  options: ScheduleOptions;
  /** Fees due at disbursement, with every installment or with one (charges.ts; Fineract's loan charges). */
  charges: readonly ScheduledCharge[];
  rounding: { mode: RoundingMode; installmentMultiple: number };
  allocationOrder: readonly Component[];
  futureInstallments: FutureInstallmentStrategy;
  lateFee: LateFeeTerms | null;
  prepaymentPenalty: PrepaymentPenaltyTerms | null;
  payoffInterest: PayoffInterestMode;
  delinquency: { buckets: readonly number[]; chargeOffAfterDays: number | null };
}

/**
 * A loan's stored terms snapshot as LoanTerms: a loan originated before the schedule options existed has none, and
 * is serviced with the defaults it was scheduled with.
 */
export function loanTermsOf(snapshot: unknown): LoanTerms {
  const t = snapshot as LoanTerms;
  if (
    t.options !== undefined &&
    t.grace.interestFreePeriods !== undefined &&
    t.charges !== undefined &&
    t.fixedInstallment !== undefined &&
    t.rateChanges !== undefined &&
    t.tranches !== undefined
  )
    return t;
  return {
    ...t,
    fixedInstallment: t.fixedInstallment ?? null,
    rateChanges: t.rateChanges ?? [],
    tranches: t.tranches ?? [],
    multiDisbursement: t.multiDisbursement ?? null,
    charges: t.charges ?? [],
    grace: { ...t.grace, interestFreePeriods: t.grace.interestFreePeriods ?? 0 },
    options: t.options ?? defaultScheduleOptions(t.dayCount),
  };
}
