import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/kernel/dates.js';
import { reconcile, servicingOf } from '../../src/modules/lending/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { installmentTerms, installmentTermsSchema, programRefusal, setup } from './fixtures.js';

// Interest recalculation (domain/installment/recalculation.ts) over HTTP: in the OpenAPI document, refused where it
// does not apply naming the field, and applied alike by quotes, loans, servicing and close of business.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const recalculating = installmentTerms({
  interest_calculation: 'daily',
  day_count: 'actual/365',
  interest_recalculation: { rest: 'daily', compounding: 'none' },
});
const request = {
  principal: 600_000,
  annual_interest_rate: '12',
  term_count: 6,
  disbursement_date: '2024-01-01',
};

describe('interest_recalculation', () => {
  it('is in the OpenAPI document and refused with flat interest, naming the field', async () => {
    expect((await installmentTermsSchema(t)).properties).toHaveProperty('interest_recalculation');
    const r = await programRefusal(
      t,
      installmentTerms({ interest_method: 'flat', interest_recalculation: {} }),
    );
    expect(r.status).toBe(422);
    expect(r.paths).toContain('terms.interest_recalculation');
  });

  it('an early payment lowers the interest; close of business, a backdated payment and a payoff equal the replay', async () => {
    const app = await setup(t, '2024-01-01', recalculating);
    const { call, programId, tenant } = app;
    const quote = await call('POST', `/v1/programs/${programId}/quotes`, request);
    expect(quote.statusCode).toBe(200);
    const created = await call('POST', '/v1/loans', { program_id: programId, ...request });
    expect(created.statusCode).toBe(201);
    expect(created.json().terms.interest_recalculation).toEqual({
      rest: 'daily',
      compounding: 'none',
      reschedule: 'adjust_last_unpaid_period',
    });
    const id = created.json().id;
    await call('POST', `/v1/loans/${id}/approve`, { effective_date: '2024-01-01' });
    expect((await call('POST', `/v1/loans/${id}/disburse`)).statusCode).toBe(201);
    const scheduled = quote.json().schedule as { principal: number; interest: number }[];

    const exact = async (closeOfBusiness: boolean) => {
      // The open day (after a write), or the last closed one (after close of business).
      const open = (await call('GET', '/v1/business-date')).json().business_date;
      const asOf = closeOfBusiness ? addDays(open, -1) : open;
      return reconcile(t.ctx.database.db, servicingOf, tenant.id, { asOf, closeOfBusiness });
    };
    expect((await call('POST', '/v1/close-of-business', { date: '2024-01-15' })).statusCode).toBe(200);
    expect(await exact(true)).toEqual([]);
    // The first installment's principal and more repaid on 01-16: the first period earns less, and so do the later ones.
    expect((await call('POST', `/v1/loans/${id}/payments`, { amount: 110_000 })).statusCode).toBe(201);
    expect(await exact(false)).toEqual([]);
    const after = (await call('GET', `/v1/loans/${id}`)).json();
    expect(after.schedule[0].interest).toBeLessThan(scheduled[0]!.interest);
    // The first installment is settled with the interest to 01-16; the second keeps its amount (the default
    // reschedule, adjust_last_unpaid_period), its principal larger by the interest the lower balance saves.
    expect(after.schedule[1].principal + after.schedule[1].interest).toBe(
      scheduled[1]!.principal + scheduled[1]!.interest,
    );
    // Then nothing paid: close of business through due dates passed unpaid (the second installment's principal
    // overdue from 03-01 earns in the third period), then a backdated payment.
    expect((await call('POST', '/v1/close-of-business', { date: '2024-03-10' })).statusCode).toBe(200);
    expect(await exact(true)).toEqual([]);
    const overdue = (await call('GET', `/v1/loans/${id}`)).json();
    expect(overdue.schedule[2].interest).toBeGreaterThan(scheduled[2]!.interest);
    const back = await call('POST', `/v1/loans/${id}/payments`, {
      amount: 50_000,
      effective_date: '2024-02-20',
    });
    expect(back.statusCode).toBe(201);
    expect(await exact(false)).toEqual([]);
    expect((await call('POST', '/v1/close-of-business', { date: '2024-03-20' })).statusCode).toBe(200);
    expect(await exact(true)).toEqual([]);
    const payoff = (await call('POST', `/v1/loans/${id}/payoff-quotes`)).json();
    const settled = await call('POST', `/v1/loans/${id}/payments`, { amount: payoff.total, payoff: true });
    expect(settled.statusCode).toBe(201);
    expect((await call('GET', `/v1/loans/${id}`)).json().status).toBe('paid_off');
    expect(await exact(false)).toEqual([]);
  });

  it('shows the reschedule strategies in the OpenAPI document and refuses an unknown one naming the field', async () => {
    const schema = (await installmentTermsSchema(t)).properties.interest_recalculation;
    const text = JSON.stringify(schema);
    for (const r of [
      'adjust_last_unpaid_period',
      'reduce_emi',
      'reduce_number_of_installments',
      'reschedule_next_repayments',
    ])
      expect(text).toContain(r);
    const r = await programRefusal(
      t,
      installmentTerms({ interest_calculation: 'daily', interest_recalculation: { reschedule: 'shorten' } }),
    );
    expect(r.status).toBe(422);
    expect(r.paths).toContain('terms.interest_recalculation.reschedule');
  });

  it('an installment paid in full early is settled: not delinquent at its due date, close of business equal', async () => {
    // Fineract ProgressiveEMICalculatorTest …payoff_on0115: the installment settles with the interest to the
    // payment; what the period earns after it is due with the next installment (reschedule.ts).
    const app = await setup(t, '2024-01-01', recalculating);
    const { call, programId, tenant } = app;
    const quote = await call('POST', `/v1/programs/${programId}/quotes`, request);
    const first = quote.json().schedule[0] as { total: number };
    const created = await call('POST', '/v1/loans', { program_id: programId, ...request });
    const id = created.json().id;
    await call('POST', `/v1/loans/${id}/approve`, { effective_date: '2024-01-01' });
    expect((await call('POST', `/v1/loans/${id}/disburse`)).statusCode).toBe(201);
    expect((await call('POST', '/v1/close-of-business', { date: '2024-01-19' })).statusCode).toBe(200);
    expect((await call('POST', `/v1/loans/${id}/payments`, { amount: first.total })).statusCode).toBe(201);
    const exact = async (closeOfBusiness: boolean) => {
      const open = (await call('GET', '/v1/business-date')).json().business_date;
      const asOf = closeOfBusiness ? addDays(open, -1) : open;
      return reconcile(t.ctx.database.db, servicingOf, tenant.id, { asOf, closeOfBusiness });
    };
    expect(await exact(false)).toEqual([]);
    expect((await call('POST', '/v1/close-of-business', { date: '2024-02-10' })).statusCode).toBe(200);
    expect(await exact(true)).toEqual([]);
    const loan = (await call('GET', `/v1/loans/${id}`)).json();
    expect(loan.status).toBe('active');
    expect(loan.days_past_due).toBe(0);
  });
});
