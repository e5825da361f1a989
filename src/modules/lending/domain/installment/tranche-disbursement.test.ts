import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { d, loanTerms } from '../../../../../test/support/lending/installment.js';
import { addDays, type CalendarDate, daysBetween } from '../../../../kernel/dates.js';
import { financeChargeDisclosure } from '../apr/index.js';
import { disclosureFlows } from './charges.js';
import type { LoanEvent } from './events.js';
import { isBalanced, journalBalances } from './ledger.js';
import { calculatePayoff } from './payoff.js';
import { type LoanState, replay } from './replay.js';
import { generateSchedule } from './schedule.js';
import type { LoanTerms } from './terms.js';

/**
 * Servicing a loan in tranches (tranche-disbursement.ts): the replay's schedule after each tranche equals the
 * schedule of the same tranches planned (tranches.test.ts reproduces Fineract's), the journal balances, and
 * payments, reversals and payoffs work on it.
 */

const progressive = {
  interest_calculation: 'period_days',
  days_in_month: '30',
  days_in_year: '360',
  level_payment: 'period_rates',
  level_payment_adjustment: true,
  multi_disbursement: { max_tranches: 3, max_outstanding: 25_000 },
};
// Approved for 300 (Fineract's ProgressiveEMICalculatorTest loan: 9.4822%, monthly from 2024-01-01 over 6 months).
const terms = loanTerms(progressive, {
  principal: 30_000,
  annual_interest_rate: '9.4822',
  term_count: 6,
  disbursement_date: '2024-01-01',
  tranches: [{ date: '2024-01-01', amount: 10_000 }],
});

let seq = 0;
const ev = (date: string, spec: Record<string, unknown>): LoanEvent =>
  ({ id: `e${++seq}`, sequence: seq, effectiveDate: d(date), ...spec }) as LoanEvent;
const opened = () => [ev('2024-01-01', { type: 'approve' }), ev('2024-01-01', { type: 'disburse' })];

function run(t: LoanTerms, events: LoanEvent[], asOf: string): LoanState {
  const r = replay(t, events, d(asOf));
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  expect(r.value.journal.every(isBalanced)).toBe(true);
  expect(journalBalances(r.value.journal)).toEqual(r.value.balances);
  return r.value;
}
const failure = (t: LoanTerms, events: LoanEvent[], asOf: string) => {
  const r = replay(t, events, d(asOf));
  return r.ok ? null : r.error.code;
};
const scheduled = (s: LoanState) => s.installments.map((i) => [i.due.interest, i.due.principal]);

describe('disburse_tranche', () => {
  it('re-amortizes as the planned schedule does (Fineract: 100 more on 2024-02-15)', () => {
    const events = [...opened(), ev('2024-02-01', { type: 'payment', amount: 1713 })];
    events.push(ev('2024-02-15', { type: 'disburse_tranche', amount: 10_000 }));
    const state = run(terms, events, '2024-02-20');
    const planned = generateSchedule({
      ...terms,
      tranches: [
        { date: d('2024-01-01'), amount: 10_000 },
        { date: d('2024-02-15'), amount: 10_000 },
      ],
    });
    expect(scheduled(state)).toEqual(planned.rows.map((r) => [r.interest, r.principal]));
    expect(state.installments[1]!.due).toMatchObject({ interest: 107, principal: 3646 });
    expect(state.outstanding.principal).toBe(20_000 - 1634);
    expect(state.balances.cash).toBe(-20_000 + 1713);
    expect(state.installments[0]!.paid).toMatchObject({ interest: 79, principal: 1634 });
  });

  it('refuses more than approved, too many tranches, above the maximum outstanding and after maturity', () => {
    const base = opened();
    expect(
      failure(terms, [...base, ev('2024-02-15', { type: 'disburse_tranche', amount: 20_001 })], '2024-03-01'),
    ).toBe('tranche_exceeds_approved_amount');
    expect(
      failure(
        { ...terms, multiDisbursement: { maxTranches: 3, maxOutstanding: 15_000 } },
        [...base, ev('2024-02-15', { type: 'disburse_tranche', amount: 10_000 })],
        '2024-03-01',
      ),
    ).toBe('max_outstanding_exceeded');
    expect(
      failure(
        { ...terms, multiDisbursement: { maxTranches: 2, maxOutstanding: null } },
        [
          ...base,
          ev('2024-02-15', { type: 'disburse_tranche', amount: 5000 }),
          ev('2024-03-15', { type: 'disburse_tranche', amount: 5000 }),
        ],
        '2024-04-01',
      ),
    ).toBe('too_many_tranches');
    expect(
      failure(terms, [...base, ev('2024-07-01', { type: 'disburse_tranche', amount: 100 })], '2024-07-02'),
    ).toBe('tranche_after_maturity');
    const single = loanTerms({}, { principal: 10_000, disbursement_date: '2024-01-01' });
    expect(
      failure(single, [...base, ev('2024-02-15', { type: 'disburse_tranche', amount: 100 })], '2024-03-01'),
    ).toBe('tranches_not_allowed');
  });

  it('a backdated tranche re-allocates later payments; a reversal restates; the payoff settles the loan', () => {
    const events = [
      ...opened(),
      ev('2024-02-01', { type: 'payment', amount: 1713 }),
      ev('2024-03-01', { type: 'payment', amount: 4000 }),
    ];
    events.push(ev('2024-02-15', { type: 'disburse_tranche', amount: 10_000 }));
    const state = run(terms, events, '2024-03-05');
    expect(state.installments[1]!.paid.principal + state.installments[1]!.paid.interest).toBe(3753);
    expect(state.creditBalance).toBe(0);
    events.push(ev('2024-03-05', { type: 'payment_reversal', paymentId: events[3]!.id }));
    const reversed = run(terms, events, '2024-03-05');
    expect(reversed.installments[1]!.paid.principal).toBe(0);
    const during = replay(terms, events, d('2024-03-10'), { closeOfBusiness: false });
    if (!during.ok) throw new Error(during.error.message);
    const quote = calculatePayoff(during.value, d('2024-03-10'));
    events.push(ev('2024-03-10', { type: 'payoff', amount: quote.total }));
    const paid = run(terms, events, '2024-03-10');
    expect(paid.status).toBe('paid_off');
    expect(paid.balances.loans_receivable).toBe(0);
    expect(paid.balances.interest_receivable).toBe(0);
  });

  it('discloses the APR of the planned tranches as multiple advances (Appendix J)', () => {
    const planned = {
      ...terms,
      tranches: [
        { date: d('2024-01-01'), amount: 10_000 },
        { date: d('2024-02-15'), amount: 10_000 },
      ],
    };
    const schedule = generateSchedule(planned);
    const disclosure = financeChargeDisclosure(disclosureFlows(planned, schedule.rows));
    if (!disclosure.ok) throw new Error(disclosure.error.message);
    expect(disclosure.value.amountFinanced).toBe(20_000);
    expect(disclosure.value.financeCharge).toBe(schedule.totals.interest);
    expect(disclosure.value.apr.transactionKind).toBe('irregular');
    // The monthly rate i solves the general equation with the second advance 1.5 months in (Appendix J (b)(5):
    // one unit-period and 14 of February's 29 days, the fraction over 30): Σ advances discounted = Σ payments.
    const i = Number(disclosure.value.apr.unitPeriodRate);
    const at = (t: number) => (1 + i * (t % 1)) * (1 + i) ** Math.floor(t);
    const advances = 10_000 + 10_000 / at(1 + 14 / 30);
    const payments = schedule.rows.reduce((s, r, k) => s + r.total / at(k + 1), 0);
    expect(advances).toBeCloseTo(payments, 4);
    // Near the note rate, as a loan whose payments are all interest and principal should be.
    expect(Math.abs(Number(disclosure.value.apr.apr) - 9.4822)).toBeLessThan(0.3);
  });
});

