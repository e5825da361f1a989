import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { type CalendarDate, dateSchema } from '../../../../kernel/dates.js';
import { currencySchema, type Minor, positiveMinorSchema } from '../../../../kernel/money.js';
import { err, type FieldIssue, ok, type Result } from '../../../../kernel/result.js';
import { fieldIssues } from '../../../../kernel/validation.js';
import {
  type LateFeeTerms,
  lateFeeSchema,
  nonNegativeMinorSchema,
  percentSchema,
  percentWithin,
  type Rounding,
  rateBoundsSchema,
  roundingSchema,
  toLateFee,
  toRounding,
  validationFailure,
} from '../common-terms.js';
import { REVOLVING_DAY_COUNTS, type RevolvingDayCount } from '../day-count.js';

export const ALLOCATION_TARGETS = ['fees', 'interest', 'principal'] as const;
export type AllocationTarget = (typeof ALLOCATION_TARGETS)[number];

const allocationOrderSchema = z
  .array(z.enum(ALLOCATION_TARGETS))
  .length(3)
  .refine((order) => new Set(order).size === 3, {
    message: 'must list fees, interest and principal once each',
  });

const dayOfMonthSchema = z.number().int().min(1).max(31);

/** A revolving line-of-credit program and the bounds on what each line may choose. */
export const lineProgramTermsSchema = z
  .object({
    currency: currencySchema,
    credit_limit: z
      .object({ min: positiveMinorSchema, max: positiveMinorSchema })
      .strict()
      .refine((b) => b.min <= b.max, { message: 'must satisfy min <= max' }),
    annual_interest_rate: rateBoundsSchema,
    day_count: z.enum(REVOLVING_DAY_COUNTS).default('actual/365'),
    /** Day of the month billing cycles close on (29-31 close on the month's last day in shorter months). */
    cycle_day: z
      .object({ min: dayOfMonthSchema, max: dayOfMonthSchema, default: dayOfMonthSchema })
      .strict()
      .refine((c) => c.min <= c.default && c.default <= c.max, {
        message: 'must satisfy min <= default <= max',
      })
      .default({ min: 1, max: 28, default: 1 }),
    /** Minimum payment = max(floor, percent × principal) + interest + fees + past due, capped at the balance. */
    minimum_payment: z
      .object({ floor: nonNegativeMinorSchema, percent: percentSchema })
      .strict()
      .refine((m) => new Decimal(m.percent).lte(100), {
        message: 'percent must be at most 100',
        path: ['percent'],
      }),
    /**
     * Days from the statement (cycle close) to the payment due date. At least 21 (1026.5(b)(2)(ii)); at most 28 so
     * that a due date always falls before the next cycle closes.
     */
    payment_due_days: z.number().int().min(21).max(28).default(25),
    late_fee: lateFeeSchema.nullable().default(null),
    allocation_order: allocationOrderSchema.default(['fees', 'interest', 'principal']),
    rounding: roundingSchema,
  })
  .strict()
  // A late fee must fall due inside the cycle after the statement (cycles are at least 28 days long).
  .refine((t) => t.payment_due_days + (t.late_fee?.grace_days ?? 0) <= 27, {
    message: 'payment_due_days + grace_days must be at most 27',
    path: ['late_fee', 'grace_days'],
  });

export type LineProgramTermsInput = z.input<typeof lineProgramTermsSchema>;
export type LineProgramTerms = z.output<typeof lineProgramTermsSchema>;

export const lineRequestSchema = z
  .object({
    credit_limit: positiveMinorSchema,
    annual_interest_rate: percentSchema.optional(),
    cycle_day: dayOfMonthSchema.optional(),
    /** The day the line opens; its first cycle runs from here to the first cycle day after it. */
    open_date: dateSchema,
  })
  .strict();

export type LineRequest = z.input<typeof lineRequestSchema>;

export interface LineTerms {
  currency: string;
  creditLimit: Minor;
  /** Annual rate in percent. */
  annualRate: string;
  dayCount: RevolvingDayCount;
  cycleDay: number;
  minimumPayment: { floor: Minor; percent: string };
  paymentDueDays: number;
  lateFee: LateFeeTerms | null;
  allocationOrder: readonly AllocationTarget[];
  rounding: Rounding;
  openDate: CalendarDate;
}

export function resolveLineTerms(program: LineProgramTerms, request: unknown): Result<LineTerms> {
  const parsed = lineRequestSchema.safeParse(request);
  if (!parsed.success)
    return err(validationFailure('invalid line of credit request', fieldIssues(parsed.error)));
  const req = parsed.data;
  const issues: FieldIssue[] = [];

  const limit = program.credit_limit;
  if (req.credit_limit < limit.min || req.credit_limit > limit.max) {
    issues.push({ path: 'credit_limit', message: `must be between ${limit.min} and ${limit.max}` });
  }
  const rates = program.annual_interest_rate;
  const rate = req.annual_interest_rate ?? rates.default;
  if (!percentWithin(rate, rates.min, rates.max)) {
    issues.push({ path: 'annual_interest_rate', message: `must be between ${rates.min} and ${rates.max}` });
  }
  const cycle = program.cycle_day;
  const cycleDay = req.cycle_day ?? cycle.default;
  if (cycleDay < cycle.min || cycleDay > cycle.max) {
    issues.push({ path: 'cycle_day', message: `must be between ${cycle.min} and ${cycle.max}` });
  }
  if (issues.length > 0) return err(validationFailure('invalid line of credit terms', issues));

  return ok({
    currency: program.currency,
    creditLimit: req.credit_limit,
    annualRate: new Decimal(rate).toString(),
    dayCount: program.day_count,
    cycleDay,
    minimumPayment: { floor: program.minimum_payment.floor, percent: program.minimum_payment.percent },
    paymentDueDays: program.payment_due_days,
    lateFee: toLateFee(program.late_fee),
    allocationOrder: program.allocation_order,
    rounding: toRounding(program.rounding),
    openDate: req.open_date,
  });
}
