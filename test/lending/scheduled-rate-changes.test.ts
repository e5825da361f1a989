import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/kernel/db.js';
import { loanBookSql, loanTapeSql, programIs } from '../../src/modules/lending/reporting/book.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { installmentTerms, installmentTermsSchema, serviceToPayoff, setup } from './fixtures.js';

// Rate changes scheduled with the loan (domain/installment/rate-changes.ts; Fineract's interest rate term
// variations) over HTTP: in the OpenAPI document and the request schema, refused naming the field, applied alike by
// quotes, loans, servicing and close of business across the change.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Fineract's ProgressiveEMICalculatorTest: $100 at 7% from 2024-01-01, 30/360 progressive, 4% from 02-14. */
const terms = installmentTerms({
  interest_calculation: 'period_days',
  days_in_month: '30',
  days_in_year: '360',
  level_payment: 'period_rates',
  rate_changes: true,
});
const request = {
  principal: 10_000,
  annual_interest_rate: '7',
  term_count: 6,
  disbursement_date: '2024-01-01',
  rate_changes: [{ effective_date: '2024-02-14', annual_interest_rate: '4' }],
};

describe('scheduled rate changes', () => {
  it('are in the OpenAPI document (program terms) and in the program type’s request schema', async () => {
    const program = await installmentTermsSchema(t);
    expect(program.properties).toHaveProperty('rate_changes');
    const types = (await t.call('GET', '/v1/program-types', { key: (await t.tenant()).key })).json();
    const installment = types.data.find(
      (d: { program_type: string }) => d.program_type === 'installment_loan',
    );
    expect(installment.request_schema.properties).toHaveProperty('rate_changes');
  });

  it('are refused naming the field: a program that does not allow them, a date outside the loan', async () => {
    const plain = await setup(t, '2024-01-01', installmentTerms());
    const refused = await plain.call('POST', `/v1/programs/${plain.programId}/quotes`, request);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors.map((e: { path: string }) => e.path)).toEqual(['rate_changes']);

    const { call, programId } = await setup(t, '2024-01-01', terms);
    const late = await call('POST', `/v1/programs/${programId}/quotes`, {
      ...request,
      rate_changes: [{ effective_date: '2024-07-01', annual_interest_rate: '4' }],
    });
    expect(late.statusCode).toBe(422);
    expect(late.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'rate_changes.0.effective_date',
    ]);
  });

  it('apply alike to the quote, the loan, its servicing and close of business across the change', async () => {
    const app = await setup(t, '2024-01-01', terms);
    const { call, programId } = app;
    const quote = await call('POST', `/v1/programs/${programId}/quotes`, request);
    expect(quote.statusCode).toBe(200);
    const q = quote.json();
    expect(q.terms.rate_changes).toEqual(request.rate_changes);
    const totals = q.schedule.map((r: { total: number }) => r.total);
    expect(totals).toEqual([1701, 1690, 1690, 1690, 1690, 1690]);
    const interest = q.schedule.reduce((s: number, r: { interest: number }) => s + r.interest, 0);
    expect(q.disclosure).toMatchObject({ amount_financed: 10_000, finance_charge: interest });

    const created = await call('POST', '/v1/loans', { program_id: programId, ...request });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    await call('POST', `/v1/loans/${id}/approve`, { effective_date: '2024-01-01' });
    expect((await call('POST', `/v1/loans/${id}/disburse`)).statusCode).toBe(201);
    expect(
      (await call('GET', `/v1/loans/${id}`)).json().schedule.map((r: { total: number }) => r.total),
    ).toEqual(totals);

    // Close of business through the change, the first installment paid, then a payoff: equal to the replay.
    const serviced = await serviceToPayoff(t, app, id, {
      closeTo: '2024-03-10',
      payment: { amount: 1701, effective_date: '2024-02-01' },
    });
    expect(serviced).toEqual({ problems: [], status: 'paid_off' });
  });

  it('show the rate in force on the business date: the loan, the loan tape and the book close of business reads', async () => {
    // The loans table keeps the loan's first rate; before and after the change date the readers must follow it.
    for (const calculation of ['period_days', 'daily']) {
      const daily = calculation === 'daily';
      const app = await setup(
        t,
        '2024-01-01',
        daily ? installmentTerms({ interest_calculation: 'daily', rate_changes: true }) : terms,
      );
      const { call, programId, tenant } = app;
      const created = await call('POST', '/v1/loans', { program_id: programId, ...request });
      expect(created.statusCode).toBe(201);
      const id = created.json().id;
      await call('POST', `/v1/loans/${id}/approve`, { effective_date: '2024-01-01' });
      expect((await call('POST', `/v1/loans/${id}/disburse`)).statusCode).toBe(201);
      const seen = async () => {
        const date = (await call('GET', '/v1/business-date')).json().business_date;
        const where = sql`l.id = ${id}::uuid`;
        const [tape] = await rows<{ rate_percent: string }>(
          t.ctx.database.db,
          loanTapeSql(tenant.id, date, where),
        );
        const [book] = await rows<{ rate_num: string; rate_den: string }>(
          t.ctx.database.db,
          loanBookSql(tenant.id, date, sql`${where} AND ${programIs({})}`),
        );
        return {
          loan: (await call('GET', `/v1/loans/${id}`)).json().annual_interest_rate_in_force,
          tape: tape!.rate_percent,
          book: (100 * Number(book!.rate_num)) / Number(book!.rate_den),
        };
      };
      expect(await seen()).toEqual({ loan: '7', tape: '7', book: 7 });
      // The day before the change, then the change date (close of business moves the date on by a day).
      expect((await call('POST', '/v1/close-of-business', { date: '2024-02-12' })).statusCode).toBe(200);
      expect((await seen()).loan).toBe('7');
      expect((await call('POST', '/v1/close-of-business', { date: '2024-02-13' })).statusCode).toBe(200);
      expect(await seen()).toMatchObject({ loan: '4', tape: '4', book: 4 });
    }
  });
});
