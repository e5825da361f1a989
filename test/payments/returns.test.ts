import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile, servicingOf } from '../../src/modules/lending/index.js';
import { lineProgramTerms } from '../lending/line-of-credit-support.js';
import { type PaymentsFixture, paymentsFixture } from './support/fixture.js';
import { stripeHarness } from './support/processors.js';

// biome-ignore lint/suspicious/noExplicitAny: response JSON, read by the tests' expectations.
type Json = any;

/**
 * A bank debit returned after the days it covered were closed: the loan is restated without it, but the late fee
 * and delinquency it had avoided are assessed from the business date the return is processed on (its close of
 * business), never on a closed day; the program's returned-payment fee is charged. On an installment loan and on
 * a line of credit, against the Stripe simulator; the store equals the replay at every step.
 */
describe('returned payments: late fees from the day the return is processed', () => {
  let f: PaymentsFixture;
  beforeAll(async () => {
    f = await paymentsFixture(await stripeHarness());
  }, 60_000);
  afterAll(async () => {
    await f?.close();
    await f?.h.close();
  });

  const closeThrough = (date: string) => f.ok('POST', '/v1/close-of-business', { date });
  const agrees = async (asOf: string, closeOfBusiness: boolean, loanId: string) =>
    expect(
      await reconcile(
        f.t.ctx.database.db,
        servicingOf,
        f.tenantId,
        { asOf: asOf as never, closeOfBusiness },
        [loanId],
      ),
    ).toEqual([]);
  const returnDebit = async (p: Json) => {
    f.h.returnDebit(p.processor_id, 'R01');
    const hook = f.h.signed(p.processor_id);
    const url = `/v1/webhooks/payment-processors/${f.configId}`;
    const r = await f.t.app.inject({ method: 'POST', url, headers: hook.headers, payload: hook.body });
    expect(r.statusCode, r.body).toBe(200);
    return f.ok('GET', `/v1/payments/${p.id}`);
  };
  const charges = (loan: Json, account: string) =>
    loan.journal
      .filter((e: Json) => e.kind === 'charge')
      .flatMap((e: Json) =>
        e.lines
          .filter((l: Json) => l.account === account && l.side === 'debit')
          .map((l: Json) => [e.entry_date, l.amount]),
      );

  it('installment loan: no late fee on the closed grace day; one on the close of business of the return', async () => {
    await f.ok('PUT', `/v1/programs/${f.programId}/payment-settings`, {
      returned_payment_fee: 1_500,
      overpayment: 'reject',
    });
    const loanId = await f.loan();
    const pm = await f.method('bank');
    await closeThrough('2024-02-14');
    const p = await f.ok('POST', `/v1/loans/${loanId}/collections`, { amount: 'due', payment_method_id: pm });
    expect(p).toMatchObject({ state: 'processing', loan: { applied: p.amount } });
    // The grace days end on 2024-02-25; the installment was paid, so that day closed without a late fee.
    await closeThrough('2024-03-04');
    const returned = await returnDebit(p);
    expect(returned).toMatchObject({ state: 'returned', loan: { applied: 0 } });

    const loan = await f.ok('GET', `/v1/loans/${loanId}`);
    expect(loan.schedule[0].outstanding.principal).toBeGreaterThan(0);
    // Nothing charged on a closed day: only the returned-payment fee, on the business date of the return.
    expect(charges(loan, 'penalties_receivable')).toEqual([]);
    expect(charges(loan, 'fees_receivable')).toEqual([['2024-03-05', 1_500]]);
    expect(loan.schedule[0].late_fee_assessed ?? false).toBe(false);
    // Past due from the installment's own due date.
    expect(loan).toMatchObject({ status: 'delinquent', days_past_due: 19 });
    await agrees('2024-03-05', false, loanId);

    await closeThrough('2024-03-05');
    const after = await f.ok('GET', `/v1/loans/${loanId}`);
    expect(charges(after, 'penalties_receivable')).toEqual([['2024-03-05', 2_500]]);
    expect(after.schedule[0].outstanding.penalties).toBe(2_500);
    await agrees('2024-03-05', true, loanId);
    expect(returned.transitions.map((t: Json) => t.detail?.loan?.step).filter(Boolean)).toEqual([
      'apply',
      'reverse',
      'fee',
    ]);
  });

  it('line of credit: the statement’s late fee waits for the close of business of the return', async () => {
    const program = await f.ok('POST', '/v1/programs', {
      name: 'Lines',
      program_type: 'line_of_credit',
      terms: lineProgramTerms(),
    });
    await f.ok('PUT', `/v1/programs/${program.id}/payment-settings`, {
      returned_payment_fee: 1_000,
      overpayment: 'reject',
    });
    // The line opens on 2024-03-06 (the installment test's last business date, whether or not it ran).
    if ((await f.ok('GET', '/v1/business-date')).business_date < '2024-03-06')
      await closeThrough('2024-03-05');
    const created = await f.ok('POST', '/v1/loans', {
      program_id: program.id,
      customer_id: f.customerId,
      credit_limit: 500_000,
      open_date: '2024-03-06',
    });
    for (const step of ['approve', 'disburse']) await f.ok('POST', `/v1/loans/${created.id}/${step}`);
    const lineId = created.id as string;
    const pm = await f.method('bank');
    await f.ok('POST', `/v1/loans/${lineId}/draws`, { amount: 100_000 });
    await closeThrough('2024-03-15');
    const billed = await f.ok('GET', `/v1/loans/${lineId}`);
    const minimum = billed.line.last_statement.minimum_payment;
    expect(billed.line.last_statement.due_date).toBe('2024-04-09');
    const p = await f.ok('POST', `/v1/loans/${lineId}/collections`, {
      amount: minimum,
      payment_method_id: pm,
    });
    expect(p).toMatchObject({ state: 'processing', loan: { applied: minimum } });
    // 2024-04-10, the first day a late fee could be charged, closed with the minimum paid.
    await closeThrough('2024-04-10');
    const returned = await returnDebit(p);
    expect(returned).toMatchObject({ state: 'returned', loan: { applied: 0 } });

    const line = await f.ok('GET', `/v1/loans/${lineId}`);
    expect(charges(line, 'fees_receivable')).toEqual([['2024-04-11', 1_000]]);
    expect(line.line.last_statement.late_fee_assessed ?? false).toBe(false);
    await agrees('2024-04-11', false, lineId);

    await closeThrough('2024-04-11');
    const after = await f.ok('GET', `/v1/loans/${lineId}`);
    expect(charges(after, 'fees_receivable')).toEqual([
      ['2024-04-11', 1_000],
      // The flat $30 fee, capped at the statement's minimum payment (Reg Z 1026.52(b)(2)(i)).
      ['2024-04-11', Math.min(3_000, minimum)],
    ]);
    await agrees('2024-04-11', true, lineId);
  });
});
