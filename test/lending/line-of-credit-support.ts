import type { TestApp } from '../helpers/app.js';

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

export type Call = (
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  body?: unknown,
) => ReturnType<TestApp['call']>;

export async function lineTenant(t: TestApp, businessDate = '2024-01-10', terms = lineProgramTerms()) {
  const tenant = await t.tenant();
  const call: Call = (method, url, body) => t.call(method, url, { key: tenant.key, body });
  const bd = await call('PUT', '/v1/business-date', { business_date: businessDate });
  if (bd.statusCode !== 200) throw new Error(bd.body);
  const p = await call('POST', '/v1/programs', { name: 'Lines', program_type: 'line_of_credit', terms });
  if (p.statusCode !== 201) throw new Error(p.body);
  return { tenant, call, programId: p.json().id as string };
}

/** An open line: applied for, approved and opened (disbursed) on `open_date`. */
export async function openLine(call: Call, programId: string, request: Record<string, unknown> = {}) {
  const created = await call('POST', '/v1/loans', {
    program_id: programId,
    credit_limit: 500_000,
    open_date: '2024-01-10',
    ...request,
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  const id = created.json().id as string;
  for (const step of ['approve', 'disburse']) {
    const r = await call('POST', `/v1/loans/${id}/${step}`);
    if (r.statusCode !== 201) throw new Error(r.body);
  }
  return id;
}

export async function closeThrough(call: Call, date: string) {
  const r = await call('POST', '/v1/close-of-business', { date });
  if (r.statusCode !== 200) throw new Error(r.body);
}
