import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { minorSchema, ROUNDING_MODES, type RoundingMode } from '../../../kernel/money.js';
import { type Failure, type FieldIssue, failure } from '../../../kernel/result.js';

/**
 * Wire pieces shared by every lending program's terms (snake_case on the wire). Installment loans, leases and
 * lines of credit use the same names where a concept applies: `currency`, `annual_interest_rate`,
 * `repayment_frequency`, `term_count`, `rounding`, `late_fee`.
 */

/** An annual rate as a decimal string in percent, e.g. "9.4822"; at most 4 integer digits. */
export const percentSchema = z
  .string()
  .regex(/^\d{1,4}(\.\d{1,10})?$/, { message: 'must be a decimal string in percent, e.g. "9.4822"' });

export const nonNegativeMinorSchema = minorSchema.refine((n) => n >= 0, { message: 'must not be negative' });

/** Bounds a program puts on the annual rate an account may choose, with the rate used when none is chosen. */
export const rateBoundsSchema = z
  .object({ min: percentSchema, max: percentSchema, default: percentSchema })
  .strict()
  .refine((b) => new Decimal(b.min).lte(b.default) && new Decimal(b.default).lte(b.max), {
    message: 'must satisfy min <= default <= max',
  });

export const roundingSchema = z
  .object({
    mode: z.enum(ROUNDING_MODES).default('half_even'),
    /** Installments are rounded to a multiple of this many minor units (100 = whole dollars). */
    installment_multiple: z.number().int().min(1).max(1_000_000).default(1),
  })
  .strict();

export const lateFeeSchema = z
  .object({
    amount: nonNegativeMinorSchema,
    /** Days after the due date before the fee is assessed. */
    grace_days: z.number().int().min(0).max(60).default(0),
  })
  .strict();

export interface Rounding {
  mode: RoundingMode;
  installmentMultiple: number;
}

export interface LateFee {
  amount: number;
  graceDays: number;
}

export const toRounding = (r: z.output<typeof roundingSchema>): Rounding => ({
  mode: r.mode,
  installmentMultiple: r.installment_multiple,
});

export const toLateFee = (f: z.output<typeof lateFeeSchema>): LateFee => ({
  amount: f.amount,
  graceDays: f.grace_days,
});

export const validationFailure = (message: string, fields: FieldIssue[]): Failure =>
  failure('unprocessable', 'validation_failed', message, { fields });
