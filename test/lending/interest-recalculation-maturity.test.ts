import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/kernel/dates.js';
import { reconcile, servicingOf } from '../../src/modules/lending/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { installmentTerms, setup } from './fixtures.js';

// Interest after maturity on a recalculating loan (domain/installment/recalculation-maturity.ts) over HTTP: the
// close of business keeps accruing on the last installment past its due date, the loan shows the interest due,
// and a payment, a payoff quote and the payoff after maturity equal the replay.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('interest after maturity', () => {
  it('accrues on the overdue principal past the last due date, shown due; payments and payoff equal the replay', async () => {
    const { call, programId, tenant } = await setup(
      t,
      '2024-01-01',
      installmentTerms({
        interest_calculation: 'daily',
        day_count: 'actual/365',
        repayment_frequency: 'weekly',
        interest_recalculation: { rest: 'daily', compounding: 'none' },
      }),
    );
    const created = await call('POST', '/v1/loans', {
      program_id: programId,
      principal: 600_000,
      annual_interest_rate: '12',
      term_count: 2,
      disbursement_date: '2024-01-01',
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    await call('POST', `/v1/loans/${id}/approve`, { effective_date: '2024-01-01' });
    expect((await call('POST', `/v1/loans/${id}/disburse`)).statusCode).toBe(201);
    const exact = async (closeOfBusiness: boolean) => {
      const open = (await call('GET', '/v1/business-date')).json().business_date;
      const asOf = closeOfBusiness ? addDays(open, -1) : open;
      return reconcile(t.ctx.database.db, servicingOf, tenant.id, { asOf, closeOfBusiness });
    };

    // Nothing paid through 01-20, 5 days past the last due date (01-15).
    expect((await call('POST', '/v1/close-of-business', { date: '2024-01-20' })).statusCode).toBe(200);
    expect(await exact(true)).toEqual([]);
    const loan = (await call('GET', `/v1/loans/${id}`)).json();
    // The second week on the whole 6,000.00 (13.81 for 7 days), then 6 days past it (11.84): 25.65 due.
    expect(loan.schedule[1].interest).toBe(1_381 + 1_184);
    expect(loan.days_past_due).toBe(12);

    // A payment on 01-21: the balance it leaves earns from then; close of business equals the replay.
    expect((await call('POST', `/v1/loans/${id}/payments`, { amount: 400_000 })).statusCode).toBe(201);
    expect(await exact(false)).toEqual([]);
    expect((await call('POST', '/v1/close-of-business', { date: '2024-01-23' })).statusCode).toBe(200);
    expect(await exact(true)).toEqual([]);
    const later = (await call('GET', `/v1/loans/${id}`)).json();
    expect(later.schedule[1].interest).toBeGreaterThan(loan.schedule[1].interest);

    // The payoff quote on 01-24 owes the interest to then and pays the loan off.
    const quote = (await call('POST', `/v1/loans/${id}/payoff-quotes`)).json();
    expect(quote.interest).toBeGreaterThan(0);
    const off = await call('POST', `/v1/loans/${id}/payments`, { amount: quote.total, payoff: true });
    expect(off.statusCode).toBe(201);
    expect((await call('GET', `/v1/loans/${id}`)).json().status).toBe('paid_off');
    expect(await exact(false)).toEqual([]);
  });
});
