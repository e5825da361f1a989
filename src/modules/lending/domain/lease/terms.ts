import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { addMonths, type CalendarDate, compareDates, dateSchema } from '../../../../kernel/dates.js';
import { currencySchema, type Minor, positiveMinorSchema } from '../../../../kernel/money.js';
import { err, type FieldIssue, ok, type Result } from '../../../../kernel/result.js';
import { fieldIssues } from '../../../../kernel/validation.js';
import {
  type LateFeeTerms,
  lateFeeSchema,
  nonNegativeMinorSchema,
  percentSchema,
  type Rounding,
  rateBoundsSchema,
  roundingSchema,
  termCountBoundsSchema,
  termCountSchema,
  toLateFee,
  toRounding,
  validationFailure,
} from '../common-terms.js';

/** A money factor as a decimal string, e.g. "0.00354" (= 8.496% / 2400). */
const moneyFactorSchema = z
  .string()
  .regex(/^0?\.\d{1,16}$/, { message: 'must be a decimal string below 1, e.g. "0.00354"' });

const percentBoundsSchema = z
  .object({ min: percentSchema, max: percentSchema })
  .strict()
  .refine((b) => new Decimal(b.min).lte(b.max), { message: 'must satisfy min <= max' });

/** A closed-end lease program: what every lease under it shares, and the bounds on what a lease may choose. */
export const leaseProgramTermsSchema = z
  .object({
    currency: currencySchema,
    /** Leases here are monthly with payments in advance. */
    repayment_frequency: z.literal('monthly').default('monthly'),
    annual_interest_rate: rateBoundsSchema,
    term_count: termCountBoundsSchema,
    /** Bounds on the gross capitalized cost the request brings (before a capitalized acquisition fee). */
    capitalized_cost: z
      .object({ min: positiveMinorSchema, max: positiveMinorSchema })
      .strict()
      .refine((b) => b.min <= b.max, { message: 'must satisfy min <= max' })
      .optional(),
    /** Bounds on the residual value as a percent of the gross capitalized cost. */
    residual_percent: percentBoundsSchema.optional(),
    rounding: roundingSchema,
    late_fee: lateFeeSchema.nullable().default(null),
    /** Sales/use tax on each periodic payment: a percent of the base payment plus a fixed amount. */
    tax: z
      .object({ rate: percentSchema.default('0'), fixed_per_payment: nonNegativeMinorSchema.default(0) })
      .strict()
      .default({ rate: '0', fixed_per_payment: 0 }),
    /** Charged at inception; either added to the gross capitalized cost or due at signing. */
    acquisition_fee: z
      .object({ amount: nonNegativeMinorSchema, capitalized: z.boolean().default(true) })
      .strict()
      .default({ amount: 0, capitalized: true }),
    /** Charged when the vehicle is returned, at maturity or on early termination. */
    disposition_fee: nonNegativeMinorSchema.default(0),
    purchase_option_fee: nonNegativeMinorSchema.default(0),
    early_termination: z
      .object({
        fee: nonNegativeMinorSchema.default(0),
        /** Whether a realized value above the lease balance is credited to the lessee (else it is not). */
        credit_surplus: z.boolean().default(false),
      })
      .strict()
      .default({ fee: 0, credit_surplus: false }),
  })
  .strict();

export type LeaseProgramTermsInput = z.input<typeof leaseProgramTermsSchema>;
export type LeaseProgramTerms = z.output<typeof leaseProgramTermsSchema>;

/** One lease's request. The rate is given either as an annual rate or as a money factor, or left to the program. */
export const leaseRequestSchema = z
  .object({
    /** Gross capitalized cost agreed for the vehicle and items the lessee chose to capitalize. */
    capitalized_cost: positiveMinorSchema,
    cap_cost_reduction: nonNegativeMinorSchema.default(0),
    residual_value: nonNegativeMinorSchema,
    annual_interest_rate: percentSchema.optional(),
    money_factor: moneyFactorSchema.optional(),
    term_count: termCountSchema.optional(),
    /** Lease commencement: the date the lessor funds the vehicle and the lease begins. */
    disbursement_date: dateSchema,
    /** Due date of the first payment (payments are in advance); defaults to the commencement date. */
    first_payment_date: dateSchema.optional(),
  })
  .strict();

export type LeaseRequest = z.input<typeof leaseRequestSchema>;

