import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, parseDate } from '../../src/kernel/dates.js';
import { ROUNDING_MODES } from '../../src/kernel/money.js';
import type { Result } from '../../src/kernel/result.js';
import {
  assessLateFee,
  closeCycle,
  draw,
  type LineState,
  type LineTerms,
  lineProgramTermsSchema,
  openLine,
  postFee,
  postPayment,
  resolveLineTerms,
  type Statement,
} from '../../src/modules/lending/domain/revolving/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { simulation } from '../helpers/property.js';
import type { Call } from './products-support.js';

// The statements close of business writes in SQL equal the revolving engine's closeCycle: random lines and
// postings are sent through the API day by day with a close of business after each day, and the same postings
// are applied to the pure engine (openLine, draw, postPayment, postFee, assessLateFee, closeCycle). Nothing of the
// servicing replay is involved: this is the SQL against the engine.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const START = parseDate('2023-11-10');
const DAYS = 100;

const programArb = fc.record({
  currency: fc.constant('USD'),
  credit_limit: fc.constant({ min: 1_000, max: 10_000_000 }),
  annual_interest_rate: fc
    .integer({ min: 0, max: 3600 })
    .map((bp) => ({ min: '0', max: '36', default: (bp / 100).toString() })),
  day_count: fc.constantFrom('actual/365', 'actual/360', 'actual/actual', '30/360'),
  cycle_day: fc.integer({ min: 1, max: 31 }).map((d) => ({ min: 1, max: 31, default: d })),
  minimum_payment: fc.record({
    floor: fc.integer({ min: 0, max: 5_000 }),
    percent: fc.constantFrom('1', '2.5', '3.125', '100'),
  }),
  payment_due_days: fc.integer({ min: 21, max: 25 }),
  late_fee: fc.oneof(
    fc.constant(null),
    fc.record({
      type: fc.constant('flat'),
      amount: fc.integer({ min: 100, max: 5_000 }),
      grace_days: fc.integer({ min: 0, max: 2 }),
    }),
    fc.record({
      type: fc.constant('percent'),
      percent: fc.constantFrom('5', '12.5'),
      grace_days: fc.integer({ min: 0, max: 2 }),
    }),
  ),
  allocation_order: fc.constantFrom(['fees', 'interest', 'principal'], ['interest', 'principal', 'fees']),
  rounding: fc.record({
    mode: fc.constantFrom(...ROUNDING_MODES),
    installment_multiple: fc.constantFrom(1, 100),
  }),
});

const postingArb = fc.record({
  day: fc.integer({ min: 0, max: DAYS - 1 }),
  kind: fc.constantFrom('draw', 'draw', 'payment', 'fee'),
  share: fc.double({ min: 0.01, max: 0.7, noNaN: true }),
});

const lineArb = fc.record({
  program: programArb,
  limit: fc.integer({ min: 10_000, max: 3_000_000 }),
  postings: fc.array(postingArb, { maxLength: 12 }),
});
type LineSpec = typeof lineArb extends fc.Arbitrary<infer T> ? T : never;

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

const statementJson = (terms: LineTerms, s: Statement, number: number) => ({
  number,
  period_start: s.periodStart,
  period_end: s.periodEnd,
  statement_date: s.statementDate,
  due_date: s.dueDate,
  days_in_cycle: s.daysInCycle,
  opening_balance: s.openingBalance,
  draws: s.draws,
  payments: s.payments,
  interest: s.interest,
  fees: s.fees,
  closing_balance: s.closingBalance,
  past_due: s.pastDue,
  minimum_payment: s.minimumPayment,
  credit_limit: s.creditLimit,
  available_credit: s.availableCredit,
  annual_rate: terms.annualRate,
  daily_periodic_rate: s.dailyPeriodicRate,
  average_daily_balance: s.averageDailyBalance,
  sum_of_daily_balances: s.sumOfDailyBalances,
});

