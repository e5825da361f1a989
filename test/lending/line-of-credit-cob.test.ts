import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, type CalendarDate, parseDate } from '../../src/kernel/dates.js';
import { rows } from '../../src/kernel/db.js';
import { ROUNDING_MODES } from '../../src/kernel/money.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { simulation } from '../helpers/property.js';
import { type Call, closeDayAndCompare, writeChecker } from './products-support.js';

// The key correctness test of the line-of-credit close of business: over random lines, postings and days, the
// set-based SQL (late fees, daily ADB accrual, statements, aging) leaves every line's projection, cycle row,
// statements and journal balances exactly equal to the replay after every closed day, and every write leaves them
// equal to the replay of the open day. The period crosses a new year (actual/actual) and a leap February.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const START = parseDate('2023-11-25');
const DAYS = 110;
/** What the runs reached, so that the scenarios are known to exercise it. */
const reached = new Set<string>();

const lateFeeArb = fc.oneof(
  fc.constant(null),
  fc.record({
    type: fc.constant('flat'),
    amount: fc.integer({ min: 100, max: 5_000 }),
    grace_days: fc.integer({ min: 0, max: 2 }),
  }),
  fc.record({
    type: fc.constant('percent'),
    percent: fc.constantFrom('5', '2.5', '33.333'),
    grace_days: fc.integer({ min: 0, max: 2 }),
    min: fc.constantFrom(0, 500),
    max: fc.constantFrom(1_000, 100_000),
  }),
);

const programArb = fc.record({
  rate: fc.integer({ min: 0, max: 3600 }).map((bp) => (bp / 100).toString()),
  day_count: fc.constantFrom('actual/365', 'actual/360', 'actual/actual', '30/360'),
  cycle_day: fc.integer({ min: 1, max: 31 }),
  floor: fc.integer({ min: 0, max: 5_000 }),
  percent: fc.constantFrom('1', '2.5', '10', '100'),
  due_days: fc.integer({ min: 21, max: 25 }),
  late_fee: lateFeeArb,
  mode: fc.constantFrom(...ROUNDING_MODES),
  multiple: fc.constantFrom(1, 1, 100),
  order: fc.constantFrom(['fees', 'interest', 'principal'], ['principal', 'interest', 'fees']),
});

const ACTIONS = [
  'draw',
  'draw',
  'payment',
  'payment',
  'backdated',
  'backdated',
  'reversal',
  'fee',
  'freeze',
  'card',
  'card',
  'close',
  'charge_off',
];
const actionArb = fc.record({
  day: fc.integer({ min: 0, max: DAYS - 1 }),
  kind: fc.constantFrom(...ACTIONS),
  share: fc.double({ min: 0.02, max: 1.1, noNaN: true }),
  back: fc.integer({ min: 1, max: 40 }),
});

const lineArb = fc.record({
  program: programArb,
  limit: fc.integer({ min: 50_000, max: 2_000_000 }),
  openOn: fc.integer({ min: 0, max: 15 }),
  actions: fc.array(actionArb, { maxLength: 20 }),
});
type LineSpec = typeof lineArb extends fc.Arbitrary<infer T> ? T : never;

const EXPECTED_REFUSALS = new Set([
  'insufficient_available_credit',
  'payment_exceeds_balance',
  'line_not_active',
  'invalid_state_transition',
  'balance_outstanding',
  'duplicate_reversal',
  'effective_date_before_disbursement',
]);

