import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { minorSchema } from '../../../../kernel/money.js';
import type { ComplianceContext, HookContexts, HookPoint } from '../context.js';

/** Shared pieces of the rules' config schemas and messages. */

/** A rate in percent as a decimal string ("36", "5.5"). */
export const percentConfig = z
  .string()
  .regex(/^\d{1,4}(\.\d{1,10})?$/, { message: 'must be a percent as a decimal string, e.g. "36"' });

export const nonNegativeMinorConfig = minorSchema.refine((n) => n >= 0, { message: 'must not be negative' });

export const stateCodeConfig = z
  .string()
  .regex(/^[A-Z]{2}$/, { message: 'must be a two-letter state code, e.g. "CA"' });

export const outcomeConfig = z.enum(['pass', 'warn', 'block']);

/** "36.0000001234" → "36.00" for messages; the facts keep the exact figure. */
export const pct = (value: Decimal.Value): string => `${new Decimal(value).toFixed(2)}%`;

/** 12345 minor units → "$123.45" (the rules speak US dollars; the facts keep minor units). */
export const dollars = (minor: number): string =>
  `${minor < 0 ? '-' : ''}$${(Math.abs(minor) / 100).toFixed(2)}`;

export const exceeds = (value: Decimal.Value, cap: Decimal.Value): boolean => new Decimal(value).gt(cap);

/** Narrows a context to the hooks whose facts include `loan` and `borrower` (every hook but onboarding/messages). */
export type LoanHook = Exclude<HookPoint, 'message_send' | 'customer_onboarding'>;
export type LoanContext = Extract<ComplianceContext, { hook: LoanHook }>;

export const hasLoan = (ctx: ComplianceContext): ctx is LoanContext => 'loan' in ctx;

export const borrowerOf = (ctx: ComplianceContext): HookContexts['approval']['borrower'] | undefined =>
  'borrower' in ctx ? ctx.borrower : undefined;
