import { reconcile, servicingOf } from '../../src/modules/lending/index.js';
import type { TestApp } from '../helpers/app.js';

/** An installment program open to any test loan: 0–36% rates, 1–360 installments, $1 to $1M. */
export const installmentTerms = (overrides: Record<string, unknown> = {}) => ({
  currency: 'USD',
  annual_interest_rate: { min: '0', max: '36', default: '12' },
  term_count: { min: 1, max: 360, default: 12 },
  principal: { min: 100, max: 100_000_000 },
  late_fee: { type: 'flat', amount: 2500, grace_days: 10 },
  delinquency: { buckets: [30, 60, 90, 120], charge_off_after_days: 120 },
  ...overrides,
});

/** The installment program type's terms schema as the OpenAPI document publishes it. */
export async function installmentTermsSchema(t: TestApp) {
  const doc = (await t.call('GET', '/openapi.json')).json();
  const terms =
    doc.paths['/v1/programs'].post.requestBody.content['application/json'].schema.properties.terms;
  return terms.oneOf.find((s: { title: string }) => s.title === 'installment_loan');
}

/** Creates an installment program with `terms` and answers the status and the paths of the issues refused. */
export async function programRefusal(t: TestApp, terms: Record<string, unknown>) {
  const tenant = await t.tenant();
  const r = await t.call('POST', '/v1/programs', {
    key: tenant.key,
    body: { name: 'p', program_type: 'installment_loan', terms },
  });
  const paths: string[] = r.statusCode === 422 ? r.json().errors.map((e: { path: string }) => e.path) : [];
  return { status: r.statusCode, paths };
}

export interface Tenant {
  id: string;
  key: string;
}

export async function setup(t: TestApp, businessDate = '2024-01-15', terms = installmentTerms()) {
  const tenant = await t.tenant();
  const call = (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => t.call(method, url, { key: tenant.key, body, headers });
  const bd = await call('PUT', '/v1/business-date', { business_date: businessDate });
  if (bd.statusCode !== 200) throw new Error(bd.body);
  const p = await call('POST', '/v1/programs', {
    name: 'Personal loans',
    program_type: 'installment_loan',
    terms,
  });
  if (p.statusCode !== 201) throw new Error(p.body);
  return { tenant, call, programId: p.json().id as string };
}

export async function activeLoan(
  call: Awaited<ReturnType<typeof setup>>['call'],
  programId: string,
  request: Record<string, unknown> = {},
): Promise<string> {
  const created = await call('POST', '/v1/loans', {
    program_id: programId,
    principal: 1_200_000,
    disbursement_date: '2024-01-15',
    ...request,
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  const id = created.json().id as string;
  // Approved on the disbursement date: an approval on a later business date would postdate the disbursement.
  const approved = await call('POST', `/v1/loans/${id}/approve`, {
    effective_date: created.json().start_date,
  });
  if (approved.statusCode !== 201) throw new Error(approved.body);
  const disbursed = await call('POST', `/v1/loans/${id}/disburse`);
  if (disbursed.statusCode !== 201) throw new Error(disbursed.body);
  return id;
}

/**
 * Services a disbursed loan through close of business up to `closeTo`, a payment, a reconciliation of every loan
 * of the tenant with its replay, and a payoff: returns the problems reconciliation found (none when the store equals
 * the replay) and the loan's status after the payoff.
 */
export async function serviceToPayoff(
  t: TestApp,
  { tenant, call }: Awaited<ReturnType<typeof setup>>,
  id: string,
  steps: { closeTo: string; payment: { amount: number; effective_date: string } },
): Promise<{ problems: unknown[]; status: string }> {
  const closed = await call('POST', '/v1/close-of-business', { date: steps.closeTo });
  if (closed.statusCode !== 200) throw new Error(closed.body);
  const paid = await call('POST', `/v1/loans/${id}/payments`, steps.payment);
  if (paid.statusCode !== 201) throw new Error(paid.body);
  const asOf = (await call('GET', '/v1/business-date')).json().business_date;
  const problems = await reconcile(t.ctx.database.db, servicingOf, tenant.id, {
    asOf,
    closeOfBusiness: false,
  });
  const payoff = (await call('POST', `/v1/loans/${id}/payoff-quotes`)).json();
  const settled = await call('POST', `/v1/loans/${id}/payments`, { amount: payoff.total, payoff: true });
  if (settled.statusCode !== 201) throw new Error(settled.body);
  return { problems, status: (await call('GET', `/v1/loans/${id}`)).json().status };
}