async function simulate(portfolio: LineSpec[]): Promise<string[]> {
  const tenant = await t.tenant();
  const call: Call = (method, url, body) => t.call(method, url, { key: tenant.key, body });
  const db = t.ctx.database.db;
  await call('PUT', '/v1/business-date', { business_date: START });
  const lines: { id: string; spec: LineSpec; open: CalendarDate; payments: string[] }[] = [];
  for (const spec of portfolio) {
    const p = spec.program;
    const program = await call('POST', '/v1/programs', {
      name: 'p',
      program_type: 'line_of_credit',
      terms: {
        currency: 'USD',
        credit_limit: { min: 1_000, max: 10_000_000 },
        annual_interest_rate: { min: '0', max: '36', default: '10' },
        day_count: p.day_count,
        cycle_day: { min: 1, max: 31, default: p.cycle_day },
        minimum_payment: { floor: p.floor, percent: p.percent },
        payment_due_days: p.due_days,
        late_fee: p.late_fee,
        allocation_order: p.order,
        rounding: { mode: p.mode, installment_multiple: p.multiple },
      },
    });
    if (program.statusCode !== 201) throw new Error(program.body);
    const open = addDays(START, spec.openOn);
    const loan = await call('POST', '/v1/loans', {
      program_id: program.json().id,
      credit_limit: spec.limit,
      annual_interest_rate: p.rate,
      open_date: open,
    });
    if (loan.statusCode !== 201) throw new Error(loan.body);
    lines.push({ id: loan.json().id, spec, open, payments: [] });
  }
  const problems: string[] = [];
  const balanceOf = async (id: string) => {
    const [r] = await rows<{ b: number | null }>(
      db,
      sql`SELECT (principal + interest + fees)::float8 AS b FROM credit_lines WHERE tenant_id = ${tenant.id} AND loan_id = ${id}`,
    );
    return r?.b ?? 0;
  };
  const { written, check: expect2xx } = writeChecker(EXPECTED_REFUSALS, problems, reached);
  for (let day = 0; day < DAYS; day++) {
    const today = addDays(START, day);
    for (const line of lines) {
      const url = `/v1/loans/${line.id}`;
      if (line.open === today)
        for (const step of ['approve', 'disburse'])
          await expect2xx(step, await call('POST', `${url}/${step}`));
      if (line.open > today) continue;
      for (const a of line.spec.actions.filter((x) => x.day === day)) {
        const amount = Math.max(1, Math.floor(a.share * line.spec.limit));
        if (a.kind === 'draw') await expect2xx('draw', await call('POST', `${url}/draws`, { amount }));
        else if (a.kind === 'card') {
          const r = await t.ctx.lending.cardFunding.drawForCardSpend(
            { tenantId: tenant.id, actor: { type: 'system' } } as never,
            line.id,
            { amount: amount * 2, currency: 'USD', reference: `clr-${day}-${a.share}` },
          );
          if (r.ok) written.add(line.id);
          if (r.ok && r.value.overLimit) reached.add('over_limit');
          if (!r.ok && !EXPECTED_REFUSALS.has(r.error.code)) problems.push(`card: ${r.error.code}`);
        } else if (a.kind === 'payment' || a.kind === 'backdated') {
          const owed = await balanceOf(line.id);
          const back = a.kind === 'backdated' ? addDays(today, -a.back) : today;
          const body = {
            amount: Math.max(1, Math.min(Math.floor(owed * a.share), owed || 1)),
            ...(a.kind === 'backdated' && { effective_date: back < line.open ? line.open : back }),
          };
          const paid = await expect2xx('payment', await call('POST', `${url}/payments`, body));
          if (paid) line.payments.push(paid.id);
          if (paid && a.kind === 'backdated') reached.add('backdated');
        } else if (a.kind === 'reversal' && line.payments.length > 0) {
          const target = line.payments[Math.floor(a.share * 0.9 * line.payments.length)]!;
          if (
            await expect2xx(
              'reversal',
              await call('POST', `${url}/payment-reversals`, { payment_id: target }),
            )
          )
            reached.add('reversal');
        } else if (a.kind === 'fee')
          await expect2xx('fee', await call('POST', `${url}/fees`, { amount: (amount % 5_000) + 1 }));
        else if (a.kind === 'freeze') {
          await expect2xx('freeze', await call('POST', `${url}/freeze`));
          await expect2xx('unfreeze', await call('POST', `${url}/unfreeze`));
        } else if (a.kind === 'charge_off' && a.share > 0.9)
          await expect2xx('charge-off', await call('POST', `${url}/charge-off`));
        else if (a.kind === 'close' && a.share > 0.8)
          await expect2xx('close', await call('POST', `${url}/close`));
      }
    }
    problems.push(...(await closeDayAndCompare(t, tenant.id, call, 'line_of_credit', today, written)));
    if (problems.length > 0) return problems.map((p) => `day ${today}: ${p}`);
  }
  const kinds = await rows<{ kind: string }>(
    db,
    sql`SELECT DISTINCT kind FROM loan_journal WHERE tenant_id = ${tenant.id}`,
  );
  for (const k of kinds) reached.add(k.kind);
  const late = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM line_statements WHERE tenant_id = ${tenant.id} AND past_due > 0`,
  );
  if ((late[0]?.n ?? 0) > 0) reached.add('past_due');
  return problems;
}

describe('line-of-credit close of business equals the replay', () => {
  it('after every write and every closed day, over random lines and postings', async () => {
    const sim = simulation(8);
    await fc.assert(
      fc.asyncProperty(fc.array(lineArb, { minLength: 3, maxLength: 5 }), async (portfolio) => {
        expect(await simulate(portfolio)).toEqual([]);
      }),
      sim.params,
    );
    console.log('reached', [...reached].sort().join(', '));
    if (!sim.coverage) return;
    for (const k of [
      'accrual',
      'charge',
      'restatement',
      'past_due',
      'over_limit',
      'refused:insufficient_available_credit',
    ])
      expect(reached, k).toContain(k);
  }, 900_000);
});
