import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/kernel/dates.js';
import { rows } from '../../src/kernel/db.js';
import { reconcile, servicingOf } from '../../src/modules/lending/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { installmentTerms, installmentTermsSchema, setup } from './fixtures.js';

// The rest frequencies of interest recalculation (domain/installment/recalculation-rest.ts) over HTTP: in the OpenAPI
// document, refused naming the field where Fineract's calendar has no such shape, and applied alike by loans,
// payments, payoff and close of business (the loan's rest_pending and rest_until, interest.sql.ts).

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const request = {
  principal: 600_000,
  annual_interest_rate: '12',
  term_count: 6,
  disbursement_date: '2024-01-01',
};
const withRest = (rest: Record<string, unknown>) =>
  installmentTerms({
    interest_calculation: 'daily',
    day_count: 'actual/365',
    interest_recalculation: { compounding: 'none', ...rest },
    // Fees compound only without a late fee (a penalty close of business charges inside a period).
    ...('compounding' in rest && { late_fee: null }),
  });

describe('interest_recalculation rest frequencies', () => {
  it('are in the OpenAPI document, and a field the rest frequency has no use for is refused naming it', async () => {
    const schema = (await installmentTermsSchema(t)).properties.interest_recalculation;
    const object = (schema.anyOf ?? [schema]).find((s: { type?: string }) => s.type === 'object');
    expect(object.properties.rest.enum).toEqual(['daily', 'same_as_repayment', 'weekly', 'monthly']);
    for (const field of ['rest_interval', 'rest_weekday', 'rest_on_day', 'rest_nth_day'])
      expect(object.properties[field].description).toMatch(/Fineract/);
    const tenant = await t.tenant();
    const r = await t.call('POST', '/v1/programs', {
      key: tenant.key,
      body: {
        name: 'p',
        program_type: 'installment_loan',
        terms: withRest({ rest: 'weekly', rest_on_day: 5 }),
      },
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'terms.interest_recalculation.rest_on_day',
    ]);
    // The compounding calendar (recalculation-compounding.ts) likewise.
    expect(object.properties.compounding_frequency.enum).toEqual([
      'same_as_repayment',
      'daily',
      'weekly',
      'monthly',
    ]);
    for (const field of [
      'compounding_interval',
      'compounding_weekday',
      'compounding_on_day',
      'compounding_nth_day',
    ])
      expect(object.properties[field].description).toMatch(/Fineract/);
    const c = await t.call('POST', '/v1/programs', {
      key: tenant.key,
      body: {
        name: 'p',
        program_type: 'installment_loan',
        terms: withRest({
          rest: 'daily',
          compounding: 'interest',
          compounding_frequency: 'weekly',
          compounding_on_day: 5,
        }),
      },
    });
    expect(c.statusCode).toBe(422);
    expect(c.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'terms.interest_recalculation.compounding_on_day',
    ]);
  });

  for (const rest of [
    { rest: 'weekly', rest_weekday: 'friday' },
    { rest: 'monthly', rest_on_day: 20 },
    { rest: 'same_as_repayment' },
    // Compounding (recalculation-compounding.ts): the installments left unpaid below earn on their interest too.
    { rest: 'daily', compounding: 'interest_and_fee' },
    // Compounding monthly on the 10th over a weekly rest: an overdue amount joins on the 10th, paid it leaves on Friday.
    {
      rest: 'weekly',
      rest_weekday: 'friday',
      compounding: 'interest',
      compounding_frequency: 'monthly',
      compounding_on_day: 10,
    },
  ])
    it(`${rest.rest}: close of business, a backdated payment and a payoff equal the replay`, async () => {
      const app = await setup(t, '2024-01-01', withRest(rest));
      const { call, programId, tenant } = app;
      const created = await call('POST', '/v1/loans', { program_id: programId, ...request });
      expect(created.statusCode).toBe(201);
      expect(created.json().terms.interest_recalculation).toEqual({
        compounding: 'none',
        reschedule: 'adjust_last_unpaid_period',
        ...rest,
      });
      const id = created.json().id;
      await call('POST', `/v1/loans/${id}/approve`, { effective_date: '2024-01-01' });
      expect((await call('POST', `/v1/loans/${id}/disburse`)).statusCode).toBe(201);
      const scheduled = (await call('GET', `/v1/loans/${id}`)).json().schedule as { interest: number }[];
      const exact = async (closeOfBusiness: boolean) => {
        const open = (await call('GET', '/v1/business-date')).json().business_date;
        const asOf = closeOfBusiness ? addDays(open, -1) : open;
        return reconcile(t.ctx.database.db, servicingOf, tenant.id, { asOf, closeOfBusiness });
      };
      expect((await call('POST', '/v1/close-of-business', { date: '2024-01-16' })).statusCode).toBe(200);
      // 01-17 (a Wednesday): paid ahead; the principal earns until its rest date, which close of business counts.
      expect((await call('POST', `/v1/loans/${id}/payments`, { amount: 150_000 })).statusCode).toBe(201);
      expect(await exact(false)).toEqual([]);
      const [stored] = await rows<{ rest_pending: number | null; rest_until: string | null }>(
        t.ctx.database.db,
        sql`SELECT rest_pending::float8, rest_until::text FROM loans WHERE id = ${id}`,
      );
      const untils: Record<string, string> = {
        weekly: '2024-01-19',
        monthly: '2024-01-20',
        same_as_repayment: '2024-02-01',
      };
      const until = untils[rest.rest];
      expect(stored!.rest_until).toBe(until ?? null);
      if (until) expect(stored!.rest_pending).toBeGreaterThan(100_000);
      // The first period earns on the whole 6,000.00 until the rest date: as scheduled when that is its due date.
      // (What it earns is its interest_accrual: the reschedule strategy settles an installment paid early with the
      // interest to the payment and moves the rest of its interest to the next one.)
      const [{ first }] = (await rows<{ first: number }>(
        t.ctx.database.db,
        sql`SELECT interest_accrual::float8 AS first FROM loan_installments WHERE loan_id = ${id} AND number = 1`,
      )) as [{ first: number }];
      if (rest.rest === 'same_as_repayment') expect(first).toBe(scheduled[0]!.interest);
      else expect(first).toBeLessThan(scheduled[0]!.interest);
      // Closed days inside the rest window: accrual counts the pending principal day by day.
      expect((await call('POST', '/v1/close-of-business', { date: '2024-01-17' })).statusCode).toBe(200);
      expect(await exact(true)).toEqual([]);
      expect((await call('POST', '/v1/close-of-business', { date: '2024-02-25' })).statusCode).toBe(200);
      expect(await exact(true)).toEqual([]);
      // A late payment, backdated into the second period, then close of business across the third's rest dates.
      const back = await call('POST', `/v1/loans/${id}/payments`, {
        amount: 60_000,
        effective_date: '2024-02-14',
      });
      expect(back.statusCode).toBe(201);
      expect(await exact(false)).toEqual([]);
      expect((await call('POST', '/v1/close-of-business', { date: '2024-03-05' })).statusCode).toBe(200);
      expect(await exact(true)).toEqual([]);
      expect((await call('POST', `/v1/loans/${id}/payments`, { amount: 40_000 })).statusCode).toBe(201);
      expect((await call('POST', '/v1/close-of-business', { date: '2024-03-12' })).statusCode).toBe(200);
      expect(await exact(true)).toEqual([]);
      const payoff = (await call('POST', `/v1/loans/${id}/payoff-quotes`)).json();
      const settled = await call('POST', `/v1/loans/${id}/payments`, { amount: payoff.total, payoff: true });
      expect(settled.statusCode).toBe(201);
      expect((await call('GET', `/v1/loans/${id}`)).json().status).toBe('paid_off');
      expect(await exact(false)).toEqual([]);
    });
});
