import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeLoan, setup } from '../lending/fixtures.js';
import { jsonl, type Row, runReport, sum } from './support.js';

// Reports between dates: roll rates from the loan positions close of business records as each business date opens
// (reconciled with delinquency_aging run on the first date), and vintage curves from the journal and schedules.
let t: TestApp;
let env: Awaited<ReturnType<typeof setup>>;
let prepayer: string;
let agingAtStart: Row[];
const run = (key: string, params: Record<string, unknown>) => runReport(env.call, key, params);

beforeAll(async () => {
  t = await startTestApp();
  env = await setup(t, '2024-01-15');
  const { call, programId } = env;
  const a = await activeLoan(call, programId);
  await activeLoan(call, programId, { principal: 300_000 });
  await activeLoan(call, programId, { principal: 750_000, annual_interest_rate: '24' });
  prepayer = await activeLoan(call, programId, { principal: 300_000 });
  // Paid on the day it was disbursed, before anything falls due: principal prepaid.
  expect((await call('POST', `/v1/loans/${prepayer}/payments`, { amount: 200_000 })).statusCode).toBe(201);
  expect((await call('POST', '/v1/close-of-business', { date: '2024-02-20' })).statusCode).toBeLessThan(300);
  agingAtStart = jsonl((await run('delinquency_aging', {})).download.body);
  expect((await call('POST', `/v1/loans/${a}/payments`, { amount: 200_000 })).statusCode).toBe(201);
  expect((await call('POST', '/v1/close-of-business', { date: '2024-03-20' })).statusCode).toBeLessThan(300);
}, 300_000);
afterAll(() => t.close());

describe('roll rates', () => {
  it('start from the buckets delinquency_aging reported on the first date', async () => {
    const { run: r, download } = await run('roll_rates', { from: '2024-02-21', to: '2024-03-21' });
    const cells = jsonl(download.body);
    const buckets = agingAtStart.map((b) => b.bucket);
    expect([...new Set(cells.map((c) => c.from_bucket))]).toEqual(buckets);
    for (const b of agingAtStart) {
      const row = cells.filter((c) => c.from_bucket === b.bucket);
      expect(sum(row, 'loans'), String(b.bucket)).toBe(b.loans);
      expect(sum(row, 'balance'), String(b.bucket)).toBe(b.balance);
    }
    expect(sum(cells, 'loans')).toBe(4);
    expect(agingAtStart.find((b) => b.bucket === '1-30')!.loans).toBeGreaterThan(0);
    // every loan was recorded at the end: none is missing, and each starting bucket's shares add up to 1
    expect(
      sum(
        cells.filter((c) => c.to_state === 'missing'),
        'loans',
      ),
    ).toBe(0);
    for (const b of agingAtStart.filter((x) => Number(x.loans) > 0))
      expect(
        sum(
          cells.filter((c) => c.from_bucket === b.bucket),
          'count_rate',
        ),
      ).toBeCloseTo(1, 6);
    // the 1-30 loans that were not paid rolled on to 31-60
    expect(cells.find((c) => c.from_bucket === '1-30' && c.to_state === '31-60')!.loans).toBeGreaterThan(0);
    expect(r.chart).toMatchObject({ kind: 'stacked_bar', categories: buckets });
  });

  it('refuses a date with no recorded positions, naming it, and an inverted range', async () => {
    const none = await env.call('POST', '/v1/reports/roll_rates/runs', {
      params: { from: '2024-01-10', to: '2024-03-21' },
    });
    expect(none.statusCode).toBe(422);
    expect(none.json().errors).toEqual([expect.objectContaining({ path: 'params.from' })]);
    const inverted = await env.call('POST', '/v1/reports/roll_rates/runs', {
      params: { from: '2024-03-21', to: '2024-02-21' },
    });
    expect(inverted.statusCode).toBe(422);
    expect(inverted.json().errors).toEqual([expect.objectContaining({ path: 'params.to' })]);
  });
});

describe('vintage analysis', () => {
  it('curves per month on book against what the vintage disbursed; prepaid principal from the journal', async () => {
    const { run: r, download } = await run('vintage_analysis', { as_of: '2024-03-31', chart: 'prepayment' });
    const points = jsonl(download.body);
    expect(points.map((p) => [p.vintage, p.months_on_book, p.loans])).toEqual([
      ['2024-01', 0, 4],
      ['2024-01', 1, 4],
      ['2024-01', 2, 4],
    ]);
    const out = jsonl((await run('disbursements', { from: '2024-01-01', to: '2024-03-31' })).download.body);
    expect(points[0]!.originated).toBe(sum(out, 'amount'));
    // the prepayer's principal, paid before anything fell due, is prepaid in month 0
    const paid = jsonl(
      (await run('payments_received', { from: '2024-01-15', to: '2024-01-15' })).download.body,
    );
    expect(paid.map((p) => p.loan_id)).toEqual([prepayer]);
    expect(points[0]!.prepaid).toBe(paid[0]!.principal);
    expect(Number(paid[0]!.principal)).toBeGreaterThan(0);
    // cumulative: never falls; no charge-offs, so no loss
    expect(Number(points[2]!.prepaid)).toBeGreaterThanOrEqual(Number(points[0]!.prepaid));
    expect(points.every((p) => p.net_loss === 0 && p.loss_rate === '0.000000')).toBe(true);
    expect(r.chart).toMatchObject({ kind: 'line', categories: ['0', '1', '2'] });
  });
});
