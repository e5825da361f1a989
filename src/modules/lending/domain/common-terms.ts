import { z } from 'zod';
import {
  type Minor,
  minorSchema,
  positiveMinorSchema,
  ROUNDING_MODES,
  type RoundingMode,
} from '../../../kernel/money.js';
import { type Failure, type FieldIssue, failure } from '../../../kernel/result.js';
import { comparePercent, PERCENT_RE, percentRatio, roundRatio, toMinor } from './exact.js';

/**
 * Wire pieces shared by every lending program's terms (snake_case on the wire). Installment loans, leases and
 * lines of credit use the same names and the same shapes where a concept applies: `currency`,
 * `annual_interest_rate` (bounds), `term_count` (bounds), `rounding`, `late_fee`.
 */

/** An annual rate as a decimal string in percent, e.g. "9.4822": up to 3 integer digits and 10 decimals. */
export const percentSchema = z
  .string()
  .regex(PERCENT_RE, { message: 'must be a percent rate as a decimal string, e.g. "9.4822"' });

export const nonNegativeMinorSchema = minorSchema.refine((n) => n >= 0, { message: 'must not be negative' });

/** Is `value` within [min, max], compared exactly? */
export const percentWithin = (value: string, min: string, max: string): boolean =>
  comparePercent(value, min) >= 0 && comparePercent(value, max) <= 0;

// zod runs object refinements even when a member failed its own check, so cross-field checks guard themselves.
export const arePercents = (...values: string[]) => values.every((v) => PERCENT_RE.test(v));

/** Bounds a program puts on the annual rate an account may choose, with the rate used when none is chosen. */
export const rateBoundsSchema = z
  .strictObject({ min: percentSchema, max: percentSchema, default: percentSchema })
  .superRefine((v, ctx) => {
    if (!arePercents(v.min, v.max, v.default)) return;
    if (comparePercent(v.min, v.max) > 0)
      ctx.addIssue({ code: 'custom', path: ['max'], message: 'must be ≥ min' });
    else if (!percentWithin(v.default, v.min, v.max))
      ctx.addIssue({ code: 'custom', path: ['default'], message: 'must be between min and max' });
  });

/** Number of scheduled payments (installments, lease payments). */
export const termCountSchema = z.number().int().min(1).max(1200);

export const termCountBoundsSchema = z
  .strictObject({ min: termCountSchema, max: termCountSchema, default: termCountSchema })
  .superRefine((v, ctx) => {
    if (v.min > v.max) ctx.addIssue({ code: 'custom', path: ['max'], message: 'must be ≥ min' });
    else if (v.default < v.min || v.default > v.max)
      ctx.addIssue({ code: 'custom', path: ['default'], message: 'must be between min and max' });
  });

export const roundingSchema = z
  .strictObject({
    mode: z.enum(ROUNDING_MODES).default('half_even'),
    /** Installments are rounded to a multiple of this many minor units (100 = whole dollars). */
    installment_multiple: z.number().int().min(1).max(1_000_000).default(1),
  })
  .prefault({});

const graceDaysSchema = z.number().int().min(0).max(3650).default(0);

/**
 * A late fee: flat, or a percent of the amount overdue (kept within min and max), charged once per missed
 * payment `grace_days` after its due date.
 */
export const lateFeeSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('flat'), amount: positiveMinorSchema, grace_days: graceDaysSchema }),
  z.strictObject({
    type: z.literal('percent'),
    /** Percent of the overdue amount at assessment. */
    percent: percentSchema,
    grace_days: graceDaysSchema,
    min: nonNegativeMinorSchema.optional(),
    max: nonNegativeMinorSchema.optional(),
  }),
]);

export interface Rounding {
  mode: RoundingMode;
  installmentMultiple: number;
}

export type LateFeeTerms =
  | { type: 'flat'; amount: Minor; graceDays: number }
  | { type: 'percent'; percent: string; graceDays: number; min?: Minor; max?: Minor };

export const toRounding = (r: z.output<typeof roundingSchema>): Rounding => ({
  mode: r.mode,
  installmentMultiple: r.installment_multiple,
});

export function toLateFee(f: z.output<typeof lateFeeSchema> | null | undefined): LateFeeTerms | null {
  if (!f) return null;
  if (f.type === 'flat') return { type: 'flat', amount: f.amount, graceDays: f.grace_days };
  return { type: 'percent', percent: f.percent, graceDays: f.grace_days, min: f.min, max: f.max };
}

/** The fee for `overdue` minor units past due: 0 when nothing is overdue. */
export function lateFeeAmount(fee: LateFeeTerms, overdue: Minor, mode: RoundingMode): Minor {
  if (overdue <= 0) return 0;
  if (fee.type === 'flat') return fee.amount;
  const r = percentRatio(fee.percent);
  let amount = toMinor(roundRatio(BigInt(overdue) * r.num, r.den, mode));
  if (fee.min !== undefined) amount = Math.max(amount, fee.min);
  if (fee.max !== undefined) amount = Math.min(amount, fee.max);
  return amount;
}

export const validationFailure = (message: string, fields: FieldIssue[]): Failure =>
  failure(
    'unprocessable',
    'validation_failed',
    `${message}: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`,
    { fields },
  );
