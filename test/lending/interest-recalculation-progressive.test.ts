import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/kernel/dates.js';
import { rows } from '../../src/kernel/db.js';
import { reconcile, servicingOf } from '../../src/modules/lending/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  fineract100At7,
  fineract8000At10,
  fineractProgressive360,
} from '../support/lending/fineract-progressive.js';
import { installmentTerms, setup } from './fixtures.js';

// Interest recalculation on the progressive schedule (domain/installment/recalculation-progressive.ts) over HTTP:
// Fineract's e2e scenario "Interest recalculation - S3 1 paid, 1 overdue" (fineract-e2e-tests-runner/src/test/
// resources/features/Loan.feature, product LP2_ADV_PYMNT_INTEREST_DAILY_EMI_360_30_INTEREST_RECALCULATION_TILL_PRECLOSE)
// through quotes, loans, payments, close of business (checked against the replay after every step) and payoff.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const progressive = installmentTerms({ ...fineractProgressive360, late_fee: null });
const request = fineract100At7;

/** The fields a new program with these terms is refused for (422). */
async function refused(terms: Record<string, unknown>): Promise<string[]> {
  const tenant = await t.tenant();
  const r = await t.call('POST', '/v1/programs', {
    key: tenant.key,
    body: { name: 'p', program_type: 'installment_loan', terms },
  });
  expect(r.statusCode).toBe(422);
  return r.json().errors.map((e: { path: string }) => e.path);
}

/** Checks of the tenant's loans against the replay: on the open day, or after closing a day. */
function checks(call: Awaited<ReturnType<typeof setup>>['call'], tenantId: string) {
  const exact = async (closeOfBusiness: boolean) => {
    const open = (await call('GET', '/v1/business-date')).json().business_date;
    const asOf = closeOfBusiness ? addDays(open, -1) : open;
    return reconcile(t.ctx.database.db, servicingOf, tenantId, { asOf, closeOfBusiness });
  };
  const cob = async (date: string) => {
    expect((await call('POST', '/v1/close-of-business', { date })).statusCode).toBe(200);
    expect(await exact(true)).toEqual([]);
  };
  return { exact, cob };
}

