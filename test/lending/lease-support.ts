import type { TestApp } from '../helpers/app.js';
import type { Call } from './line-of-credit-support.js';

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

export async function leaseTenant(t: TestApp, businessDate = '2024-01-15', terms = leaseProgramTerms()) {
  const tenant = await t.tenant();
  const call: Call = (method, url, body) => t.call(method, url, { key: tenant.key, body });
  const bd = await call('PUT', '/v1/business-date', { business_date: businessDate });
  if (bd.statusCode !== 200) throw new Error(bd.body);
  const p = await call('POST', '/v1/programs', { name: 'Auto leases', program_type: 'lease', terms });
  if (p.statusCode !== 201) throw new Error(p.body);
  return { tenant, call, programId: p.json().id as string };
}

/** An active lease: applied for, approved and commenced (disbursed) on its commencement date. */
export async function activeLease(call: Call, programId: string, request: Record<string, unknown> = {}) {
  const created = await call('POST', '/v1/loans', { program_id: programId, ...fedLease, ...request });
  if (created.statusCode !== 201) throw new Error(created.body);
  const id = created.json().id as string;
  for (const step of ['approve', 'disburse']) {
    const r = await call('POST', `/v1/loans/${id}/${step}`);
    if (r.statusCode !== 201) throw new Error(r.body);
  }
  return id;
}
