import fc from 'fast-check';
import { expect } from 'vitest';
import { addDays, type CalendarDate } from '../../../src/kernel/dates.js';
import {
  roundRatio,
  toMinor,
  YEAR_UNITS,
  yearFractionUnits,
} from '../../../src/modules/lending/domain/exact.js';
import type { LoanEvent } from '../../../src/modules/lending/domain/installment/events.js';
import { isBalanced, journalBalances } from '../../../src/modules/lending/domain/installment/ledger.js';
import { calculatePayoff } from '../../../src/modules/lending/domain/installment/payoff.js';
import { type LoanState, replay } from '../../../src/modules/lending/domain/installment/replay.js';
import { isServicing } from '../../../src/modules/lending/domain/installment/servicing.js';
import { COMPONENTS, type LoanTerms } from '../../../src/modules/lending/domain/installment/terms.js';
import { d, loanTerms } from './installment.js';

/** Test fixtures for interest recalculation: 1,200.00 at 12 % a year, actual/365, 6 monthly installments from 2024-01-15. */
export const recalculatingTerms = (recalculation: Record<string, unknown>): LoanTerms =>
  loanTerms(
    { interest_calculation: 'daily', day_count: 'actual/365', interest_recalculation: recalculation },
    { term_count: 6 },
  );

export const opening: LoanEvent[] = [
  { id: 'approve', sequence: 1, effectiveDate: d('2024-01-14'), type: 'approve' },
  { id: 'disburse', sequence: 2, effectiveDate: d('2024-01-15'), type: 'disburse' },
];

export const payment = (id: string, sequence: number, date: string, amount: number): LoanEvent => ({
  id,
  sequence,
  effectiveDate: d(date),
  type: 'payment',
  amount,
});

