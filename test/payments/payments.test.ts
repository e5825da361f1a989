import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile, servicingOf } from '../../src/modules/lending/index.js';
import { findPayment } from '../../src/modules/payments/payments/store.js';
import { type PaymentsFixture, paymentsFixture } from './support/fixture.js';
import { HARNESSES } from './support/processors.js';

/**
 * The payments API against each processor's simulator, through the official SDK (Stripe) or the typed client
 * (Authorize.Net): collections applied to loans, declines, refunds and returns reversing loan payments, capture
 * retries, the reconciler after a crash, webhooks, and bad input that moves nothing.
 */
describe.each(HARNESSES)('payments: %s', (_key, start) => {
  let f: PaymentsFixture;
  beforeAll(async () => {
    f = await paymentsFixture(await start());
  }, 60_000);
  afterAll(async () => {
    await f?.close();
    await f?.h.close();
  });

  const cash = async (loanId: string): Promise<number> =>
    (await f.ok('GET', `/v1/loans/${loanId}`)).balances.cash ?? 0;
  const agrees = async () =>
    expect(
      await reconcile(f.t.ctx.database.db, servicingOf, f.tenantId, {
        asOf: '2024-01-15' as never,
        closeOfBusiness: false,
      }),
    ).toEqual([]);

  it('collects a card payment into the loan, in the statement that records the capture', async () => {
    const loanId = await f.loan();
    const pm = await f.method('card');
    const before = await cash(loanId);
    const r = await f.call(
      'POST',
      `/v1/loans/${loanId}/collections`,
      { amount: 50_000, payment_method_id: pm },
      { 'idempotency-key': `c-${loanId}` },
    );
    expect(r.statusCode, r.body).toBe(201);
    const p = r.json();
    expect(p).toMatchObject({
      state: 'captured',
      amount_captured: 50_000,
      loan: { id: loanId, applied: 50_000 },
    });
    expect((await cash(loanId)) - before).toBe(50_000);
    // The same key again: the same payment, nothing charged twice.
    const again = await f.call(
      'POST',
      `/v1/loans/${loanId}/collections`,
      { amount: 50_000, payment_method_id: pm },
      { 'idempotency-key': `c-${loanId}` },
    );
    expect(again.json().id).toBe(p.id);
    expect(f.h.capturesOf(p.processor_id)).toBe(1);
    const got = await f.ok('GET', `/v1/payments/${p.id}`);
    expect(got.transitions.map((t: { to: string }) => t.to)).toEqual(['pending', 'captured']);
  });

  it('answers a decline as 402 with the taxonomy, and the loan receives nothing', async () => {
    const loanId = await f.loan();
    const pm = await f.method('declining');
    const before = await cash(loanId);
    const r = await f.call('POST', `/v1/loans/${loanId}/collections`, { amount: 200, payment_method_id: pm });
    expect(r.statusCode, r.body).toBe(402);
    expect(r.json()).toMatchObject({ code: 'payment_declined', decline_code: 'card_declined' });
    expect(await cash(loanId)).toBe(before);
  });

  it('refunds in parts; each refund takes its amount back from the loan', async () => {
    const loanId = await f.loan();
    const pm = await f.method('card');
    const before = await cash(loanId);
    const p = await f.ok('POST', `/v1/loans/${loanId}/collections`, {
      amount: 30_000,
      payment_method_id: pm,
    });
    f.h.settle();
    const r1 = await f.ok('POST', `/v1/payments/${p.id}/refunds`, { amount: 10_000 });
    expect(r1.payment).toMatchObject({
      state: 'partially_refunded',
      amount_refunded: 10_000,
      loan: { applied: 20_000 },
    });
    expect((await cash(loanId)) - before).toBe(20_000);
    const over = await f.call('POST', `/v1/payments/${p.id}/refunds`, { amount: 20_001 });
    expect(over.statusCode).toBe(422);
    expect(over.json().errors?.[0]?.path ?? over.json().fields?.[0]?.path).toBe('amount');
    const r2 = await f.ok('POST', `/v1/payments/${p.id}/refunds`, {});
    expect(r2.payment).toMatchObject({ state: 'refunded', amount_refunded: 30_000, loan: { applied: 0 } });
    expect(await cash(loanId)).toBe(before);
    await agrees();
  });

  it('applies a bank debit when initiated and reverses it when it comes back', async () => {
    const loanId = await f.loan();
    const pm = await f.method('bank');
    const before = await cash(loanId);
    const p = await f.ok('POST', `/v1/loans/${loanId}/collections`, {
      amount: 40_000,
      payment_method_id: pm,
    });
    expect(p).toMatchObject({ state: 'processing', loan: { applied: 40_000 } });
    expect((await cash(loanId)) - before).toBe(40_000);
    f.h.returnDebit(p.processor_id, 'R01');
    const hook = f.h.signed(p.processor_id);
    const url = `/v1/webhooks/payment-processors/${f.configId}`;
    const delivered = await f.t.app.inject({
      method: 'POST',
      url,
      headers: hook.headers,
      payload: hook.body,
    });
    expect(delivered.statusCode, delivered.body).toBe(200);
    const returned = await f.ok('GET', `/v1/payments/${p.id}`);
    expect(returned).toMatchObject({ state: 'returned', return_code: 'R01', loan: { applied: 0 } });
    expect(await cash(loanId)).toBe(before);
    // Delivered twice more: nothing changes.
    for (let i = 0; i < 2; i++)
      await f.t.app.inject({ method: 'POST', url, headers: hook.headers, payload: hook.body });
    const after = await f.ok('GET', `/v1/payments/${p.id}`);
    expect(after.transitions).toHaveLength(returned.transitions.length);
    await agrees();
  });

  it('refuses a forged webhook with 401 and changes nothing', async () => {
    const loanId = await f.loan();
    const pm = await f.method('bank');
    const p = await f.ok('POST', `/v1/loans/${loanId}/collections`, {
      amount: 10_000,
      payment_method_id: pm,
    });
    f.h.returnDebit(p.processor_id, 'R02');
    const hook = f.h.signed(p.processor_id, { forged: true });
    const r = await f.t.app.inject({
      method: 'POST',
      url: `/v1/webhooks/payment-processors/${f.configId}`,
      headers: hook.headers,
      payload: hook.body,
    });
    expect(r.statusCode).toBe(401);
    expect(await f.ok('GET', `/v1/payments/${p.id}`)).toMatchObject({
      state: 'processing',
      loan: { applied: 10_000 },
    });
  });

  it('authorizes, then a capture that times out is retried with the same key: one capture', async () => {
    const pm = await f.method('card');
    const auth = await f.ok('POST', '/v1/payments', {
      customer_id: f.customerId,
      payment_method_id: pm,
      amount: 12_000,
      currency: 'USD',
      capture: false,
    });
    expect(auth.state).toBe('authorized');
    f.h.loseNextCapture();
    const lost = await f.call(
      'POST',
      `/v1/payments/${auth.id}/capture`,
      { amount: 9_000 },
      { 'idempotency-key': `cap-${auth.id}` },
    );
    // Stripe's SDK gives up (503, outcome unknown); Authorize.Net's client re-sends within its duplicate window.
    expect([200, 503], lost.body).toContain(lost.statusCode);
    f.h.clearFaults();
    const retried = await f.call(
      'POST',
      `/v1/payments/${auth.id}/capture`,
      { amount: 9_000 },
      { 'idempotency-key': `cap-${auth.id}` },
    );
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ state: 'captured', amount_captured: 9_000 });
    expect(f.h.capturesOf(auth.processor_id)).toBe(1);
    // Voiding a captured payment is a conflict; capturing above the authorization names the field.
    const v = await f.call('POST', `/v1/payments/${auth.id}/void`);
    expect(v.statusCode).toBe(409);
  });

  it('finishes a payment whose process died between the processor call and finalization', async () => {
    const loanId = await f.loan();
    const pm = await f.method('card');
    const before = await cash(loanId);
    // The charge reaches the processor, and the process dies before it records the answer.
    const resolved = await f.t.ctx.resolver.byId('payment_processor', f.configId, f.tenantId);
    const processor = resolved!.instance;
    const authorize = processor.authorize;
    processor.authorize = async (request) => {
      await authorize.call(processor, request);
      throw new Error('killed');
    };
    const r = await f.call('POST', `/v1/loans/${loanId}/collections`, {
      amount: 25_000,
      payment_method_id: pm,
    });
    processor.authorize = authorize;
    expect(r.statusCode).toBe(500);
    const [left] = (await f.ok('GET', `/v1/payments?loan_id=${loanId}`)).data;
    expect(left).toMatchObject({ state: 'pending', pending_operation: 'authorize' });
    expect(await cash(loanId)).toBe(before);
    const row = await findPayment(f.t.ctx.database.db, f.tenantId, left.id);
    await f.t.ctx.payments.reconciler.check(row!);
    const done = await f.ok('GET', `/v1/payments/${left.id}`);
    expect(done).toMatchObject({ state: 'captured', amount_captured: 25_000, loan: { applied: 25_000 } });
    expect(f.h.capturesOf(done.processor_id)).toBe(1);
    expect((await cash(loanId)) - before).toBe(25_000);
    expect(done.transitions.at(-1).source).toBe('reconciler');
    await agrees();
  });

  it('rejects bad input, naming the field, and moves nothing', async () => {
    const loanId = await f.loan();
    const pm = await f.method('card');
    const captures = f.h.totals().captures;
    const post = (body: unknown) => f.call('POST', `/v1/loans/${loanId}/collections`, body);
    const zero = await post({ amount: 0, payment_method_id: pm });
    expect(zero.statusCode).toBe(400);
    expect(JSON.stringify(zero.json())).toContain('amount');
    const fraction = await post({ amount: 10.5, payment_method_id: pm });
    expect(fraction.statusCode).toBe(400);
    const above = await post({ amount: 99_000_000, payment_method_id: pm });
    expect(above.statusCode).toBe(422);
    expect(above.json()).toMatchObject({ code: 'amount_above_payoff' });
    const other = await f.ok('POST', '/v1/customers', { legal_name: 'Someone Else' });
    const theirs = await f.method('card', other.id);
    const notYours = await post({ amount: 1_000, payment_method_id: theirs });
    expect(notYours.statusCode).toBe(404);
    expect(JSON.stringify(notYours.json())).toContain('payment_method_id');
    const currency = await f.call('POST', '/v1/payments', {
      customer_id: f.customerId,
      payment_method_id: pm,
      amount: 1_000,
      currency: 'JPY',
    });
    expect(currency.statusCode).toBe(422);
    expect(JSON.stringify(currency.json())).toContain('currency');
    expect(f.h.totals().captures).toBe(captures);
  });

  it('keeps tenants apart: another tenant’s payment and method are not found', async () => {
    const pm = await f.method('card');
    const p = await f.ok('POST', '/v1/payments', {
      customer_id: f.customerId,
      payment_method_id: pm,
      amount: 1_500,
      currency: 'USD',
    });
    const other = await f.t.tenant('Other');
    const get = await f.t.call('GET', `/v1/payments/${p.id}`, { key: other.key });
    expect(get.statusCode).toBe(404);
    const refund = await f.t.call('POST', `/v1/payments/${p.id}/refunds`, { key: other.key, body: {} });
    expect(refund.statusCode).toBe(404);
  });
});
