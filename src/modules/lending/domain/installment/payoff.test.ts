import { describe, expect, it } from 'vitest';
import { d, loanTerms } from '../../../../../test/support/lending/installment.js';
import { allocatePayment } from './allocation.js';
import { installmentsFromSchedule } from './installments.js';
import { calculatePayoff } from './payoff.js';
import { generateSchedule } from './schedule.js';
import type { LoanTerms } from './terms.js';

// $12,000 at 12% over 12 months from 2024-01-15. Installment 1 ($120.00 interest + $946.19 principal) is paid on
// 2024-02-15, leaving $11,053.81; period 2 runs Feb 15 → Mar 15 (29 days) with $110.54 interest.
function afterFirstPayment(terms: LoanTerms, amount = 106_619) {
  const rows = installmentsFromSchedule(generateSchedule(terms).rows);
  const a = allocatePayment(rows, { amount, date: d('2024-02-15') }, terms);
  return { terms, installments: a.installments, creditBalance: a.credit };
}

describe('payoff', () => {
  it('till_payoff_date: interest for the days of the current period before the payoff date', () => {
    const p = calculatePayoff(afterFirstPayment(loanTerms()), d('2024-03-01'));
    // 110.54 × 15/29 = 57.18.
    expect(p).toEqual({
      date: '2024-03-01',
      principal: 1_105_381,
      interest: 5718,
      fees: 0,
      penalties: 0,
      prepaymentPenalty: 0,
      credit: 0,
      total: 1_111_099,
    });
  });

  it('till_period_end: the whole current period’s interest', () => {
    const t = { ...loanTerms(), payoffInterest: 'till_period_end' as const };
    expect(calculatePayoff(afterFirstPayment(t), d('2024-03-01'))).toMatchObject({
      interest: 11_054,
      total: 1_116_435,
    });
  });

  it('on a due date the installment due is owed in full and the next period has not started', () => {
    const p = calculatePayoff(afterFirstPayment(loanTerms()), d('2024-03-15'));
    expect(p).toMatchObject({ principal: 1_105_381, interest: 11_054 });
  });

  it('adds the prepayment penalty on principal paid before it is due, within its window', () => {
    const t: LoanTerms = {
      ...loanTerms(),
      prepaymentPenalty: { type: 'percent', percent: '2', withinInstallments: 6 },
    };
    // 2% of the $11,053.81 not yet due = $221.0762 → $221.08.
    expect(calculatePayoff(afterFirstPayment(t), d('2024-03-01'))).toMatchObject({
      prepaymentPenalty: 22_108,
      total: 1_111_099 + 22_108,
    });
    // After installment 6's due date (2024-07-15) the window is closed.
    expect(calculatePayoff(afterFirstPayment(t), d('2024-07-16')).prepaymentPenalty).toBe(0);
    const flat: LoanTerms = { ...t, prepaymentPenalty: { type: 'flat', amount: 5000 } };
    expect(calculatePayoff(afterFirstPayment(flat), d('2024-03-01')).prepaymentPenalty).toBe(5000);
  });

  it('re-applies interest paid in advance to principal', () => {
    // Paying two installments on Feb 15 pays installment 2's $110.54 interest ahead; on Mar 1 only $57.18 of it is
    // earned, so $53.36 pays principal: 11,053.81 − 955.65 − 53.36 = $10,044.80 is owed.
    const p = calculatePayoff(afterFirstPayment(loanTerms(), 2 * 106_619), d('2024-03-01'));
    expect(p).toMatchObject({ principal: 1_004_480, interest: 0, total: 1_004_480 });
  });

  it('owes past-due installments and their late fees in full', () => {
    const s = afterFirstPayment(loanTerms(), 0);
    s.installments[0]!.due.penalties = 2500;
    const p = calculatePayoff(s, d('2024-02-20'));
    // Installment 1 ($120 interest) is past due; period 2 has run 5 of 29 days: 110.54 × 5/29 = 19.06.
    expect(p).toMatchObject({ principal: 1_200_000, interest: 12_000 + 1906, penalties: 2500 });
  });
});