describe('interest_recalculation with interest_calculation period_days', () => {
  it('was refused with per-period interest only: per_period still is, naming the field', async () => {
    const paths = await refused({
      ...progressive,
      interest_calculation: 'per_period',
      days_in_month: null,
      days_in_year: null,
    });
    expect(paths).toContain('terms.interest_recalculation');
  });

  it('Fineract S3: the overdue installment paid on 03-10 leaves every period Fineract’s interest; COB equals the replay', async () => {
    const { call, programId, tenant } = await setup(t, '2024-01-01', progressive);
    const quote = await call('POST', `/v1/programs/${programId}/quotes`, request);
    expect(quote.statusCode).toBe(200);
    const interest = (rows: { interest: number }[]) => rows.map((r) => r.interest);
    expect(interest(quote.json().schedule)).toEqual([58, 49, 39, 29, 20, 10]);
    const created = await call('POST', '/v1/loans', { program_id: programId, ...request });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    await call('POST', `/v1/loans/${id}/approve`, { effective_date: '2024-01-01' });
    expect((await call('POST', `/v1/loans/${id}/disburse`)).statusCode).toBe(201);
    const stored = await rows(
      t.ctx.database.db,
      sql`SELECT interest_calculation, period_factors FROM loans WHERE id = ${id}`,
    );
    expect(stored[0]).toEqual({
      interest_calculation: 'period_days_recalculated',
      period_factors: Array(6).fill(['30', '360']),
    });

    const { exact, cob } = checks(call, tenant.id);
    await cob('2024-01-20');
    await cob('2024-01-31');
    expect((await call('POST', `/v1/loans/${id}/payments`, { amount: 1701 })).statusCode).toBe(201);
    expect(await exact(false)).toEqual([]);
    // The second installment passes unpaid: the third period starts on the whole 83.57 (overdue included).
    await cob('2024-03-05');
    const overdue = (await call('GET', `/v1/loans/${id}`)).json();
    expect(interest(overdue.schedule)).toEqual([58, 49, 49, 29, 20, 10]);
    await cob('2024-03-09');
    expect((await call('POST', `/v1/loans/${id}/payments`, { amount: 1701 })).statusCode).toBe(201);
    expect(await exact(false)).toEqual([]);
    // Fineract on 2024-03-10: 0.58, 0.49, 0.42 (83.57 for 9 of 31 days, 67.05 for 22), 0.29, 0.20, 0.10.
    const paid = (await call('GET', `/v1/loans/${id}`)).json();
    expect(interest(paid.schedule)).toEqual([58, 49, 42, 29, 20, 10]);
    await cob('2024-03-25');
    const payoff = (await call('POST', `/v1/loans/${id}/payoff-quotes`)).json();
    const settled = await call('POST', `/v1/loans/${id}/payments`, { amount: payoff.total, payoff: true });
    expect(settled.statusCode).toBe(201);
    expect((await call('GET', `/v1/loans/${id}`)).json().status).toBe('paid_off');
    expect(await exact(false)).toEqual([]);
  });

  it('rest weekly is refused with period_days, naming the field (Fineract progressive applies daily and same_as_repayment)', async () => {
    const paths = await refused({
      ...progressive,
      interest_recalculation: { rest: 'weekly', compounding: 'none' },
    });
    expect(paths).toEqual(['terms.interest_recalculation.rest']);
  });

  it('rest same_as_repayment: LoanInterestRecalculationCOBTest…LatePaidPaidOnTime (to 03-01), COB equal to the replay', async () => {
    // Fineract's create4IProgressive (rest SAME_AS_REPAYMENT_PERIOD): 8,000 at 10% from 2023-01-01, 4 months.
    const terms = installmentTerms({
      ...fineractProgressive360,
      late_fee: null,
      interest_recalculation: { rest: 'same_as_repayment', compounding: 'none' },
      allocation_order: ['penalties', 'fees', 'principal', 'interest'],
    });
    const { call, programId, tenant } = await setup(t, '2023-01-01', terms);
    const created = await call('POST', '/v1/loans', { program_id: programId, ...fineract8000At10 });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    await call('POST', `/v1/loans/${id}/approve`, { effective_date: '2023-01-01' });
    expect((await call('POST', `/v1/loans/${id}/disburse`)).statusCode).toBe(201);
    const { exact, cob } = checks(call, tenant.id);
    const pay = async (amount: number) => {
      expect((await call('POST', `/v1/loans/${id}/payments`, { amount })).statusCode).toBe(201);
      expect(await exact(false)).toEqual([]);
    };
    const interest = async () =>
      (await call('GET', `/v1/loans/${id}`)).json().schedule.map((r: { interest: number }) => r.interest);
    const rows = async () =>
      (await call('GET', `/v1/loans/${id}`))
        .json()
        .schedule.map((r: { principal: number; interest: number }) => [r.principal, r.interest]);
    // Close of business into the second period re-splits the rows as the replay does: each keeps its installment,
    // Fineract's 1,975.17 + 66.67, 2,008.09 + 33.75, 2,041.57 + 17.01 on 02-02 (…On4IProgressiveLoanCOBStep).
    await cob('2023-02-14');
    expect(await rows()).toEqual([
      [197_517, 6667],
      [197_517, 6667],
      [200_809, 3375],
      [204_157, 1701],
    ]);
    await pay(50_000);
    await pay(50_000);
    await cob('2023-02-19');
    await pay(104_184);
    // The overdue principal paid on 02-15 and 02-20 earns to 03-01: the second period keeps 66.67.
    expect(await interest()).toEqual([6667, 6667, 3375, 1701]);
    await cob('2023-02-28');
    await pay(204_184);
    expect(await interest()).toEqual([6667, 6667, 3375, 1701]);
  });
});
