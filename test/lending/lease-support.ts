import type { TestApp } from '../helpers/app.js';
import { type Call, originate, productTenant } from './products-support.js';

/**
 * A lease program around the Federal Reserve consumer leasing guide's example: 8.497% over 48 months by default,
 * 6% sales tax, a $395 disposition fee, a $300 purchase option fee, a $200 early-termination fee.
 */
export const leaseProgramTerms = (overrides: Record<string, unknown> = {}) => ({
  currency: 'USD',
  annual_interest_rate: { min: '0', max: '20', default: '8.497' },
  term_count: { min: 1, max: 60, default: 48 },
  tax: { rate: '6', fixed_per_payment: 0 },
  late_fee: { type: 'flat', amount: 2_500, grace_days: 10 },
  disposition_fee: 39_500,
  purchase_option_fee: 30_000,
  early_termination: { fee: 20_000 },
  ...overrides,
});

/** The guide's lease: adjusted capitalized cost $18,800, residual $12,350, commencing 2024-01-15. */
export const fedLease = {
  capitalized_cost: 1_880_000,
  residual_value: 1_235_000,
  disbursement_date: '2024-01-15',
};

export const leaseTenant = (t: TestApp, businessDate = '2024-01-15', terms = leaseProgramTerms()) =>
  productTenant(t, 'lease', terms, businessDate);

/** An active lease: applied for, approved and commenced on its commencement date. */
export const activeLease = (call: Call, programId: string, request: Record<string, unknown> = {}) =>
  originate(call, { program_id: programId, ...fedLease, ...request });
