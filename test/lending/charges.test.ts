import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile, servicingOf } from '../../src/modules/lending/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { installmentTerms, installmentTermsSchema, setup } from './fixtures.js';

// Charges in the schedule (domain/installment/charges.ts) over HTTP: in the OpenAPI document, validated naming the
// charge's field, shown in the quote with their Truth in Lending treatment, and serviced alike by loans, payments,
// close of business and payoff.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

// $3,000 at 12 % over 3 months; a 1 % origination fee from the proceeds, a $10 fee with every installment, and a
// $25 review fee with the second installment that is not a finance charge.
const terms = installmentTerms({
  charges: [
    { name: 'origination', due: 'disbursement', calculation: 'percent_of_amount', percent: '1' },
    { name: 'service', due: 'installment', amount: 1_000 },
    { name: 'review', due: 'specified_installment', installment: 2, amount: 2_500, finance_charge: false },
  ],
});
const request = {
  principal: 300_000,
  annual_interest_rate: '12',
  term_count: 3,
  disbursement_date: '2024-01-15',
};

describe('charges in the schedule', () => {
  it('are in the OpenAPI document, under the installment program type’s terms', async () => {
    const installment = await installmentTermsSchema(t);
    expect(installment.properties.charges.items.properties.due.enum).toEqual([
      'disbursement',
      'installment',
      'specified_installment',
    ]);
  });

  it('a charge its time and calculation do not allow is refused, naming its field', async () => {
    const tenant = await t.tenant();
    const r = await t.call('POST', '/v1/programs', {
      key: tenant.key,
      body: {
        name: 'p',
        program_type: 'installment_loan',
        terms: installmentTerms({
          charges: [{ name: 'x', due: 'disbursement', calculation: 'percent_of_interest', percent: '1' }],
        }),
      },
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors.map((e: { path: string }) => e.path)).toEqual(['terms.charges.0.calculation']);
  });

  it('the quote, the loan, payments, close of business and payoff agree, and equal the replay', async () => {
    const { tenant, call, programId } = await setup(t, '2024-01-15', terms);
    const quote = (await call('POST', `/v1/programs/${programId}/quotes`, request)).json();
    expect(quote.schedule.map((r: { fees: number }) => r.fees)).toEqual([1_000, 3_500, 1_000]);
    expect(quote.totals).toMatchObject({ fees: 8_500, fees_at_disbursement: 3_000 });
    // The origination fee is a prepaid finance charge; the review fee is in neither the payments nor the charge.
    expect(quote.disclosure.amount_financed).toBe(297_000);
    expect(quote.disclosure.total_of_payments).toBe(quote.totals.principal + quote.totals.interest + 3_000);
    expect(quote.disclosure.finance_charge).toBe(quote.totals.interest + 3_000 + 3_000);

    const created = await call('POST', '/v1/loans', { program_id: programId, ...request });
    expect(created.statusCode).toBe(201);
    expect(created.json().terms.charges).toHaveLength(3);
    const id = created.json().id;
    await call('POST', `/v1/loans/${id}/approve`, { effective_date: '2024-01-15' });
    expect((await call('POST', `/v1/loans/${id}/disburse`)).statusCode).toBe(201);
    const loan = (await call('GET', `/v1/loans/${id}`)).json();
    expect(loan.schedule.map((r: { total: number }) => r.total)).toEqual(
      quote.schedule.map((r: { total: number }) => r.total),
    );

    expect((await call('POST', '/v1/close-of-business', { date: '2024-03-01' })).statusCode).toBe(200);
    const first = quote.schedule[0];
    const paid = await call('POST', `/v1/loans/${id}/payments`, {
      amount: first.total,
      effective_date: first.due_date,
    });
    expect(paid.statusCode).toBe(201);
    expect(
      await reconcile(t.ctx.database.db, servicingOf, tenant.id, {
        asOf: '2024-03-02' as never,
        closeOfBusiness: false,
      }),
    ).toEqual([]);
    // Paid off in the second period: its fees are owed, the third installment's fee is not.
    const payoff = (await call('POST', `/v1/loans/${id}/payoff-quotes`)).json();
    expect(payoff.fees).toBe(3_500);
    const settled = await call('POST', `/v1/loans/${id}/payments`, { amount: payoff.total, payoff: true });
    expect(settled.statusCode).toBe(201);
    expect((await call('GET', `/v1/loans/${id}`)).json().status).toBe('paid_off');
    expect(
      await reconcile(t.ctx.database.db, servicingOf, tenant.id, {
        asOf: '2024-03-02' as never,
        closeOfBusiness: false,
      }),
    ).toEqual([]);
  });
});
