import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TransactionSpec } from '../../sandbox/bank-files/write-ofx.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { bankFile, biweeklyPayroll, fileImportLender, get, importFile, type Lender } from './helpers.js';

let t: TestApp;
let acme: Lender;

beforeAll(async () => {
  t = await startTestApp();
  acme = await fileImportLender(t, 'Acme');
});
afterAll(() => t.close());

it('GET /v1/customers/{id}/cash-flow summarizes the imported statements for underwriting', async () => {
  const txns: TransactionSpec[] = biweeklyPayroll('2024-01-05', 13);
  for (const m of ['01', '02', '03', '04', '05', '06'])
    txns.push({
      type: 'DEBIT',
      posted: `2024${m}01`,
      amount: '-1500.00',
      fitId: `RENT${m}`,
      name: 'OAKWOOD APTS RENT',
    });
  txns.push({
    type: 'FEE',
    posted: '20240415',
    amount: '-35.00',
    fitId: 'NSF1',
    name: 'NSF FEE RETURNED ITEM',
  });
  const file = bankFile(txns, {
    start: '20240101',
    end: '20240630',
    balance: '20000.00',
    asOf: '20240630120000',
  });
  expect((await importFile(t, acme, file)).statusCode).toBe(201);

  const r = await get<Record<string, unknown>>(
    t,
    acme,
    `/v1/customers/${acme.customerId}/cash-flow?months=6&end_date=2024-06-30`,
  );
  expect(r).toMatchObject({
    customer_id: acme.customerId,
    currency: 'USD',
    period: { start_date: '2024-01-01', end_date: '2024-06-30', days: 182 },
    totals: { inflow: 13 * 210_000, outflow: 6 * 150_000 + 3500 },
    nsf_overdraft: { count: 1, nsf_fees: 1, overdraft_fees: 0 },
    income: {
      regularity: 'regular',
      streams: [{ payer: 'ACME CORP', kind: 'payroll', cadence: 'biweekly', deposits: 13 }],
    },
    recurring_debits: [
      { payee: 'OAKWOOD APTS RENT', category: 'rent', cadence: 'monthly', monthly_equivalent: 150_000 },
    ],
  });
  expect((r.months as unknown[]).length).toBe(6);
  expect(r.average_daily_balance).toEqual(expect.any(Number));
  expect(
    (await t.call('GET', `/v1/customers/${acme.customerId}/cash-flow?months=99`, { key: acme.key }))
      .statusCode,
  ).toBe(400);
});