async function compare(portfolio: LineSpec[]): Promise<number> {
  const tenant = await t.tenant();
  const call: Call = (method, url, body) => t.call(method, url, { key: tenant.key, body });
  await call('PUT', '/v1/business-date', { business_date: START });
  const lines: { id: string; spec: LineSpec; terms: LineTerms; state: LineState; statements: unknown[] }[] =
    [];
  for (const spec of portfolio) {
    const request = { credit_limit: spec.limit, open_date: START };
    const terms = must(resolveLineTerms(lineProgramTermsSchema.parse(spec.program), request));
    const program = await call('POST', '/v1/programs', {
      name: 'p',
      program_type: 'line_of_credit',
      terms: spec.program,
    });
    const loan = await call('POST', '/v1/loans', { program_id: program.json().id, ...request });
    const id = loan.json().id as string;
    for (const step of ['approve', 'disburse'])
      expect((await call('POST', `/v1/loans/${id}/${step}`)).statusCode).toBe(201);
    lines.push({ id, spec, terms, state: openLine(terms), statements: [] });
  }
  let compared = 0;
  for (let day = 0; day < DAYS; day++) {
    const today = addDays(START, day);
    for (const line of lines) {
      for (const p of line.spec.postings.filter((x) => x.day === day)) {
        const balance = line.state.principal + line.state.interest + line.state.fees;
        const amount = Math.max(1, Math.floor(p.share * (p.kind === 'payment' ? balance : line.spec.limit)));
        const path = p.kind === 'draw' ? 'draws' : p.kind === 'payment' ? 'payments' : 'fees';
        const r = await call('POST', `/v1/loans/${line.id}/${path}`, { amount });
        const tx = { amount, date: today };
        const engine =
          p.kind === 'draw'
            ? draw(line.state, tx)
            : p.kind === 'payment'
              ? postPayment(line.terms, line.state, tx)
              : postFee(line.state, { ...tx, description: 'fee' });
        // The API and the engine accept and refuse the same postings.
        expect(r.statusCode === 201, `${path} ${amount}: ${r.body}`).toBe(engine.ok);
        if (engine.ok) line.state = engine.value;
      }
    }
    expect((await call('POST', '/v1/close-of-business', { date: today })).statusCode).toBe(200);
    for (const line of lines) {
      line.state = must(assessLateFee(line.terms, line.state, today)).state;
      if (line.state.cycleEnd !== today) continue;
      const closed = must(closeCycle(line.terms, line.state, today));
      line.state = closed.state;
      line.statements.unshift(statementJson(line.terms, closed.statement, line.statements.length + 1));
      const stored = (await call('GET', `/v1/loans/${line.id}`)).json().statements;
      expect(stored[0]).toEqual(line.statements[0]);
      compared++;
    }
  }
  for (const line of lines)
    expect((await call('GET', `/v1/loans/${line.id}`)).json().statements).toEqual(line.statements);
  return compared;
}

describe('line statements: SQL close of business equals the engine’s closeCycle', () => {
  it('over random lines, postings, rates, day counts, cycle days and rounding', async () => {
    let statements = 0;
    const sim = simulation(6);
    await fc.assert(
      fc.asyncProperty(fc.array(lineArb, { minLength: 3, maxLength: 5 }), async (portfolio) => {
        statements += await compare(portfolio);
      }),
      sim.params,
    );
    if (sim.coverage) expect(statements).toBeGreaterThan(50);
  }, 900_000);

  it('rounds a finance charge that is exactly half a cent like the fraction it is (30/360)', async () => {
    // $50.00 all cycle at 12% on 30/360: 5,000 × 0.12 × 30 / 360 = 50.0 cents; at 1.2%: 5.0; at 0.12%: exactly 0.5.
    const program = {
      currency: 'USD',
      credit_limit: { min: 1_000, max: 1_000_000 },
      annual_interest_rate: { min: '0', max: '36', default: '0.12' },
      day_count: '30/360',
      cycle_day: { min: 1, max: 31, default: 1 },
      minimum_payment: { floor: 0, percent: '1' },
      rounding: { mode: 'half_up' },
    };
    const n = await compare([
      { program: program as never, limit: 5_000, postings: [{ day: 0, kind: 'draw', share: 1 }] },
    ]);
    expect(n).toBeGreaterThan(1);
  }, 120_000);
});