describe('disburse_tranche: properties', () => {
  const arb = fc.record({
    first: fc.integer({ min: 1000, max: 1_000_000 }),
    more: fc.array(
      fc.record({ day: fc.integer({ min: 1, max: 330 }), amount: fc.integer({ min: 1, max: 500_000 }) }),
      {
        maxLength: 3,
      },
    ),
    pay: fc.array(
      fc.record({ day: fc.integer({ min: 1, max: 360 }), amount: fc.integer({ min: 1, max: 400_000 }) }),
      {
        maxLength: 6,
      },
    ),
    per_period: fc.boolean(),
  });

  it('principal sums to what is disbursed, allocations sum to the payments, the journal balances', () => {
    fc.assert(
      fc.property(arb, ({ first, more, pay, per_period }) => {
        const approved = first + more.reduce((s, t) => s + t.amount, 0);
        const t = loanTerms(
          {
            ...(per_period ? {} : progressive),
            multi_disbursement: { max_tranches: 4 },
          },
          {
            principal: approved,
            annual_interest_rate: '12',
            term_count: 12,
            disbursement_date: '2024-01-01',
            tranches: [{ date: '2024-01-01', amount: first }],
          },
        );
        const start = d('2024-01-01');
        const on = (day: number): CalendarDate => addDays(start, day);
        seq = 0;
        const events = [
          ev('2024-01-01', { type: 'approve' }),
          ev('2024-01-01', { type: 'disburse' }),
          ...more.map((m) => ev(on(m.day), { type: 'disburse_tranche', amount: m.amount })),
          ...pay.map((p) => ev(on(p.day), { type: 'payment', amount: p.amount })),
        ];
        const r = replay(t, events, d('2025-01-10'));
        if (!r.ok) {
          expect(['tranche_below_paid', 'invalid_state_transition']).toContain(r.error.code);
          return;
        }
        const s = r.value;
        let disbursed = 0;
        for (const e of s.journal)
          if (e.kind === 'disbursement')
            for (const l of e.lines) if (l.account === 'loans_receivable') disbursed += l.amount;
        expect(s.installments.reduce((sum, i) => sum + i.due.principal, 0)).toBe(disbursed);
        for (const p of s.payments)
          expect(p.lines.reduce((sum, l) => sum + l.amount, 0) + p.credit).toBe(p.amount);
        expect(s.journal.every(isBalanced)).toBe(true);
        expect(journalBalances(s.journal)).toEqual(s.balances);
        expect(daysBetween(start, s.installments.at(-1)!.dueDate)).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });
});
