import {
  type LineProgramTermsInput,
  type LineTerms,
  lineProgramTermsSchema,
  resolveLineTerms,
} from '../../../src/modules/lending/domain/revolving/terms.js';

/** Test fixtures: a line-of-credit program and a $5,000.00 line at 18% opened 2024-01-10, closing on the 15th. */
export const lineProgram: LineProgramTermsInput = {
  currency: 'USD',
  credit_limit: { min: 50000, max: 5000000 },
  annual_interest_rate: { min: '5', max: '36', default: '18' },
  day_count: 'actual/365',
  cycle_day: { min: 1, max: 31, default: 15 },
  minimum_payment: { floor: 2500, percent: '2' },
  payment_due_days: 25,
  late_fee: { type: 'flat', amount: 3000, grace_days: 0 },
};

export function lineTerms(
  request: Record<string, unknown> = {},
  program: Partial<LineProgramTermsInput> = {},
): LineTerms {
  const result = resolveLineTerms(lineProgramTermsSchema.parse({ ...lineProgram, ...program }), {
    credit_limit: 500000,
    open_date: '2024-01-10',
    ...request,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}
