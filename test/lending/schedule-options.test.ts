import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { installmentTerms, installmentTermsSchema, serviceToPayoff, setup } from './fixtures.js';

// The schedule options (domain/installment/options.ts) over HTTP: in the OpenAPI document, validated by the program
// type's schema naming the option, and applied alike by quotes, loans, servicing and close of business.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Fineract's progressive schedule: ProgressiveEMICalculatorTest (365 days, actual months, 15.678%). */
const progressive = installmentTerms({
  interest_calculation: 'period_days',
  days_in_month: 'actual',
  days_in_year: '365',
  level_payment: 'period_rates',
  level_payment_adjustment: true,
});
const request = {
  principal: 10_000,
  annual_interest_rate: '15.678',
  term_count: 6,
  disbursement_date: '2024-01-01',
};

describe('schedule options', () => {
  it('are in the OpenAPI document, under the installment program type’s terms', async () => {
    const installment = await installmentTermsSchema(t);
    for (const option of [
      'repayment_every',
      'days_in_month',
      'days_in_year',
      'level_payment',
      'level_payment_adjustment',
      'first_period_interest',
      'installment_multiple_rounding',
      'flat_interest',
      'principal_percent_per_installment',
    ])
      expect(installment.properties).toHaveProperty(option);
    expect(installment.properties.grace.properties).toHaveProperty('interest_free_periods');
  });

  it('refuse a combination they do not apply to, naming the option', async () => {
    const tenant = await t.tenant();
    const r = await t.call('POST', '/v1/programs', {
      key: tenant.key,
      body: {
        name: 'p',
        program_type: 'installment_loan',
        terms: installmentTerms({
          interest_method: 'flat',
          level_payment: 'period_rates',
          days_in_year: '364',
        }),
      },
    });
    expect(r.statusCode).toBe(422);
    expect(
      r
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['terms.days_in_year', 'terms.level_payment']);
  });

  it('apply alike to the quote, the loan, its servicing and close of business', async () => {
    const app = await setup(t, '2024-01-01', progressive);
    const { call, programId } = app;
    const quote = await call('POST', `/v1/programs/${programId}/quotes`, request);
    expect(quote.statusCode).toBe(200);
    const totals = quote.json().schedule.map((r: { total: number }) => r.total);
    expect(totals).toEqual([1743, 1743, 1743, 1743, 1743, 1747]);

    const created = await call('POST', '/v1/loans', { program_id: programId, ...request });
    expect(created.statusCode).toBe(201);
    expect(created.json().terms).toMatchObject({ level_payment: 'period_rates', days_in_year: '365' });
    const id = created.json().id;
    await call('POST', `/v1/loans/${id}/approve`, { effective_date: '2024-01-01' });
    expect((await call('POST', `/v1/loans/${id}/disburse`)).statusCode).toBe(201);
    const loan = (await call('GET', `/v1/loans/${id}`)).json();
    expect(loan.schedule.map((r: { total: number }) => r.total)).toEqual(totals);

    // Two months of close of business, a payment of the first installment, then a payoff: equal to the replay.
    const serviced = await serviceToPayoff(t, app, id, {
      closeTo: '2024-02-15',
      payment: { amount: 1743, effective_date: '2024-02-01' },
    });
    expect(serviced).toEqual({ problems: [], status: 'paid_off' });
  });
});
