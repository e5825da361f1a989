import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { installmentTerms, installmentTermsSchema, serviceToPayoff, setup } from './fixtures.js';

// A fixed installment amount (domain/installment/fixed-installment.ts; Fineract's fixedEmiAmount) over HTTP: in the
// OpenAPI document and the program type's schemas, refused naming the field, applied alike by quotes, loans,
// servicing and close of business, with the Truth in Lending box from the schedule it gives.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const terms = installmentTerms({
  term_count: { min: 1, max: 24, default: 12 },
  fixed_installment: { min: 10_000, max: 1_000_000, last_installment_threshold_percent: '50' },
});
/** 5,000.00 at 12% (1% a month), 1,000.00 an installment: Fineract's rule gives 5 installments, the fifth 1,154.04. */
const request = {
  principal: 500_000,
  annual_interest_rate: '12',
  fixed_installment: 100_000,
  disbursement_date: '2024-01-15',
};

describe('fixed installment', () => {
  it('is in the OpenAPI document (program terms) and in the program type’s request schema', async () => {
    const program = await installmentTermsSchema(t);
    expect(program.properties.fixed_installment.anyOf ?? [program.properties.fixed_installment]).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'object' })]),
    );
    const types = (await t.call('GET', '/v1/program-types', { key: (await t.tenant()).key })).json();
    const installment = types.data.find(
      (d: { program_type: string }) => d.program_type === 'installment_loan',
    );
    expect(installment.request_schema.properties).toHaveProperty('fixed_installment');
  });

  it('is refused naming the field: a program combination it does not apply to, an amount that never amortizes', async () => {
    const tenant = await t.tenant();
    const program = await t.call('POST', '/v1/programs', {
      key: tenant.key,
      body: {
        name: 'p',
        program_type: 'installment_loan',
        terms: { ...terms, amortization: 'equal_principal' },
      },
    });
    expect(program.statusCode).toBe(422);
    expect(program.json().errors.map((e: { path: string }) => e.path)).toEqual(['terms.fixed_installment']);

    const { call, programId } = await setup(t, '2024-01-15', terms);
    const quote = await call('POST', `/v1/programs/${programId}/quotes`, {
      ...request,
      fixed_installment: 10_000,
    });
    expect(quote.statusCode).toBe(422);
    expect(quote.json().errors).toEqual([
      expect.objectContaining({
        path: 'fixed_installment',
        message: expect.stringMatching(/term_count.max \(24\)/),
      }),
    ]);
  });

  it('applies alike to the quote, the loan, its servicing and close of business, with the disclosure right', async () => {
    const app = await setup(t, '2024-01-15', terms);
    const { call, programId } = app;
    const quote = await call('POST', `/v1/programs/${programId}/quotes`, request);
    expect(quote.statusCode).toBe(200);
    const q = quote.json();
    expect(q.terms).toMatchObject({
      term_count: 5,
      fixed_installment: { amount: 100_000, last_installment_threshold_percent: '50' },
    });
    const totals = q.schedule.map((r: { total: number }) => r.total);
    expect(totals).toEqual([100_000, 100_000, 100_000, 100_000, 115_404]);
    // Truth in Lending: the payments are the schedule's; the finance charge its interest; 12% a year exactly.
    const interest = q.schedule.reduce((s: number, r: { interest: number }) => s + r.interest, 0);
    expect(q.disclosure).toMatchObject({
      amount_financed: 500_000,
      total_of_payments: 515_404,
      finance_charge: interest,
    });
    expect(Number(q.disclosure.apr)).toBeCloseTo(12, 2);

    const created = await call('POST', '/v1/loans', { program_id: programId, ...request });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    await call('POST', `/v1/loans/${id}/approve`, { effective_date: '2024-01-15' });
    expect((await call('POST', `/v1/loans/${id}/disburse`)).statusCode).toBe(201);
    const loan = (await call('GET', `/v1/loans/${id}`)).json();
    expect(loan.schedule.map((r: { total: number }) => r.total)).toEqual(totals);

    // Two months of close of business, the first installment paid, then a payoff: equal to the replay.
    const serviced = await serviceToPayoff(t, app, id, {
      closeTo: '2024-03-20',
      payment: { amount: 100_000, effective_date: '2024-02-15' },
    });
    expect(serviced).toEqual({ problems: [], status: 'paid_off' });
  });
});
