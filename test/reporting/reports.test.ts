import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/kernel/db.js';
import { loanTapeSql, programIs } from '../../src/modules/lending/reporting/book.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeLoan, setup } from '../lending/fixtures.js';
import { jsonl, runReport, sum } from './support.js';

// Report runs over HTTP against a real database: the generators' outputs reconcile with each other and with the
// journal; bad parameters are 422s naming the field; another tenant's run is a 404.
let t: TestApp;
let env: Awaited<ReturnType<typeof setup>>;
const PAID = [40_000, 25_000];

beforeAll(async () => {
  t = await startTestApp();
  env = await setup(t, '2024-01-15');
  const { call, programId } = env;
  const a = await activeLoan(call, programId);
  await activeLoan(call, programId, { principal: 300_000 });
  await activeLoan(call, programId, { principal: 750_000, annual_interest_rate: '24' });
  // Two months on: loan a pays twice, the others pay nothing and are past due. (A close of business moves the
  // business date to the next day: the second payment is dated 2024-03-21.)
  expect((await call('POST', '/v1/close-of-business', { date: '2024-02-15' })).statusCode).toBeLessThan(300);
  expect((await call('POST', `/v1/loans/${a}/payments`, { amount: PAID[0] })).statusCode).toBe(201);
  expect((await call('POST', '/v1/close-of-business', { date: '2024-03-20' })).statusCode).toBeLessThan(300);
  expect((await call('POST', `/v1/loans/${a}/payments`, { amount: PAID[1] })).statusCode).toBe(201);
}, 300_000);
afterAll(() => t.close());

const run = (key: string, params: Record<string, unknown>, format = 'jsonl', call = env.call) =>
  runReport(call, key, params, format);

describe('the loan tape query', () => {
  it('reads the same rows whole (the cursor’s shape) as in pages; per-diem and rate are exact', async () => {
    const db = t.ctx.database.db;
    const tenantId = env.tenant.id;
    const businessDate = (await t.ctx.lending.reports.businessDate(tenantId))!;
    const read = (whole: boolean) =>
      rows<Record<string, unknown>>(
        db,
        sql`${loanTapeSql(tenantId, businessDate, programIs({}), sql``, whole)} ORDER BY id`,
      );
    const whole = await read(true);
    expect(whole).toHaveLength(3);
    expect(whole).toEqual(await read(false));
    for (const r of whole) {
      const year = r.day_count === '30/360' || r.day_count === 'actual/360' ? 360 : 365;
      const principal = Number(r.principal);
      const perDiem = new Decimal(principal)
        .mul(String(r.rate_num))
        .div(new Decimal(String(r.rate_den)).mul(year))
        .toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN);
      expect(Number(r.per_diem)).toBe(principal > 0 ? perDiem.toNumber() : 0);
      expect(r.rate_percent).toBe(
        new Decimal(String(r.rate_num)).div(String(r.rate_den)).mul(100).toDecimalPlaces(6).toString(),
      );
    }
    expect(whole.map((r) => r.rate_percent).sort()).toEqual(['12', '12', '24']);
  });

  // The cursor exists on PostgreSQL only (CI's PostgreSQL pass): it asks for the next batch before handing one over.
  it.runIf(Boolean(process.env.PLINTH_TEST_DATABASE_URL))(
    'reads the same rows through the cursor in small batches, and a reader may stop early',
    async () => {
      const cursor = t.ctx.database.cursor!;
      const tenantId = env.tenant.id;
      const businessDate = (await t.ctx.lending.reports.businessDate(tenantId))!;
      const query = sql`${loanTapeSql(tenantId, businessDate, programIs({}), sql``, true)} ORDER BY id`;
      const batches: Record<string, unknown>[][] = [];
      for await (const batch of cursor(query, 2)) batches.push(batch);
      expect(batches.map((b) => b.length)).toEqual([2, 1]);
      expect(batches.flat()).toEqual(await rows(t.ctx.database.db, query));
      for await (const batch of cursor(query, 1)) {
        expect(batch).toHaveLength(1);
        break;
      }
      const again: unknown[] = [];
      for await (const batch of cursor(query, 3)) again.push(...batch);
      expect(again).toEqual(batches.flat());
    },
  );
});

