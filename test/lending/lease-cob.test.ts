import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, type CalendarDate, parseDate } from '../../src/kernel/dates.js';
import { rows } from '../../src/kernel/db.js';
import { ROUNDING_MODES } from '../../src/kernel/money.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { simulation } from '../helpers/property.js';
import { type Call, closeDayAndCompare, writeChecker } from './products-support.js';

// The lease close of business (late fees, aging, daily rent) leaves every lease's projection, payment rows and
// journal balances equal to the replay after every closed day, and every write leaves them equal to the replay of
// the open day, over random leases, payments (on time, late, short, in advance, backdated), reversals and
// terminations. Every payment's allocation sums to the payment.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const START = parseDate('2024-01-01');
const DAYS = 140;
const reached = new Set<string>();

const programArb = fc.record({
  mode: fc.constantFrom(...ROUNDING_MODES),
  multiple: fc.constantFrom(1, 1, 100),
  tax: fc.constantFrom('0', '6', '8.875'),
  late_fee: fc.oneof(
    fc.constant(null),
    fc.record({
      type: fc.constant('flat'),
      amount: fc.integer({ min: 100, max: 5_000 }),
      grace_days: fc.integer({ min: 0, max: 15 }),
    }),
    fc.record({
      type: fc.constant('percent'),
      percent: fc.constantFrom('5', '7.125'),
      grace_days: fc.integer({ min: 0, max: 15 }),
      min: fc.constantFrom(0, 500),
      max: fc.constantFrom(2_000, 100_000),
    }),
  ),
  credit_surplus: fc.boolean(),
});

const actionArb = fc.record({
  day: fc.integer({ min: 0, max: DAYS - 1 }),
  kind: fc.constantFrom('payment', 'payment', 'payment', 'backdated', 'reversal', 'terminate'),
  share: fc.double({ min: 0.1, max: 2.5, noNaN: true }),
  back: fc.integer({ min: 1, max: 30 }),
});

const leaseArb = fc.record({
  program: programArb,
  cost: fc.integer({ min: 500_000, max: 6_000_000 }),
  residualShare: fc.double({ min: 0, max: 0.8, noNaN: true }),
  rate: fc.integer({ min: 0, max: 2000 }).map((bp) => (bp / 100).toString()),
  term: fc.integer({ min: 1, max: 8 }),
  startOn: fc.integer({ min: 0, max: 20 }),
  firstPaymentLater: fc.constantFrom(0, 0, 10),
  actions: fc.array(actionArb, { maxLength: 12 }),
});
type LeaseSpec = typeof leaseArb extends fc.Arbitrary<infer T> ? T : never;

const EXPECTED_REFUSALS = new Set([
  'payment_exceeds_balance',
  'invalid_state_transition',
  'duplicate_reversal',
  'lease_matured',
]);

async function simulate(portfolio: LeaseSpec[]): Promise<string[]> {
  const tenant = await t.tenant();
  const call: Call = (method, url, body) => t.call(method, url, { key: tenant.key, body });
  const db = t.ctx.database.db;
  await call('PUT', '/v1/business-date', { business_date: START });
  const leases: { id: string; spec: LeaseSpec; start: CalendarDate; payments: string[]; base: number }[] = [];
  for (const spec of portfolio) {
    const p = spec.program;
    const program = await call('POST', '/v1/programs', {
      name: 'p',
      program_type: 'lease',
      terms: {
        currency: 'USD',
        annual_interest_rate: { min: '0', max: '20', default: '5' },
        term_count: { min: 1, max: 60, default: 12 },
        rounding: { mode: p.mode, installment_multiple: p.multiple },
        tax: { rate: p.tax },
        late_fee: p.late_fee,
        disposition_fee: 39_500,
        early_termination: { fee: 20_000, credit_surplus: p.credit_surplus },
      },
    });
    if (program.statusCode !== 201) throw new Error(program.body);
    const start = addDays(START, spec.startOn);
    const lease = await call('POST', '/v1/loans', {
      program_id: program.json().id,
      capitalized_cost: spec.cost,
      residual_value: Math.floor(spec.cost * spec.residualShare),
      annual_interest_rate: spec.rate,
      term_count: spec.term,
      disbursement_date: start,
      first_payment_date: addDays(start, spec.firstPaymentLater),
    });
    if (lease.statusCode !== 201) throw new Error(lease.body);
    const base = lease.json().disclosure.total_periodic_payment as number;
    leases.push({ id: lease.json().id, spec, start, payments: [], base });
  }
  const problems: string[] = [];
  const { written, check: expect2xx } = writeChecker(EXPECTED_REFUSALS, problems, reached);
  for (let day = 0; day < DAYS; day++) {
    const today = addDays(START, day);
    for (const lease of leases) {
      const url = `/v1/loans/${lease.id}`;
      if (lease.start === today)
        for (const step of ['approve', 'disburse'])
          await expect2xx(step, await call('POST', `${url}/${step}`));
      if (lease.start > today) continue;
      for (const a of lease.spec.actions.filter((x) => x.day === day)) {
        if (a.kind === 'payment' || a.kind === 'backdated') {
          const back = addDays(today, -a.back);
          const amount = Math.max(1, Math.round(lease.base * a.share));
          const paid = await expect2xx(
            'payment',
            await call('POST', `${url}/payments`, {
              amount,
              ...(a.kind === 'backdated' && { effective_date: back < lease.start ? lease.start : back }),
            }),
          );
          if (!paid) continue;
          lease.payments.push(paid.id);
          const allocated = (paid.allocation as { amount: number }[]).reduce((s, l) => s + l.amount, 0);
          if (allocated !== amount) problems.push(`allocation ${allocated} of a payment of ${amount}`);
          if (a.kind === 'backdated') reached.add('backdated');
        } else if (a.kind === 'reversal' && lease.payments.length > 0) {
          const target = lease.payments[Math.floor((a.share / 2.5) * lease.payments.length)]!;
          if (
            await expect2xx(
              'reversal',
              await call('POST', `${url}/payment-reversals`, { payment_id: target }),
            )
          )
            reached.add('reversal');
        } else if (a.kind === 'terminate' && a.share > 1.2) {
          const realized = Math.floor(lease.spec.cost * (a.share - 1.2));
          const ended = await expect2xx(
            'terminate',
            await call('POST', `${url}/terminate`, { type: 'early', realized_value: realized }),
          );
          if (ended) reached.add(ended.refund_due > 0 ? 'refund' : 'terminated');
        }
      }
    }
    problems.push(...(await closeDayAndCompare(t, tenant.id, call, 'lease', today, written)));
    if (problems.length > 0) return problems.map((p) => `day ${today}: ${p}`);
  }
  for (const k of await rows<{ kind: string }>(
    db,
    sql`SELECT DISTINCT kind FROM loan_journal WHERE tenant_id = ${tenant.id}`,
  ))
    reached.add(k.kind);
  return problems;
}

describe('lease close of business equals the replay', () => {
  it('after every write and every closed day, over random leases and payments', async () => {
    const sim = simulation(6);
    await fc.assert(
      fc.asyncProperty(fc.array(leaseArb, { minLength: 3, maxLength: 5 }), async (portfolio) => {
        expect(await simulate(portfolio)).toEqual([]);
      }),
      sim.params,
    );
    console.log('reached', [...reached].sort().join(', '));
    if (!sim.coverage) return;
    for (const k of ['accrual', 'charge', 'restatement', 'termination', 'refused:payment_exceeds_balance'])
      expect(reached, k).toContain(k);
  }, 900_000);
});