export interface LeaseTerms {
  currency: string;
  /** Request's capitalized cost plus a capitalized acquisition fee. */
  grossCapitalizedCost: Minor;
  capCostReduction: Minor;
  adjustedCapitalizedCost: Minor;
  residualValue: Minor;
  /** Annual rate in percent (a given money factor is converted: rate = mf × 2400). */
  annualRate: string;
  /** The money factor equivalent to the rate (rate / 2400), informational. */
  moneyFactor: string;
  termCount: number;
  startDate: CalendarDate;
  firstPaymentDate: CalendarDate;
  rounding: Rounding;
  lateFee: LateFeeTerms | null;
  tax: { rate: string; fixedPerPayment: Minor };
  acquisitionFee: { amount: Minor; capitalized: boolean };
  dispositionFee: Minor;
  purchaseOptionFee: Minor;
  earlyTermination: { fee: Minor; creditSurplus: boolean };
}

/**
 * Resolves one lease's terms from its program and its request. Every problem is reported with the path of the
 * request field at fault (`annual_interest_rate`, `residual_value`, ...).
 */
export function resolveLeaseTerms(program: LeaseProgramTerms, request: unknown): Result<LeaseTerms> {
  const parsed = leaseRequestSchema.safeParse(request);
  if (!parsed.success) return err(validationFailure('invalid lease request', fieldIssues(parsed.error)));
  const req = parsed.data;
  const issues: FieldIssue[] = [];
  const issue = (path: string, message: string) => issues.push({ path, message });

  let annualRate = new Decimal(program.annual_interest_rate.default);
  let ratePath = 'annual_interest_rate';
  if (req.annual_interest_rate !== undefined && req.money_factor !== undefined) {
    issue('annual_interest_rate', 'give either annual_interest_rate or money_factor, not both');
    issue('money_factor', 'give either annual_interest_rate or money_factor, not both');
  } else if (req.money_factor !== undefined) {
    annualRate = new Decimal(req.money_factor).times(2400);
    ratePath = 'money_factor';
  } else if (req.annual_interest_rate !== undefined) {
    annualRate = new Decimal(req.annual_interest_rate);
  }
  const bounds = program.annual_interest_rate;
  if (annualRate.lt(bounds.min) || annualRate.gt(bounds.max)) {
    issue(
      ratePath,
      `annual rate ${annualRate.toString()}% is outside the program's ${bounds.min}% to ${bounds.max}%`,
    );
  }

  const termCount = req.term_count ?? program.term_count.default;
  if (termCount < program.term_count.min || termCount > program.term_count.max) {
    issue('term_count', `must be between ${program.term_count.min} and ${program.term_count.max}`);
  }

  const capBounds = program.capitalized_cost;
  if (capBounds && (req.capitalized_cost < capBounds.min || req.capitalized_cost > capBounds.max)) {
    issue('capitalized_cost', `must be between ${capBounds.min} and ${capBounds.max}`);
  }
  const fee = program.acquisition_fee;
  const gross = req.capitalized_cost + (fee.capitalized ? fee.amount : 0);
  if (req.cap_cost_reduction >= gross)
    issue('cap_cost_reduction', 'must be less than the gross capitalized cost');
  const adjusted = gross - req.cap_cost_reduction;
  if (req.residual_value >= adjusted)
    issue('residual_value', 'must be less than the adjusted capitalized cost');
  const residualBounds = program.residual_percent;
  if (residualBounds) {
    const percent = new Decimal(req.residual_value).div(gross).times(100);
    if (percent.lt(residualBounds.min) || percent.gt(residualBounds.max)) {
      issue(
        'residual_value',
        `must be ${residualBounds.min}% to ${residualBounds.max}% of the gross capitalized cost`,
      );
    }
  }

  const start = req.disbursement_date;
  const firstPayment = req.first_payment_date ?? start;
  // The constant-yield time line starts at the first payment; a first payment far from commencement would
  // leave time the schedule does not price.
  if (compareDates(firstPayment, start) < 0 || compareDates(firstPayment, addMonths(start, 1)) >= 0) {
    issue('first_payment_date', 'must be on or after the disbursement date and less than a month after it');
  }

  if (issues.length > 0) return err(validationFailure('invalid lease terms', issues));
  return ok({
    currency: program.currency,
    grossCapitalizedCost: gross,
    capCostReduction: req.cap_cost_reduction,
    adjustedCapitalizedCost: adjusted,
    residualValue: req.residual_value,
    annualRate: annualRate.toString(),
    moneyFactor: req.money_factor ?? annualRate.div(2400).toSignificantDigits(12).toString(),
    termCount,
    startDate: start,
    firstPaymentDate: firstPayment,
    rounding: toRounding(program.rounding),
    lateFee: toLateFee(program.late_fee),
    tax: { rate: program.tax.rate, fixedPerPayment: program.tax.fixed_per_payment },
    acquisitionFee: { amount: fee.amount, capitalized: fee.capitalized },
    dispositionFee: program.disposition_fee,
    purchaseOptionFee: program.purchase_option_fee,
    earlyTermination: {
      fee: program.early_termination.fee,
      creditSurplus: program.early_termination.credit_surplus,
    },
  });
}
