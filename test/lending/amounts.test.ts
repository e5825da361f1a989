import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MINOR } from '../../src/kernel/money.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeLoan, installmentTerms, setup } from './fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('amounts', () => {
  it('refuses amounts past the documented maximum, naming the field, and writes nothing (issue 16 item 5)', async () => {
    // 2^53 − 992: accepted before, and a loan's balances (principal plus interest) then lost their last digit.
    const huge = 9_007_199_254_740_000;
    const { call, programId } = await setup(
      t,
      '2024-01-15',
      installmentTerms({ principal: { min: 100, max: MAX_MINOR } }),
    );
    const loan = await call('POST', '/v1/loans', {
      program_id: programId,
      principal: huge,
      disbursement_date: '2024-01-15',
    });
    expect(loan.statusCode).toBe(422);
    expect(JSON.stringify(loan.json().errors)).toContain('principal');
    const program = await call('POST', '/v1/programs', {
      name: 'Too big',
      program_type: 'installment_loan',
      terms: installmentTerms({ principal: { min: 100, max: huge } }),
    });
    expect(program.statusCode).toBe(422);
    expect(program.json().errors).toEqual([expect.objectContaining({ path: 'terms.principal.max' })]);
    const id = await activeLoan(call, programId);
    const before = (await call('GET', `/v1/loans/${id}`)).json();
    const payment = await call('POST', `/v1/loans/${id}/payments`, { amount: huge });
    expect(payment.statusCode).toBe(400);
    expect(payment.json().errors).toEqual([expect.objectContaining({ path: 'amount' })]);
    expect((await call('GET', `/v1/loans/${id}`)).json().transactions).toEqual(before.transactions);
  });

  it('accepts the maximum itself, and the journal and the balances agree to the unit', async () => {
    const { call, programId } = await setup(
      t,
      '2024-01-15',
      installmentTerms({
        principal: { min: 100, max: MAX_MINOR },
        term_count: { min: 1, max: 12, default: 12 },
      }),
    );
    const id = await activeLoan(call, programId, { principal: MAX_MINOR });
    const detail = (await call('GET', `/v1/loans/${id}`)).json();
    expect(detail.outstanding.principal).toBe(MAX_MINOR);
    expect(detail.balances).toEqual({ loans_receivable: MAX_MINOR, cash: -MAX_MINOR });
  });

  it('a payoff without an amount pays what the loan owes on its date (the README example, issue 16 item 18)', async () => {
    const { call, programId } = await setup(t);
    const id = await activeLoan(call, programId);
    const quote = (await call('POST', `/v1/loans/${id}/payoff-quotes`)).json();
    const paid = await call('POST', `/v1/loans/${id}/payments`, { payoff: true });
    expect(paid.statusCode).toBe(201);
    expect(paid.json()).toMatchObject({ type: 'payoff', loan: { status: 'paid_off' } });
    expect(paid.json()).toMatchObject({ amount: quote.total, payoff: true });
    const detail = (await call('GET', `/v1/loans/${id}`)).json();
    expect(detail.outstanding).toEqual({ principal: 0, interest: 0, fees: 0, penalties: 0 });
    const missing = await call('POST', `/v1/loans/${id}/payments`, {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([expect.objectContaining({ path: 'amount' })]);
  });
});
