import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { TransactionSpec } from '../../sandbox/bank-files/write-ofx.js';
import { bankFile, biweeklyPayroll, configure, importFile } from '../aggregation/helpers.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { setup } from '../lending/fixtures.js';

// ability_to_repay at approval over HTTP: the income and debts measured on the borrower's linked accounts (the
// aggregation module's cash-flow summary through the business date) when there are any, the stated ones otherwise.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Biweekly pay of $2,100 and a $1,200 monthly car loan payment, July 2023 to the business date. */
function statement(): string {
  const txns: TransactionSpec[] = biweeklyPayroll('2023-07-07', 14);
  for (const m of ['202307', '202308', '202309', '202310', '202311', '202312', '202401'])
    txns.push({
      type: 'DEBIT',
      posted: `${m}03`,
      amount: '-1200.00',
      fitId: `CAR${m}`,
      name: 'ALLY AUTO LOAN PAYMENT',
    });
  return bankFile(txns, { start: '20230701', end: '20240115', balance: '5000.00', asOf: '20240115120000' });
}

it('judges ability to repay on measured income where the borrower has linked accounts, on stated income elsewhere', async () => {
  const { tenant, call, programId } = await setup(t);
  expect(
    (
      await call('POST', '/v1/provider-configs', {
        label: 'a',
        service_type: 'compliance_rule',
        provider_key: 'ability_to_repay',
        config: {},
      })
    ).statusCode,
  ).toBe(201);
  const borrower = async (name: string) =>
    (await call('POST', '/v1/customers', { legal_name: name, time_zone: 'America/Chicago' })).json()
      .id as string;
  const linked = await borrower('Linked Borrower');
  const unlinked = await borrower('Unlinked Borrower');
  const lender = { ...tenant, customerId: linked };
  await configure(t, lender, 'chase_file', {});
  expect((await importFile(t, lender, statement())).statusCode).toBe(201);
  const measured = (
    await call('GET', `/v1/customers/${linked}/cash-flow?months=6&end_date=2024-01-15`)
  ).json();
  expect(measured.income.regularity).toBe('regular');

  const approve = async (customerId: string) => {
    const created = await call('POST', '/v1/loans', {
      program_id: programId,
      customer_id: customerId,
      principal: 1_200_000,
      disbursement_date: '2024-01-15',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    // $10,000 a month stated, no debts: enough for the $1,066 payment on its own.
    const r = await call('POST', `/v1/loans/${id}/approve`, {
      underwriting: { stated_monthly_income: 1_000_000, stated_monthly_debt_payments: 0 },
    });
    const checks = (await call('GET', `/v1/compliance/checks?subject_id=${id}&rule=ability_to_repay`)).json()
      .data;
    return { r, check: checks[0] };
  };

  // Linked: about $4,550 a month measured, with the $1,200 car payment found among the recurring debits: the
  // debt-to-income ratio is near 50%, over the 43% limit, though the stated figures would pass.
  const judged = await approve(linked);
  expect(judged.r.statusCode).toBe(422);
  expect(judged.r.json()).toMatchObject({ code: 'compliance_blocked', rule: 'ability_to_repay' });
  expect(judged.check).toMatchObject({ outcome: 'block' });
  expect(judged.check.facts).toMatchObject({
    income_source: 'cash_flow',
    debts_source: 'cash_flow',
    cash_flow_period: '2023-07-16..2024-01-15',
    monthly_income: measured.income.monthly_average,
    monthly_debts: 120_000,
  });

  // Unlinked: no accounts, so the stated income, and the check says so.
  const stated = await approve(unlinked);
  expect(stated.r.statusCode, stated.r.body).toBe(201);
  expect(stated.check).toMatchObject({ outcome: 'pass' });
  expect(stated.check.facts).toMatchObject({
    income_source: 'stated',
    debts_source: 'stated',
    cash_flow_period: null,
    monthly_income: 1_000_000,
  });

  // The borrower links an account later: "no deposit account", kept since that approval, is dropped when the
  // account's write commits (its notice reaches every process), so the next approval measures the income.
  expect((await importFile(t, { ...tenant, customerId: unlinked }, statement())).statusCode).toBe(201);
  await vi.waitFor(
    async () => expect((await approve(unlinked)).check.facts.income_source).toBe('cash_flow'),
    {
      timeout: 5_000,
      interval: 50,
    },
  );
});