describe('report runs', () => {
  it('lists the generators with their parameter schemas', async () => {
    const r = await env.call('GET', '/v1/reports');
    expect(r.statusCode).toBe(200);
    const data = r.json().data as { key: string; params_schema: { properties?: Record<string, unknown> } }[];
    expect(data.map((g) => g.key)).toEqual(
      expect.arrayContaining(['loan_tape', 'delinquency_aging', 'gl_trial_balance', 'payments_received']),
    );
    expect(Object.keys(data.find((g) => g.key === 'payments_received')!.params_schema.properties!)).toEqual(
      expect.arrayContaining(['from', 'to', 'program_id']),
    );
  });

  it('the trial balance sums to zero and its receivable equals the tape’s principal and the aging total', async () => {
    const tape = jsonl((await run('loan_tape', {})).download.body);
    expect(tape).toHaveLength(3);
    const aging = await run('delinquency_aging', {});
    const buckets = jsonl(aging.download.body);
    expect(buckets.map((b) => b.bucket)).toEqual(['current', '1-30', '31-60', '61-90', '91-120', '121+']);
    // delinquency_aging totals equal the loan tape's past-due and principal totals
    expect(sum(buckets, 'past_due')).toBe(sum(tape, 'past_due'));
    expect(sum(buckets, 'principal')).toBe(sum(tape, 'principal'));
    expect(sum(buckets, 'loans')).toBe(3);
    expect(sum(tape, 'past_due')).toBeGreaterThan(0);

    const tb = jsonl((await run('gl_trial_balance', { as_of: '2024-03-31' })).download.body);
    expect(sum(tb, 'debits')).toBe(sum(tb, 'credits'));
    expect(sum(tb, 'balance')).toBe(0);
    const account = (name: string) => tb.find((r) => r.account === name)?.balance ?? 0;
    expect(account('loans_receivable')).toBe(sum(tape, 'principal'));
    expect(account('interest_receivable')).toBe(sum(tape, 'interest'));
    // the chart of a charted report renders as SVG
    const svg = await env.call('GET', `/v1/report-runs/${aging.id}/chart.svg`);
    expect(svg.statusCode).toBe(200);
    expect(svg.body).toMatch(/^<svg[\s\S]*Delinquency aging[\s\S]*<\/svg>$/);
  });

  it('payments_received equals the payments and the journal’s cash postings for the period', async () => {
    const all = jsonl(
      (await run('payments_received', { from: '2024-01-01', to: '2024-12-31' })).download.body,
    );
    expect(all.map((p) => p.amount)).toEqual(PAID);
    for (const p of all)
      expect(
        Number(p.principal) +
          Number(p.interest) +
          Number(p.fees) +
          Number(p.penalties) +
          Number(p.overpayment),
      ).toBe(p.amount);
    const march = jsonl(
      (await run('payments_received', { from: '2024-03-01', to: '2024-03-31' })).download.body,
    );
    expect(march.map((p) => p.amount)).toEqual([PAID[1]]);
    // Cash in the journal: payments in, disbursements out.
    const tb = jsonl((await run('gl_trial_balance', { as_of: '2024-03-31' })).download.body);
    const out = jsonl((await run('disbursements', { from: '2024-01-01', to: '2024-03-31' })).download.body);
    expect(tb.find((r) => r.account === 'cash')!.balance).toBe(sum(all, 'amount') - sum(out, 'amount'));
    expect(sum(out, 'amount')).toBe(1_200_000 + 300_000 + 750_000);
  });

  it('writes CSV and a real XLSX workbook', async () => {
    const csv = await run('loan_tape', {}, 'csv');
    expect(csv.download.headers['content-type']).toContain('text/csv');
    const lines = csv.download.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^Loan,External ref,Program/);
    expect(lines).toHaveLength(4);
    const xlsx = await run('portfolio_summary', {}, 'xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.download.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual(expect.arrayContaining(['Program', 'Status', 'Loans']));
    expect(xlsx.run.rows_written).toBeGreaterThan(0);
  });

  it('refuses bad parameters with a 422 naming the field, an unknown report with a 404', async () => {
    const inverted = await env.call('POST', '/v1/reports/payments_received/runs', {
      params: { from: '2024-03-01', to: '2024-02-01' },
    });
    expect(inverted.statusCode).toBe(422);
    expect(inverted.headers['content-type']).toContain('application/problem+json');
    expect(inverted.json().errors).toEqual([expect.objectContaining({ path: 'params.to' })]);
    const unknownProgram = await env.call('POST', '/v1/reports/loan_tape/runs', {
      params: { program_id: '0190f5c2-0000-7000-8000-000000000000' },
    });
    expect(unknownProgram.statusCode).toBe(422);
    expect(unknownProgram.json()).toMatchObject({ code: 'unknown_program' });
    expect(unknownProgram.json().errors).toEqual([expect.objectContaining({ path: 'params.program_id' })]);
    const extra = await env.call('POST', '/v1/reports/loan_tape/runs', { params: { surprise: 1 } });
    expect(extra.statusCode).toBe(422);
    expect((await env.call('POST', '/v1/reports/nope/runs', { params: {} })).statusCode).toBe(404);
  });

  it('another tenant’s run is a 404', async () => {
    const { id } = await run('portfolio_summary', {});
    const other = await t.tenant();
    for (const path of [`/v1/report-runs/${id}`, `/v1/report-runs/${id}/download`]) {
      const r = await t.call('GET', path, { key: other.key });
      expect(r.statusCode).toBe(404);
    }
  });
});
