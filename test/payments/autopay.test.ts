import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaymentsFixture, paymentsFixture } from './support/fixture.js';
import { stripeHarness } from './support/processors.js';

/** Autopay through close of business, and webhooks out of order, against the Stripe simulator. */
describe('autopay and webhook order', () => {
  let f: PaymentsFixture;
  beforeAll(async () => {
    f = await paymentsFixture(await stripeHarness());
  }, 60_000);
  afterAll(async () => {
    await f?.close();
    await f?.h.close();
  });

  it('collects the installment due on the day close of business opens, once', async () => {
    const loanId = await f.loan();
    const pm = await f.method('card');
    const bad = await f.call('PUT', `/v1/loans/${loanId}/autopay`, {
      payment_method_id: '0190a0f0-0000-7000-8000-000000000009',
    });
    expect(bad.statusCode).toBe(404);
    expect(await f.ok('PUT', `/v1/loans/${loanId}/autopay`, { payment_method_id: pm })).toMatchObject({
      enabled: true,
    });
    const loan = await f.ok('GET', `/v1/loans/${loanId}`);
    const first = loan.schedule[0];
    expect(first.due_date).toBe('2024-02-15');
    await f.ok('POST', '/v1/close-of-business', { date: '2024-02-14' });
    const paid = (await f.ok('GET', `/v1/payments?loan_id=${loanId}`)).data;
    expect(paid).toHaveLength(1);
    expect(paid[0]).toMatchObject({
      source: 'autopay',
      autopay_due_date: '2024-02-15',
      state: 'captured',
      amount: first.total,
      loan: { applied: first.total },
    });
    const after = await f.ok('GET', `/v1/loans/${loanId}`);
    expect(after.schedule[0].outstanding).toEqual({ principal: 0, interest: 0, fees: 0, penalties: 0 });
    // The same day opened again (a rerun, a job delivered twice): nobody is charged twice.
    await f.t.ctx.payments.autopay.dayOpened(f.tenantId, '2024-02-15' as never);
    expect((await f.ok('GET', `/v1/payments?loan_id=${loanId}`)).data).toHaveLength(1);
    expect(f.h.capturesOf(paid[0].processor_id)).toBe(1);
  });

  it('leaves a bank debit returned when the return arrives before the settlement', async () => {
    const loanId = await f.loan({ disbursement_date: '2024-02-15' });
    const pm = await f.method('bank');
    const p = await f.ok('POST', `/v1/loans/${loanId}/collections`, {
      amount: 20_000,
      payment_method_id: pm,
    });
    f.h.returnDebit(p.processor_id, 'R10');
    const url = `/v1/webhooks/payment-processors/${f.configId}`;
    const returnHook = f.h.signed(p.processor_id);
    const settleHook = f.h.signed(p.processor_id);
    for (const hook of [returnHook, settleHook, returnHook])
      expect(
        (await f.t.app.inject({ method: 'POST', url, headers: hook.headers, payload: hook.body })).statusCode,
      ).toBe(200);
    const got = await f.ok('GET', `/v1/payments/${p.id}`);
    expect(got).toMatchObject({ state: 'returned', return_code: 'R10', loan: { applied: 0 } });
    const states = got.transitions.map((t: { to: string }) => t.to);
    expect(states.filter((s: string) => s === 'returned')).toHaveLength(1);
  });
});