/** The replayed state, or the replay's error thrown. */
export function replayed(terms: LoanTerms, events: LoanEvent[], asOf: string, closeOfBusiness = true) {
  const r = replay(terms, events, d(asOf), { closeOfBusiness });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** round(12 % × Σ balance × yf(part)) over the parts by actual/365, rounded once (recalculation.ts `earning`). */
export function earned(parts: [number, string, string][]): number {
  let units = 0n;
  for (const [balance, from, to] of parts)
    units += BigInt(balance) * yearFractionUnits('actual/365', d(from), d(to));
  return toMinor(roundRatio(units * 12n, 100n * YEAR_UNITS, 'half_even'));
}

/**
 * The invariants every recalculating loan keeps after any history (the property tests): the journal balances,
 * principal sums to the amount financed, nothing is owed below zero, a period that ended recognised all it earned,
 * payments' lines sum and say what each installment was paid, interest is paid no faster than it is recognised,
 * and interest recognised never goes back. Returns the state on `asOf`.
 */
export function expectRecalculationInvariants(
  t: LoanTerms,
  events: LoanEvent[],
  asOf: CalendarDate,
): LoanState {
  const r = replay(t, events, asOf);
  if (!r.ok) throw new Error(r.error.message);
  const s = r.value;
  expect(s.journal.every(isBalanced)).toBe(true);
  expect(journalBalances(s.journal)).toEqual(s.balances);
  expect(s.installments.reduce((sum, row) => sum + row.due.principal, 0)).toBe(t.amountFinanced);
  for (const row of s.installments) {
    expect(row.accrued).toBeGreaterThanOrEqual(0);
    expect(row.accrued).toBeLessThanOrEqual(row.interestAccrual);
    for (const c of COMPONENTS) expect(row.due[c] - row.paid[c] - row.waived[c]).toBeGreaterThanOrEqual(0);
    if (row.dueDate <= asOf && isServicing(s.status)) expect(row.accrued).toBe(row.interestAccrual);
  }
  for (const p of s.payments)
    if (p.reversedOn === null)
      expect(p.lines.reduce((sum, l) => sum + l.amount, 0) + p.credit).toBe(p.amount);
  expect(paidByLines(s)).toEqual(s.installments.map((row) => row.paid));
  // Interest is never paid ahead of being earned, deferred interest included (allocation.ts).
  const total = (f: (row: LoanState['installments'][number]) => number) =>
    s.installments.reduce((sum, row) => sum + f(row), 0);
  expect(total((row) => row.paid.interest)).toBeLessThanOrEqual(total((row) => row.accrued));
  // A payment lowers what is still to be earned, not what was.
  const before = replay(t, events, addDays(asOf, -1));
  if (before.ok) expect(s.interestAccrued).toBeGreaterThanOrEqual(before.value.interestAccrued);
  return s;
}

/**
 * What the payments' lines say each installment was paid, by component: equal to the installments' paid amounts
 * when the history has payments only (no payoff reclassifies them), whatever settling moved between installments.
 */
export function paidByLines(s: LoanState): Record<(typeof COMPONENTS)[number], number>[] {
  const paid = s.installments.map(() => Object.fromEntries(COMPONENTS.map((c) => [c, 0])));
  for (const p of s.payments)
    if (p.reversedOn === null) for (const l of p.lines) paid[l.installment - 1]![l.component]! += l.amount;
  return paid as Record<(typeof COMPONENTS)[number], number>[];
}

/** A step of a drawn history: a payment of a share of an installment on a day, or a reversal of an earlier one. */
export const recalculationStepArb = fc.record({
  day: fc.nat(400),
  share: fc.double({ min: 0.05, max: 1.8, noNaN: true }),
  reverse: fc.boolean(),
});

/** The loan's history from drawn steps: each event kept only when the loan accepts it. */
export function recalculationHistory(
  t: LoanTerms,
  steps: readonly { day: number; share: number; reverse: boolean }[],
): LoanEvent[] {
  const start = t.disbursementDate;
  const installment = Math.ceil(t.amountFinanced / t.termCount);
  let events: LoanEvent[] = [
    { id: 'approve', sequence: 1, effectiveDate: addDays(start, -1), type: 'approve' },
    { id: 'disburse', sequence: 2, effectiveDate: start, type: 'disburse' },
  ];
  steps.forEach((s, k) => {
    const date = addDays(start, s.day);
    const paid = events.filter((e) => e.type === 'payment');
    const e: LoanEvent =
      s.reverse && paid.length > 0
        ? {
            id: `r${k}`,
            sequence: k + 3,
            effectiveDate: [date, paid[k % paid.length]!.effectiveDate].sort()[1]!,
            type: 'payment_reversal',
            paymentId: paid[k % paid.length]!.id,
          }
        : {
            id: `p${k}`,
            sequence: k + 3,
            effectiveDate: date,
            type: 'payment',
            amount: Math.max(1, Math.round(installment * s.share)),
          };
    if (replay(t, [...events, e], addDays(start, 500)).ok) events = [...events, e];
  });
  return events;
}

/**
 * A payoff for the quote on `asOf` (during the day) pays a servicing loan off exactly, its journal balanced. Returns
 * the paid-off state for further checks, or null when the loan is not servicing on `asOf` (nothing to pay off).
 */
export function expectPayoffQuotePaysOff(
  t: LoanTerms,
  events: LoanEvent[],
  asOf: CalendarDate,
): LoanState | null {
  const during = replay(t, events, asOf, { closeOfBusiness: false });
  if (!during.ok) throw new Error(during.error.message);
  if (!isServicing(during.value.status)) return null;
  const quote = calculatePayoff(during.value, asOf);
  const off: LoanEvent = {
    id: 'off',
    sequence: 999_999,
    effectiveDate: asOf,
    type: 'payoff',
    amount: quote.total,
  };
  const r = replay(t, [...events, off], asOf);
  if (!r.ok) throw new Error(r.error.message);
  expect(r.value.status).toBe('paid_off');
  expect(r.value.outstanding).toEqual({ principal: 0, interest: 0, fees: 0, penalties: 0 });
  expect(journalBalances(r.value.journal)).toEqual(r.value.balances);
  return r.value;
}
