import {
  type LeaseProgramTermsInput,
  type LeaseTerms,
  leaseProgramTermsSchema,
  resolveLeaseTerms,
} from '../../../src/modules/lending/domain/lease/terms.js';

/** Test fixtures: a lease program and the Federal Reserve guide's example lease under it. */
export const program: LeaseProgramTermsInput = {
  currency: 'USD',
  annual_interest_rate: { min: '0', max: '20', default: '8.497' },
  term_count: { min: 12, max: 60, default: 48 },
  tax: { rate: '6', fixed_per_payment: 0 },
  disposition_fee: 39500,
  purchase_option_fee: 30000,
  early_termination: { fee: 20000 },
};

export function fedExampleTerms(overrides: Record<string, unknown> = {}, programOverrides = {}): LeaseTerms {
  const result = resolveLeaseTerms(leaseProgramTermsSchema.parse({ ...program, ...programOverrides }), {
    capitalized_cost: 1880000,
    residual_value: 1235000,
    disbursement_date: '2024-01-15',
    ...overrides,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}
