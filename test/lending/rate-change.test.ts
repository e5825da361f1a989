import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/kernel/db.js';
import { reconcile, servicingOf } from '../../src/modules/lending/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeLoan, installmentTerms, setup } from './fixtures.js';

// Rate changes (the SCRA cap is one): interest from the effective date is re-computed at the new rate through the
// engine's replay, the scheduled principal is kept, and the store stays equal to the replay (also after close of
// business, whose daily SQL accrual reads the loan's new rate).
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const agrees = async (tenantId: string, asOf: string, closeOfBusiness = false) =>
  expect(
    await reconcile(t.ctx.database.db, servicingOf, tenantId, { asOf: asOf as never, closeOfBusiness }),
  ).toEqual([]);

type Row = { number: number; principal: number; interest: number; total: number };

describe('rate changes', () => {
  it('re-computes interest from a backdated date, keeps principal and reprocesses the payments after it', async () => {
    const { tenant, call, programId } = await setup(t, '2024-01-15');
    const id = await activeLoan(call, programId, { annual_interest_rate: '18' });
    const before = (await call('GET', `/v1/loans/${id}`)).json();
    // Two months of business days, with the first two installments paid on their due dates.
    for (const [k, due] of ['2024-02-15', '2024-03-15'].entries()) {
      expect((await call('POST', '/v1/close-of-business', { date: due })).statusCode).toBeLessThan(300);
      const p = await call('POST', `/v1/loans/${id}/payments`, {
        amount: before.schedule[k].total,
        effective_date: due,
      });
      expect(p.statusCode).toBe(201);
    }
    // Active duty from 2024-03-01: 6% from then on, mid-period for installment 2.
    const changed = await call('POST', `/v1/loans/${id}/rate-changes`, {
      annual_interest_rate: '6',
      reason: 'scra',
      effective_date: '2024-03-01',
    });
    expect(changed.statusCode).toBe(201);
    expect(changed.json()).toMatchObject({ type: 'rate_change', effective_date: '2024-03-01' });
    await agrees(tenant.id, '2024-03-16');

    const after = (await call('GET', `/v1/loans/${id}`)).json();
    const rows = (b: { schedule: Row[] }) => b.schedule as [Row, Row, Row, Row, ...Row[]];
    // Installment 1 (before the date) unchanged; principal kept everywhere; interest lower from installment 2.
    const terms = (r: Row & { due_date?: string }) => ({
      principal: r.principal,
      interest: r.interest,
      total: r.total,
      due_date: r.due_date,
    });
    expect(terms(rows(after)[0])).toEqual(terms(rows(before)[0]));
    expect(rows(after).map((r: Row) => r.principal)).toEqual(rows(before).map((r: Row) => r.principal));
    // Installment 3 (period 2024-03-15..04-15, all after the date): 6% a month on its opening balance.
    const opening3 = 1_200_000 - rows(before)[0].principal - rows(before)[1].principal;
    expect(rows(after)[2].interest).toBe(Math.round((opening3 * 0.06) / 12));
    // Installment 2 earns 15 days at 18% and 14 at 6% of its 29-day period: B × (18 × 15 + 6 × 14) / (29 × 1200).
    const opening2 = 1_200_000 - rows(before)[0].principal;
    expect(rows(after)[1].interest).toBe(Math.round((opening2 * (18 * 15 + 6 * 14)) / (29 * 1200)));
    expect(rows(after)[3].interest).toBeLessThan(rows(before)[3].interest);

    // Close of business keeps accruing at the new rate: the store still equals the replay days later.
    expect((await call('POST', '/v1/close-of-business', { date: '2024-03-25' })).statusCode).toBeLessThan(
      300,
    );
    await agrees(tenant.id, '2024-03-25', true);
  }, 300_000);

  it('gives a per_period period each rate for its days across two changes, as close of business accrues it', async () => {
    const { tenant, call, programId } = await setup(t, '2024-01-15');
    const id = await activeLoan(call, programId, { annual_interest_rate: '24' });
    const before = (await call('GET', `/v1/loans/${id}`)).json();
    // Period 2 runs 2024-02-15 .. 03-15 (29 days): 24% for 5 days, 6% for 5, 12% for 19.
    // Each change is recorded the business day after the close of business of its date.
    for (const [date, rate, next] of [
      ['2024-02-20', '6', '2024-02-21'],
      ['2024-02-25', '12', '2024-02-26'],
    ]) {
      expect((await call('POST', '/v1/close-of-business', { date })).statusCode).toBeLessThan(300);
      const r = await call('POST', `/v1/loans/${id}/rate-changes`, {
        annual_interest_rate: rate,
        effective_date: date,
      });
      expect(r.statusCode).toBe(201);
      await agrees(tenant.id, next!);
    }
    const opening2 = 1_200_000 - before.schedule[0].principal;
    const after = (await call('GET', `/v1/loans/${id}`)).json();
    expect(after.schedule[1].interest).toBe(
      Math.round((opening2 * (24 * 5 + 6 * 5 + 12 * 19)) / (29 * 1200)),
    );
    expect((await call('POST', '/v1/close-of-business', { date: '2024-03-20' })).statusCode).toBeLessThan(
      300,
    );
    await agrees(tenant.id, '2024-03-20', true);
  }, 300_000);

  it('re-computes a daily-interest loan the same way close of business accrues it', async () => {
    const daily = installmentTerms({ interest_calculation: 'daily', day_count: 'actual/365' });
    const { tenant, call, programId } = await setup(t, '2024-01-15', daily);
    const id = await activeLoan(call, programId, { annual_interest_rate: '24' });
    expect((await call('POST', '/v1/close-of-business', { date: '2024-02-20' })).statusCode).toBeLessThan(
      300,
    );
    const r = await call('POST', `/v1/loans/${id}/rate-changes`, { annual_interest_rate: '6' });
    expect(r.statusCode).toBe(201);
    await agrees(tenant.id, '2024-02-21');
    // Day by day across the change (period 2024-02-15 .. 03-15): the store equals the replay after each close, and
    // what is recognised is 6 days at 24%, then each day from 02-21 at 6%, never the earlier days restated.
    const row2 = (column: string) =>
      rows<{ v: number }>(
        t.ctx.database.db,
        sql`SELECT ${sql.raw(column)}::float8 AS v FROM loan_installments WHERE loan_id = ${id} AND number = 2`,
      ).then((r) => r[0]!.v);
    const b = await row2('opening_balance');
    for (const day of ['2024-02-21', '2024-02-22', '2024-02-26']) {
      expect((await call('POST', '/v1/close-of-business', { date: day })).statusCode).toBeLessThan(300);
      await agrees(tenant.id, day, true);
      const newDays = Number(day.slice(8)) - 20;
      const expected = Math.round((b * 24 * 6) / 36_500) + Math.round((b * 6 * newDays) / 36_500);
      expect(await row2('accrued')).toBe(expected);
    }
    expect((await call('POST', '/v1/close-of-business', { date: '2024-03-20' })).statusCode).toBeLessThan(
      300,
    );
    await agrees(tenant.id, '2024-03-20', true);
  }, 300_000);

  it('refuses other products, bad rates and a date after the business date, writing nothing', async () => {
    const { call, programId } = await setup(t, '2024-01-15');
    const id = await activeLoan(call, programId);
    const bad = await call('POST', `/v1/loans/${id}/rate-changes`, { annual_interest_rate: '6.5%' });
    expect(bad.statusCode).toBe(400);
    const future = await call('POST', `/v1/loans/${id}/rate-changes`, {
      annual_interest_rate: '6',
      effective_date: '2024-02-01',
    });
    expect(future.statusCode).toBe(422);
    expect((await call('GET', `/v1/loans/${id}`)).json().transactions).toHaveLength(2);
  });
});
