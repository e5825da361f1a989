import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/kernel/dates.js';
import { rows } from '../../src/kernel/db.js';
import { reconcile, servicingOf } from '../../src/modules/lending/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { fineract100At7, fineractProgressive360 } from '../support/lending/fineract-progressive.js';
import { installmentTerms, setup } from './fixtures.js';

// The `rate_change` action on a recalculating loan (domain/installment/rate-change.ts `changeRecalculatedRate`)
// over HTTP: the stored loan equals the replay after the action, and after close of business runs on from it
// (interest.sql.ts counts the running row back from its due date at the loan's new rate, with its period factors
// and principal pending its rest date).

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function loan(terms: Record<string, unknown>, request: Record<string, unknown>, date: string) {
  const app = await setup(t, date, installmentTerms({ ...terms, late_fee: null }));
  const { call, programId, tenant } = app;
  const created = await call('POST', '/v1/loans', { program_id: programId, ...request });
  expect(created.statusCode).toBe(201);
  const id = created.json().id as string;
  await call('POST', `/v1/loans/${id}/approve`, { effective_date: date });
  expect((await call('POST', `/v1/loans/${id}/disburse`)).statusCode).toBe(201);
  const exact = async (closeOfBusiness: boolean) => {
    const open = (await call('GET', '/v1/business-date')).json().business_date;
    const asOf = closeOfBusiness ? addDays(open, -1) : open;
    return reconcile(t.ctx.database.db, servicingOf, tenant.id, { asOf, closeOfBusiness });
  };
  const cob = async (to: string) => {
    expect((await call('POST', '/v1/close-of-business', { date: to })).statusCode).toBe(200);
    expect(await exact(true)).toEqual([]);
  };
  const change = async (rate: string, effective_date: string) => {
    const r = await call('POST', `/v1/loans/${id}/rate-changes`, {
      annual_interest_rate: rate,
      reason: 'reset',
      effective_date,
    });
    expect(r.statusCode).toBe(201);
    expect(await exact(false)).toEqual([]);
  };
  const interest = async () =>
    (
      await rows<{ interest: number }>(
        t.ctx.database.db,
        sql`SELECT interest_accrual::float8 AS interest FROM loan_installments WHERE loan_id = ${id} ORDER BY number`,
      )
    ).map((r) => r.interest);
  return { call, id, cob, change, interest };
}

describe('rate_change on a recalculating loan', () => {
  it('period_days: ProgressiveEMICalculatorTest …on0215_4per, paid on the due dates; COB equals the replay', async () => {
    const { call, id, cob, change, interest } = await loan(
      fineractProgressive360,
      fineract100At7,
      '2024-01-01',
    );
    await cob('2024-01-31');
    expect((await call('POST', `/v1/loans/${id}/payments`, { amount: 1_701 })).statusCode).toBe(201);
    await cob('2024-02-13');
    // Fineract's change on 02-15 takes effect from 02-14.
    await change('4', '2024-02-14');
    const [stored] = await rows<{ rate_num: string; rate_den: string; period_factors: unknown }>(
      t.ctx.database.db,
      sql`SELECT rate_num::text, rate_den::text, period_factors FROM loans WHERE id = ${id}`,
    );
    expect(Number(stored!.rate_num) / Number(stored!.rate_den)).toBe(0.04);
    expect(stored!.period_factors).not.toBeNull();
    await cob('2024-02-29');
    const due2 = (await call('GET', `/v1/loans/${id}`)).json().schedule[1];
    expect((await call('POST', `/v1/loans/${id}/payments`, { amount: due2.total })).statusCode).toBe(201);
    await cob('2024-03-02');
    // Period 2: 83.57 × 0.07/12 × 13/29 = 0.22 plus 83.57 × 0.04/12 × 16/29 = 0.15; period 3 on 66.9x at 4 %.
    expect((await interest()).slice(0, 3)).toEqual([58, 37, 22]);
  }, 120_000);

  it('daily, rest same_as_repayment: a prepayment, a change before its rest date, and one past maturity', async () => {
    const terms = {
      interest_calculation: 'daily',
      day_count: 'actual/365',
      interest_recalculation: { rest: 'same_as_repayment', compounding: 'none' },
    };
    const request = {
      principal: 600_000,
      annual_interest_rate: '12',
      term_count: 2,
      disbursement_date: '2024-01-01',
    };
    const { call, id, cob, change } = await loan(terms, request, '2024-01-01');
    await cob('2024-01-10');
    expect((await call('POST', `/v1/loans/${id}/payments`, { amount: 250_000 })).statusCode).toBe(201);
    await cob('2024-01-19');
    // Before the rest date 02-01: the prepaid principal still earns, at 6 % from 01-20.
    await change('6', '2024-01-20');
    const [pending] = await rows<{ rest_pending: number | null }>(
      t.ctx.database.db,
      sql`SELECT rest_pending::float8 FROM loans WHERE id = ${id}`,
    );
    expect(pending!.rest_pending).toBeGreaterThan(200_000);
    await cob('2024-02-03');
    // Past the last due date (03-01), nothing more paid: the last installment keeps earning, at 9 % from 03-05.
    await cob('2024-03-04');
    await change('9', '2024-03-05');
    await cob('2024-03-08');
  }, 120_000);
});
