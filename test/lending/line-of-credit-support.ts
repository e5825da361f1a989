import type { TestApp } from '../helpers/app.js';
import { type Call, originate, productTenant } from './products-support.js';

/** A line-of-credit program: $500 to $50,000 lines, 18% by default, cycles closing on the 15th. */
export const lineProgramTerms = (overrides: Record<string, unknown> = {}) => ({
  currency: 'USD',
  credit_limit: { min: 50_000, max: 5_000_000 },
  annual_interest_rate: { min: '0', max: '36', default: '18' },
  day_count: 'actual/365',
  cycle_day: { min: 1, max: 31, default: 15 },
  minimum_payment: { floor: 2_500, percent: '2' },
  payment_due_days: 25,
  late_fee: { type: 'flat', amount: 3_000, grace_days: 0 },
  ...overrides,
});

export const lineTenant = (t: TestApp, businessDate = '2024-01-10', terms = lineProgramTerms()) =>
  productTenant(t, 'line_of_credit', terms, businessDate);

/** An open $5,000.00 line (opened on 2024-01-10 unless the request says otherwise). */
export const openLine = (call: Call, programId: string, request: Record<string, unknown> = {}) =>
  originate(call, { program_id: programId, credit_limit: 500_000, open_date: '2024-01-10', ...request });
