import { afterAll, beforeAll } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { activeLoan, setup } from '../../lending/fixtures.js';
import { MANDATE, type ProcessorHarness, stripeHarness } from './processors.js';

/** Response JSON, read by the tests' expectations. */
// biome-ignore lint/suspicious/noExplicitAny: response JSON, read by the tests' expectations.
type Json = any;

type Call = Awaited<ReturnType<typeof setup>>['call'];

export interface PaymentsFixture {
  t: TestApp;
  h: ProcessorHarness;
  call: Call;
  /** POST/PUT that must succeed; answers the JSON. */
  ok(
    method: 'POST' | 'PUT' | 'GET',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Json>;
  tenantId: string;
  programId: string;
  configId: string;
  customerId: string;
  /** A new active loan of the customer ($12,000, 12 monthly installments, disbursed 2024-01-15). */
  loan(request?: Record<string, unknown>): Promise<string>;
  /** A stored method of the customer: a card that pays, a card that declines, or a bank account. */
  method(kind: 'card' | 'declining' | 'bank', customerId?: string): Promise<string>;
  close(): Promise<void>;
}

/** An app with one tenant whose default payment processor is the harness's simulator, a program and a borrower. */
export async function paymentsFixture(h: ProcessorHarness, t?: TestApp): Promise<PaymentsFixture> {
  const app = t ?? (await startTestApp());
  const { call, programId, tenant } = await setup(app);
  const ok: PaymentsFixture['ok'] = async (method, url, body, headers) => {
    const r = await call(method, url, body, headers);
    if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
    return r.json();
  };
  const config = await ok('POST', '/v1/provider-configs', {
    label: h.key,
    service_type: 'payment_processor',
    provider_key: h.key,
    config: h.config(),
    is_default: true,
  });
  const customer = await ok('POST', '/v1/customers', {
    legal_name: 'Ada Lovelace',
    email: 'ada@example.com',
  });
  const method: PaymentsFixture['method'] = async (kind, customerId = customer.id) => {
    const source =
      kind === 'card' ? await h.card() : kind === 'declining' ? await h.decliningCard() : await h.bank();
    const body = {
      customer_id: customerId,
      type: kind === 'bank' ? 'bank_account' : 'card',
      ...('token' in source
        ? { token: source.token }
        : {
            profile: {
              customer_ref: source.customerRef,
              method_ref: source.methodRef,
              routing_number: source.routingNumber,
            },
          }),
      ...(kind === 'bank' && { mandate: MANDATE }),
    };
    return (await ok('POST', '/v1/payment-methods', body)).id;
  };
  return {
    t: app,
    h,
    call,
    ok,
    tenantId: tenant.id,
    programId,
    configId: config.id,
    customerId: customer.id,
    loan: (request = {}) => activeLoan(call, programId, { customer_id: customer.id, ...request }),
    method,
    close: async () => {
      if (!t) await app.close();
    },
  };
}

/** A test app and the Stripe harness shared by a describe block's tests: started before them, closed after. */
export function stripeApp(): { readonly t: TestApp; readonly h: ProcessorHarness } {
  const shared = {} as { t: TestApp; h: ProcessorHarness };
  beforeAll(async () => {
    shared.t = await startTestApp();
    shared.h = await stripeHarness();
  }, 60_000);
  afterAll(async () => {
    await shared.t?.close();
    await shared.h?.close();
  });
  return shared;
}

/** The cash a loan received, from its journal's balances. */
export const loanCash = async (f: PaymentsFixture, loanId: string): Promise<number> =>
  (await f.ok('GET', `/v1/loans/${loanId}`)).balances.cash ?? 0;
