import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeLoan, setup } from '../lending/fixtures.js';
import { jsonl, type Row, runReport, sum } from './support.js';

// Reports between dates: roll rates from the loan positions close of business records as each business date opens
// (reconciled with delinquency_aging run on the first date), and vintage curves from the journal and schedules.
let t: TestApp;
let env: Awaited<ReturnType<typeof setup>>;
let prepayer: string;
let current: string;
let late: string;
let agingAtStart: Row[];
const run = (key: string, params: Record<string, unknown>) => runReport(env.call, key, params);

beforeAll(async () => {
  t = await startTestApp();
  env = await setup(t, '2024-01-15');
  const { call, programId } = env;
  const customer = async (legal_name: string, tax_id?: string) => {
    const c = await call('POST', '/v1/customers', {
      legal_name,
      ...(tax_id && { tax_id }),
      date_of_birth: '1980-05-17',
      address: {
        lines: ['12 Elm Street', 'Apt 4'],
        city: 'Springfield',
        state: 'IL',
        postal_code: '62701',
        country: 'US',
      },
    });
    expect(c.statusCode, c.body).toBe(201);
    return c.json().id as string;
  };
  const a = await activeLoan(call, programId, {
    customer_id: await customer('Ada Byron Lovelace', '123-45-6789'),
  });
  await activeLoan(call, programId, { principal: 300_000 });
  late = await activeLoan(call, programId, {
    principal: 750_000,
    annual_interest_rate: '24',
    customer_id: await customer('Grace Hopper'),
  });
  current = a;
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

describe('metro2_credit_reporting', () => {
  // Base Segment positions (1-based, inclusive) from the CDIA Credit Reporting Resource Guide, written out here
  // independently of layout.ts.
  const at = (record: string, from: number, to: number) => record.slice(from - 1, to);
  const params = {
    identification_number: 'PLNTH00001',
    reporter_name: 'Plinth Test Lender',
    reporter_address: '1 Main St, Springfield IL 62701',
    equifax_program_identifier: 'EQ12345678',
  };

  it('a header, a 426-byte base segment per reportable loan, a trailer; status from servicing', async () => {
    const { run: r, download } = await run('metro2_credit_reporting', params);
    const rows = jsonl(download.body);
    expect(rows.map((x) => x.record_type)).toEqual(['header', 'base', 'base', 'trailer']);
    for (const x of rows) expect(String(x.record)).toHaveLength(426);
    const [header, , , trailer] = rows.map((x) => String(x.record));
    expect(at(header!, 1, 4)).toBe('0426');
    expect(at(header!, 5, 10)).toBe('HEADER');
    expect(at(header!, 13, 22)).toBe('          '); // Innovis program identifier: none
    expect(at(header!, 23, 32)).toBe('EQ12345678');
    expect(at(header!, 48, 55)).toBe('03212024'); // activity date: the business date
    expect(at(trailer!, 5, 11)).toBe('TRAILER');
    expect(at(trailer!, 12, 20)).toBe('000000002'); // total base records
    expect(at(trailer!, 336, 344)).toBe('000000001'); // total SSNs in base segments

    const tape = jsonl((await run('loan_tape', {})).download.body);
    const accountOf = (id: string) =>
      BigInt(`0x${id.replaceAll('-', '')}`)
        .toString(36)
        .padStart(25, '0')
        .toUpperCase();
    const base = (id: string) =>
      String(rows.find((x) => x.record_type === 'base' && x.account === accountOf(id))!.record);
    const dollars = (id: string, key: string) =>
      Math.floor(Number(tape.find((l) => l.loan_id === id)![key]) / 100);

    // paid ahead: current (11); 34 days past due on the 2024-02-15 installment: 71
    const ok = base(current);
    expect(at(ok, 5, 5)).toBe('1');
    expect(at(ok, 73, 73)).toBe('I');
    expect(at(ok, 74, 75)).toBe('01');
    expect(at(ok, 76, 83)).toBe('01152024'); // date opened
    expect(at(ok, 93, 101)).toBe('000012000'); // highest credit, whole dollars
    expect(at(ok, 124, 125)).toBe('11');
    expect(at(ok, 182, 189)).toBe('03212024'); // date of account information
    expect(at(ok, 190, 197)).toBe('00000000'); // no first delinquency
    expect(at(ok, 232, 256).trim()).toBe('LOVELACE');
    expect(at(ok, 257, 276).trim()).toBe('ADA');
    expect(at(ok, 277, 296).trim()).toBe('BYRON');
    expect(at(ok, 298, 306)).toBe('123456789'); // the SSN, opened from its sealed column for the file
    expect(at(ok, 307, 314)).toBe('05171980');
    expect(at(ok, 330, 361).trim()).toBe('12 ELM STREET');
    expect(at(ok, 414, 415)).toBe('IL');
    expect(at(ok, 416, 424).trim()).toBe('62701');
    expect(Number(at(ok, 155, 163))).toBe(dollars(current, 'payoff'));

    const behind = base(late);
    expect(at(behind, 124, 125)).toBe('71');
    expect(at(behind, 298, 306)).toBe('000000000'); // no SSN on file: zero-filled (the date of birth is there)
    expect(at(behind, 190, 197)).toBe('03162024'); // due 2024-02-15, 30 days late on 2024-03-16
    expect(Number(at(behind, 155, 163))).toBe(dollars(late, 'payoff'));
    expect(Number(at(behind, 164, 172))).toBe(dollars(late, 'past_due'));
    // history, most recent month first: February's and January's month ends current, before that not yet opened
    expect(at(behind, 127, 150)).toBe(`00${'B'.repeat(22)}`);
    expect(rows.find((x) => String(x.record) === behind)!.account_status).toBe('71');
    // the two loans without a customer are left out and counted
    const figures = r.summary.figures as { label: string; value: unknown }[];
    expect(figures.find((f) => f.label.startsWith('Accounts left out'))!.value).toBe(2);
  });

  it('refuses a furnisher id that does not fit its field, naming it', async () => {
    const r = await env.call('POST', '/v1/reports/metro2_credit_reporting/runs', {
      params: { ...params, identification_number: 'X'.repeat(21) },
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors).toEqual([expect.objectContaining({ path: 'params.identification_number' })]);
  });
});
