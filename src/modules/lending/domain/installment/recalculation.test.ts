import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { d, loanTerms, program } from '../../../../../test/support/lending/installment.js';
import {
  expectRecalculationInvariants,
  recalculationHistory,
  recalculationStepArb,
} from '../../../../../test/support/lending/recalculation.js';
import { addDays } from '../../../../kernel/dates.js';
import type { LoanEvent } from './events.js';
import { dayInterest, interestBasis } from './interest.js';
import { calculatePayoff } from './payoff.js';
import { RESCHEDULE_STRATEGIES } from './recalculation-terms.js';
import { replay } from './replay.js';
import { parseProgramTerms } from './resolve.js';
import { generateSchedule } from './schedule.js';

// 1,200.00 at 12 % a year, actual/365, 6 monthly installments from 2024-01-15.
const recalculating = {
  interest_calculation: 'daily',
  day_count: 'actual/365',
  interest_recalculation: { rest: 'daily', compounding: 'none' },
};
// These tests pin the recalculation itself: terms as a loan stored before `reschedule` existed (each installment
// keeps its scheduled principal); reschedule.test.ts covers the strategies.
const parsed = loanTerms(recalculating, { term_count: 6 });
const terms = {
  ...parsed,
  options: { ...parsed.options, interestRecalculation: { rest: 'daily', compounding: 'none' } as const },
};
const b = interestBasis(terms);
const opening: LoanEvent[] = [
  { id: 'approve', sequence: 1, effectiveDate: d('2024-01-14'), type: 'approve' },
  { id: 'disburse', sequence: 2, effectiveDate: d('2024-01-15'), type: 'disburse' },
];
const pay = (id: string, sequence: number, date: string, amount: number): LoanEvent => ({
  id,
  sequence,
  effectiveDate: d(date),
  type: 'payment',
  amount,
});
const state = (events: LoanEvent[], asOf: string, closeOfBusiness = true) => {
  const r = replay(terms, events, d(asOf), { closeOfBusiness });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('interest_recalculation terms', () => {
  it('is refused with flat interest, per-period interest and re-amortized prepayments, naming the field', () => {
    for (const bad of [
      { interest_method: 'flat', interest_calculation: 'daily' },
      { interest_calculation: 'per_period' },
      { interest_calculation: 'daily', future_installments: 'reamortize' },
    ]) {
      const r = parseProgramTerms({ ...program(), ...bad, interest_recalculation: {} });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(JSON.stringify(r.error)).toContain('interest_recalculation');
    }
  });

  it('defaults to off, and a recalculating loan starts from the same schedule', () => {
    expect(loanTerms().options.interestRecalculation).toBeNull();
    expect(parsed.options.interestRecalculation).toEqual({
      rest: 'daily',
      compounding: 'none',
      reschedule: 'adjust_last_unpaid_period',
    });
    const plain = loanTerms({ interest_calculation: 'daily', day_count: 'actual/365' }, { term_count: 6 });
    expect(generateSchedule(terms).rows).toEqual(generateSchedule(plain).rows);
    const s = state(opening, '2024-01-15');
    expect(s.installments.map((r) => r.due)).toEqual(
      generateSchedule(plain).rows.map((r) => ({
        penalties: 0,
        fees: 0,
        interest: r.interest,
        principal: r.principal,
      })),
    );
  });
});

describe('early and late payments', () => {
  const rows = generateSchedule(terms).rows;

  it('a payment before its due date lowers the balance from its date: the period earns less', () => {
    // 2024-01-30, halfway through the first period: the interest earned to then, then principal.
    const earned = dayInterest(b, 1_200_000, d('2024-01-15'), d('2024-01-30'));
    const s = state([...opening, pay('p1', 3, '2024-01-30', 300_000)], '2024-01-30');
    const lines = s.payments[0]!.lines;
    expect(lines).toEqual([
      { installment: 1, component: 'interest', amount: earned, bucket: 'advance' },
      { installment: 1, component: 'principal', amount: rows[0]!.principal, bucket: 'advance' },
      {
        installment: 2,
        component: 'principal',
        amount: 300_000 - earned - rows[0]!.principal,
        bucket: 'advance',
      },
    ]);
    const balance = 1_200_000 - (300_000 - earned);
    const first = s.installments[0]!;
    expect(first.due.interest).toBe(earned + dayInterest(b, balance, d('2024-01-30'), rows[0]!.dueDate));
    expect(first.due.interest).toBeLessThan(rows[0]!.interest);
    // A later period is projected on the principal scheduled to remain at its start.
    const second = s.installments[1]!;
    // Its own principal is paid: the whole balance is scheduled to remain at the second period's start.
    expect(second.due.interest).toBe(dayInterest(b, balance, rows[1]!.periodStart, rows[1]!.dueDate));
    // Through its due date the first period accrues exactly its recalculated interest.
    expect(
      state([...opening, pay('p1', 3, '2024-01-30', 300_000)], '2024-02-14').installments[0]!.accrued,
    ).toBe(first.due.interest);
  });

  it('principal unpaid after its due date keeps earning: the next period earns on it until it is paid', () => {
    const s = state(opening, '2024-02-20');
    const second = s.installments[1]!;
    expect(second.due.interest).toBe(dayInterest(b, 1_200_000, rows[1]!.periodStart, rows[1]!.dueDate));
    expect(second.due.interest).toBeGreaterThan(rows[1]!.interest);
    // Paid late on 02-20: from then the second period earns on the balance less the first principal.
    const late = state([...opening, pay('p1', 3, '2024-02-20', rows[0]!.total)], '2024-02-20');
    const to = dayInterest(b, 1_200_000, rows[1]!.periodStart, d('2024-02-20'));
    const rest = dayInterest(b, 1_200_000 - rows[0]!.principal, d('2024-02-20'), rows[1]!.dueDate);
    expect(late.installments[1]!.due.interest).toBe(to + rest);
    expect(late.installments[0]!.paid).toEqual({
      penalties: 0,
      fees: 0,
      interest: rows[0]!.interest,
      principal: rows[0]!.principal,
    });
  });

  it('a backdated payment re-computes interest; its reversal restores the history without it', () => {
    const without = state(opening, '2024-03-01');
    const withPayment = [...opening, pay('p1', 3, '2024-01-20', 300_000)];
    const backdated = state(withPayment, '2024-03-01');
    expect(backdated.installments[0]!.due.interest).toBeLessThan(without.installments[0]!.due.interest);
    const reversed = state(
      [
        ...withPayment,
        { id: 'r', sequence: 4, effectiveDate: d('2024-02-10'), type: 'payment_reversal', paymentId: 'p1' },
      ],
      '2024-03-01',
    );
    expect(reversed.installments).toEqual(without.installments);
    expect(reversed.balances).toEqual(without.balances);
  });

  it('the payoff quote charges interest on the balance to the payoff date and pays the loan off', () => {
    const events = [...opening, pay('p1', 3, '2024-02-01', 400_000)];
    const during = state(events, '2024-03-05', false);
    const quote = calculatePayoff(during, d('2024-03-05'));
    const r = state(
      [
        ...events,
        { id: 'off', sequence: 4, effectiveDate: d('2024-03-05'), type: 'payoff', amount: quote.total },
      ],
      '2024-03-05',
    );
    expect(r.status).toBe('paid_off');
    expect(r.outstanding).toEqual({ penalties: 0, fees: 0, interest: 0, principal: 0 });
  });
});

describe('recalculating loans, any payments', () => {
  const termsArb = fc
    .record({
      rate: fc.integer({ min: 0, max: 3600 }),
      dayCount: fc.constantFrom('30/360', 'actual/360', 'actual/365', 'actual/actual'),
      frequency: fc.constantFrom('weekly', 'biweekly', 'semimonthly', 'monthly'),
      future: fc.constantFrom('next_installment', 'last_installment'),
      termCount: fc.integer({ min: 1, max: 12 }),
      principal: fc.integer({ min: 1000, max: 50_000_000 }),
      // Each reschedule strategy (reschedule.ts), and none: a loan stored before the option existed.
      reschedule: fc.constantFrom(undefined, ...RESCHEDULE_STRATEGIES),
    })
    .map((g) => {
      const t = loanTerms(
        {
          ...recalculating,
          interest_recalculation: { rest: 'daily', compounding: 'none', reschedule: g.reschedule },
          day_count: g.dayCount,
          repayment_frequency: g.frequency,
          future_installments: g.future,
        },
        { principal: g.principal, term_count: g.termCount, annual_interest_rate: (g.rate / 100).toFixed(2) },
      );
      if (g.reschedule === undefined)
        t.options = { ...t.options, interestRecalculation: { rest: 'daily', compounding: 'none' } };
      return t;
    });

  it('allocations sum, principal sums to the amount financed, the journal balances and equals the state', () => {
    fc.assert(
      fc.property(
        termsArb,
        fc.array(recalculationStepArb, { maxLength: 10 }),
        fc.nat(420),
        (t, steps, at) => {
          const start = t.disbursementDate;
          const events = recalculationHistory(t, steps);
          const asOf = addDays(start, at);
          expectRecalculationInvariants(t, events, asOf);
        },
      ),
      { numRuns: 300 },
    );
  });
});
