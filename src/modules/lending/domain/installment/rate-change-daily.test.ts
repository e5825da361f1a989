import { describe, expect, it } from 'vitest';
import { d, loanTerms } from '../../../../../test/support/lending/installment.js';
import type { LoanEvent } from './events.js';
import { isBalanced, journalBalances } from './ledger.js';
import { calculatePayoff } from './payoff.js';
import { replay } from './replay.js';

/**
 * The `rate_change` action on a daily-interest loan: the period holding the date earns the old rate for its days
 * before it and the new rate from it, each part by the day count and rounded on its own (Fineract's cumulative
 * generator splits a period at an interest-rate term variation the same way:
 * CumulativeDecliningBalanceInterestLoanScheduleGenerator.calculatePrincipalInterestComponentsForPeriod), and
 * accrual recognises exactly that day by day: the old rate up to the date, then the new one, never restating the
 * days before it.
 */

// $12,000 at 24%, actual/365, disbursed 2024-01-15; the second period runs 2024-02-15 .. 03-15 (29 days).
const terms = loanTerms(
  { interest_calculation: 'daily', day_count: 'actual/365' },
  { annual_interest_rate: '24', term_count: 6 },
);
const ev = (k: number, date: string, spec: Record<string, unknown>) =>
  ({ id: `e${k}`, sequence: k, effectiveDate: d(date), ...spec }) as LoanEvent;
const events = (...changes: [string, string][]): LoanEvent[] => [
  ev(1, '2024-01-10', { type: 'approve' }),
  ev(2, '2024-01-15', { type: 'disburse' }),
  ...changes.map(([date, rate], k) => ev(3 + k, date, { type: 'rate_change', annualInterestRate: rate })),
];
const state = (asOf: string, evs: LoanEvent[], closeOfBusiness = true) => {
  const r = replay(terms, evs, d(asOf), { closeOfBusiness });
  if (!r.ok) throw new Error(r.error.message);
  expect(r.value.journal.every(isBalanced)).toBe(true);
  expect(journalBalances(r.value.journal)).toEqual(r.value.balances);
  return r.value;
};
/** round(B × R × days / 365), half even like the program's default, for amounts far from a tie. */
const part = (b: number, percent: number, days: number) => Math.round((b * percent * days) / 36_500);

describe('rate_change on a daily-interest loan', () => {
  const opening = state('2024-02-15', events()).installments[1]!.openingBalance;

  it('accrues the old rate up to the date and the new one from it, day by day', () => {
    const evs = events(['2024-02-20', '6']);
    // The business date before the change: 4 days at 24% (02-15 .. 02-18 closed).
    expect(state('2024-02-18', evs).installments[1]!.accrued).toBe(part(opening, 24, 4));
    // Closed through 02-29 (a leap year): 5 days at 24%, then 10 at 6%.
    const accrued = state('2024-02-29', evs).installments[1]!.accrued;
    expect(accrued).toBe(part(opening, 24, 5) + part(opening, 6, 10));
    // Every day's accrual is non-negative: the days before the change are never restated at the new rate.
    let before = 0;
    for (let day = 15; day <= 29; day++) {
      const now = state(`2024-02-${day}`, evs).installments[1]!.accrued;
      expect(now).toBeGreaterThanOrEqual(before);
      before = now;
    }
  });

  it('makes the period’s interest the sum of both parts, which accrual reaches on the due date', () => {
    const s = state('2024-03-15', events(['2024-02-20', '6']));
    const row = s.installments[1]!;
    expect(row.interestAccrual).toBe(part(opening, 24, 5) + part(opening, 6, 24));
    expect(row.accrued).toBe(row.interestAccrual);
  });

  it('splits a period at each of two changes in it', () => {
    const s = state('2024-02-29', events(['2024-02-20', '6'], ['2024-02-25', '12']));
    const row = s.installments[1]!;
    expect(row.accrued).toBe(part(opening, 24, 5) + part(opening, 6, 5) + part(opening, 12, 5));
    expect(row.interestAccrual).toBe(part(opening, 24, 5) + part(opening, 6, 5) + part(opening, 12, 19));
  });

  it('quotes a payoff with the interest earned at each rate', () => {
    const s = state('2024-02-29', events(['2024-02-20', '6']), false);
    const p = calculatePayoff(s, d('2024-02-29'));
    const first = state('2024-02-29', events(['2024-02-20', '6']), false).installments[0]!;
    // Installment 1 is due and unpaid; the current period earned 5 days at 24% and 9 at 6% (to 02-29, exclusive).
    expect(p.interest).toBe(first.due.interest + part(opening, 24, 5) + part(opening, 6, 9));
  });
});
