import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { d, loanTerms } from '../../../../../test/support/lending/installment.js';
import { addDays, daysBetween } from '../../../../kernel/dates.js';
import { roundRatio, toMinor } from '../exact.js';
import type { LoanEvent } from './events.js';
import { isBalanced, journalBalances } from './ledger.js';
import { replay } from './replay.js';
import { generateSchedule } from './schedule.js';

/**
 * The `rate_change` action on a per_period loan: the period holding the date earns each rate in force over it for
 * its share of the period's days, round(B × R_i-weighted × φ) with one rounding, however many changes fall in it
 * and in whatever order they were recorded: the figure the planned `rate_changes` give that period
 * (rate-changes.ts, Fineract's rate factor summed over the interest periods:
 * ProgressiveEMICalculator.calculateRateFactorPerPeriod).
 */

// $12,000 at 24%, monthly 30/360, disbursed 2024-01-15; the second period runs 2024-02-15 .. 03-15 (29 days).
const terms = loanTerms({}, { annual_interest_rate: '24', term_count: 6 });
const ev = (k: number, date: string, spec: Record<string, unknown>) =>
  ({ id: `e${k}`, sequence: k, effectiveDate: d(date), ...spec }) as LoanEvent;
const opened = [ev(1, '2024-01-10', { type: 'approve' }), ev(2, '2024-01-15', { type: 'disburse' })];
const changes = (list: [string, string][], sequences = list.map((_, k) => 3 + k)): LoanEvent[] =>
  list.map(([date, rate], k) => ev(sequences[k]!, date, { type: 'rate_change', annualInterestRate: rate }));
const state = (evs: LoanEvent[], asOf = '2024-06-15') => {
  const r = replay(terms, [...opened, ...evs], d(asOf));
  if (!r.ok) throw new Error(r.error.message);
  expect(r.value.journal.every(isBalanced)).toBe(true);
  expect(journalBalances(r.value.journal)).toEqual(r.value.balances);
  return r.value;
};
const opening = generateSchedule(terms).rows[1]!.openingBalance;

/** round(B × Σ percent_i × days_i / (days × 1200)) half even (the program's default), exact. */
function weighted(balance: number, parts: [number, number][]): number {
  const num = BigInt(balance) * parts.reduce((s, [p, n]) => s + BigInt(Math.round(p * 1e4)) * BigInt(n), 0n);
  const days = parts.reduce((s, [, n]) => s + n, 0);
  return toMinor(roundRatio(num, BigInt(days) * 1200n * 10_000n, 'half_even'));
}

describe('rate_change on a per_period loan', () => {
  it('gives the period each rate for its days when two changes fall in it', () => {
    const row = state(
      changes([
        ['2024-02-20', '6'],
        ['2024-02-25', '12'],
      ]),
    ).installments[1]!;
    // 5 days at 24%, 5 at 6%, 19 at 12% of 29: 10,968. Re-weighting the first change's blend by 10 days gave 9,257.
    expect(row.interestAccrual).toBe(
      weighted(opening, [
        [24, 5],
        [6, 5],
        [12, 19],
      ]),
    );
    expect(row.due.interest).toBe(row.interestAccrual);
  });

  it('earns what the planned rate changes give the same period', () => {
    const list: [string, string][] = [
      ['2024-02-20', '6'],
      ['2024-02-25', '12'],
    ];
    const planned = loanTerms(
      { rate_changes: true },
      {
        annual_interest_rate: '24',
        term_count: 6,
        rate_changes: list.map(([effective_date, annual_interest_rate]) => ({
          effective_date,
          annual_interest_rate,
        })),
      },
    );
    expect(state(changes(list)).installments[1]!.interestAccrual).toBe(
      generateSchedule(planned).rows[1]!.interest,
    );
  });

  it('charges a period_days period its own share of a year, not a twelfth', () => {
    // Days in month and year actual: the period 2024-02-15 .. 03-15 is 29 / 366 of a year (rates.ts).
    const actual = loanTerms(
      { interest_calculation: 'period_days', days_in_month: 'actual', days_in_year: 'actual' },
      { annual_interest_rate: '24', term_count: 6 },
    );
    const r = replay(actual, [...opened, ...changes([['2024-02-20', '6']])], d('2024-03-15'));
    if (!r.ok) throw new Error(r.error.message);
    const b = generateSchedule(actual).rows[1]!.openingBalance;
    // B × (24% × 5 + 6% × 24) / 29 × 29 / 366 = B × 264 / 36,600.
    const expected = toMinor(roundRatio(BigInt(b) * 264n, 36_600n, 'half_even'));
    expect(r.value.installments[1]!.interestAccrual).toBe(expected);
  });

  it('gives n changes in one period the rate-weighted sum, whatever order they were recorded in', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 28 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 3600 }), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 23 }),
        (offsets, bps, seed) => {
          const days = [...offsets].sort((a, b) => a - b);
          const start = d('2024-02-15');
          const list = days.map((n, k): [string, string] => [addDays(start, n), (bps[k]! / 100).toString()]);
          // Recorded in some order: a change dated earlier may arrive after a later-dated one.
          const sequences = list.map((_, k) => 3 + ((k + seed) % list.length));
          const row = state(changes(list, sequences)).installments[1]!;
          const cuts = [start, ...list.map(([date]) => d(date)), d('2024-03-15')];
          const rates = [24, ...list.map(([, r]) => Number(r))];
          const parts = rates.map((p, k): [number, number] => [p, daysBetween(cuts[k]!, cuts[k + 1]!)]);
          expect(row.interestAccrual).toBe(weighted(opening, parts));
          expect(state(changes(list)).installments).toEqual(state(changes(list, sequences)).installments);
        },
      ),
      { numRuns: 40 },
    );
  });
});
