import { describe, expect, it, vi } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/kernel/audit.js';
import { installmentServicing } from '../../src/modules/lending/providers/installment_loan/servicing.js';
import { loanCash, paymentsFixture, stripeApp } from './support/fixture.js';

/** The loan read statement (lending/servicing/read.ts), told apart from the other statements by its opening. */
const isLoanRead = (text: unknown) =>
  typeof text === 'string' && /^\s*SELECT CASE WHEN l\.id IS NULL/.test(text);

/**
 * A collection reads its loan once: the loan's write plans from the read the collection made before calling the
 * processor. A loan that moved on in between is read again, so the payment still lands on the loan as it is.
 */
describe('a collection reads its loan once', () => {
  const app = stripeApp();

  it('the loan write of a collection plans from the collection read', async () => {
    const f = await paymentsFixture(app.h, app.t);
    const loanId = await f.loan();
    const pm = await f.method('card');
    const before = await loanCash(f, loanId);
    const query = vi.spyOn(app.t.ctx.database.raw, 'query');
    try {
      const paid = await f.ok('POST', `/v1/loans/${loanId}/collections`, {
        amount: 10_000,
        payment_method_id: pm,
      });
      expect(paid).toMatchObject({ state: 'captured', loan: { applied: 10_000 } });
      expect(query.mock.calls.filter(([text]) => isLoanRead(text))).toHaveLength(1);
    } finally {
      query.mockRestore();
    }
    expect((await loanCash(f, loanId)) - before).toBe(10_000);
  });

  it('and replays it once: the write continues the replay its payoff quote was read from', async () => {
    const f = await paymentsFixture(app.h, app.t);
    const loanId = await f.loan();
    const pm = await f.method('card');
    const replay = vi.spyOn(installmentServicing, 'replay');
    const during = vi.spyOn(installmentServicing, 'replayDuring');
    try {
      const paid = await f.ok('POST', `/v1/loans/${loanId}/collections`, {
        amount: 10_000,
        payment_method_id: pm,
      });
      expect(paid).toMatchObject({ state: 'captured', loan: { applied: 10_000 } });
      expect(during).toHaveBeenCalledTimes(1);
      expect(replay).not.toHaveBeenCalled();
    } finally {
      replay.mockRestore();
      during.mockRestore();
    }
  });

  it('a loan that moved on since the read is read again, and takes the payment as it now is', async () => {
    const f = await paymentsFixture(app.h, app.t);
    const loanId = await f.loan();
    const scope = { tenantId: f.tenantId, actor: SYSTEM_ACTOR };
    const port = app.t.ctx.lending.payments;
    const before = await loanCash(f, loanId);
    const read = await port.collectible(scope, loanId);
    if (!read.ok) throw new Error(read.error.message);
    // Another payment lands after the collection's read.
    await f.ok('POST', `/v1/loans/${loanId}/payments`, { amount: 30_000, effective_date: '2024-01-15' });

    const applied = await port.apply(
      scope,
      loanId,
      { action: 'payment', amount: 20_000, currency: 'USD' },
      () => [],
      read.value.snapshot,
    );
    if (!applied.ok) throw new Error(applied.error.message);
    expect(applied.value.loan.version).toBe(read.value.snapshot.loan.version + 2);
    expect((await loanCash(f, loanId)) - before).toBe(50_000);
    const { transactions } = await f.ok('GET', `/v1/loans/${loanId}`);
    const payments = transactions.filter((e: { type: string }) => e.type === 'payment');
    expect(payments.map((e: { amount: number }) => e.amount).sort()).toEqual([20_000, 30_000]);
  });
});
