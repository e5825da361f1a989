import { describe, expect, it } from 'vitest';
import {
  fineract100At7,
  fineractProgressive360,
} from '../../../../../test/support/lending/fineract-progressive.js';
import { d, loanTerms } from '../../../../../test/support/lending/installment.js';
import { payment, replayed } from '../../../../../test/support/lending/recalculation.js';
import type { LoanEvent } from './events.js';
import { dayInterest, interestBasis } from './interest.js';
import { replay } from './replay.js';
import type { LoanTerms } from './terms.js';

// The `rate_change` action on a recalculating loan (rate-change.ts `changeRecalculatedRate`): the running period
// earns the old rate to the date and the new one after it, each stretch on the balance outstanding, and later
// periods earn the new rate on the live balance; the recalculation state (period factors, principal pending its
// rest date, the stretch past maturity) is kept.

const state = (terms: LoanTerms, events: LoanEvent[], asOf: string) => replayed(terms, events, asOf);
const opening = (approve: string, disburse: string): LoanEvent[] => [
  { id: 'approve', sequence: 1, effectiveDate: d(approve), type: 'approve' },
  { id: 'disburse', sequence: 2, effectiveDate: d(disburse), type: 'disburse' },
];
const rateChange = (sequence: number, date: string, rate: string): LoanEvent => ({
  id: `rate-${sequence}`,
  sequence,
  effectiveDate: d(date),
  type: 'rate_change',
  annualInterestRate: rate,
});
const interest = (terms: LoanTerms, events: LoanEvent[], asOf: string) =>
  state(terms, events, asOf).installments.map((r) => r.interestAccrual);

describe('rate_change on a progressive recalculating loan (period_days)', () => {
  it('splits the period at the date, each stretch at its rate factor (ProgressiveEMICalculatorTest …on0215_4per)', () => {
    // Fineract's …reschedule_interest_on0215_4per: 100.00 at 7 %, 30/360, 4 % from 02-15 (effective from D − 1, so
    // Plinth's 02-14), each installment paid on its due date: period 2 earns 83.57 × 0.07/12 × 13/29 = 0.22 plus
    // 83.57 × 0.04/12 × 16/29 = 0.15; the interest column 0.58, 0.37, 0.22, 0.17, 0.11, 0.06. (Its principal column
    // differs: Fineract re-amortizes the EMI from period 2 at 4 % (16.90); the reschedule strategy here keeps the
    // level payment of the terms in force, 16.86.)
    const terms = loanTerms(fineractProgressive360, fineract100At7);
    const events = [...opening('2023-12-31', '2024-01-01'), rateChange(3, '2024-02-14', '4')];
    const dues = ['2024-02-01', '2024-03-01', '2024-04-01', '2024-05-01', '2024-06-01', '2024-07-01'];
    for (const [k, due] of dues.entries()) {
      const r = replay(terms, events, d(due), { closeOfBusiness: false });
      if (!r.ok) throw new Error(r.error.message);
      const row = r.value.installments[k]!;
      const owed = row.due.principal + row.due.interest - row.paid.principal - row.paid.interest;
      events.push(payment(`p${k}`, 10 + k, due, owed));
    }
    const s = state(terms, events, '2024-07-02');
    expect(s.status).toBe('paid_off');
    expect(s.installments.map((r) => r.interestAccrual)).toEqual([58, 37, 22, 17, 11, 6]);
  });

  it('after a prepayment: each stretch on the balance left, the later periods at the new rate', () => {
    // Days in month and year actual (2024: φ = days / 366): 30.00 paid on 01-15 leaves 70.26 (0.26 of interest to
    // 01-15 paid first), which earns to maturity as nothing more is paid (overdue principal keeps earning).
    const terms = loanTerms(
      { ...fineractProgressive360, days_in_month: 'actual', days_in_year: 'actual' },
      fineract100At7,
    );
    const events = [...opening('2023-12-31', '2024-01-01'), payment('p', 3, '2024-01-15', 3_000)];
    const balance = 7_026;
    const at = (rate: number, days: number) => Math.round((balance * rate * days) / 36_600);
    const changed = [...events, rateChange(4, '2024-02-15', '4')];
    expect(state(terms, changed, '2024-02-15').installments[1]!.interestStretch).toEqual({
      since: '2024-02-15',
      earned: at(7, 14),
      balance,
    });
    // Period 2 (02-01..03-01): 14 days at 7 %, 15 at 4 %; then 31, 30, 31, 30 days at 4 % (0.24, 0.23, ...).
    const expected = [at(7, 14) + at(4, 15), at(4, 31), at(4, 30), at(4, 31), at(4, 30)];
    expect(expected).toEqual([31, 24, 23, 24, 23]);
    expect(interest(terms, changed, '2024-08-01').slice(1)).toEqual(expected);
    // Without the change the same periods earn 7 %.
    expect(interest(terms, events, '2024-08-01').slice(1)).toEqual([39, 42, 40, 42, 40]);
  });
});

describe('rate_change on a daily recalculating loan', () => {
  // 12,000.00 at 12 %, actual/365, 6 monthly installments from 2024-01-15.
  const daily = (rest: string) =>
    loanTerms(
      {
        interest_calculation: 'daily',
        day_count: 'actual/365',
        interest_recalculation: { rest, compounding: 'none' },
      },
      { term_count: 6 },
    );

  it('keeps the principal pending its rest date earning, at the new rate from the date', () => {
    // Rest same_as_repayment: 3,000.00 prepaid on 02-20 lowers the balance only from the rest date 03-15, so period
    // 2 (02-15..03-15) earns on the whole balance B: 15 days at 12 % and 14 days at 6 %; period 3 earns 6 % on P.
    const terms = daily('same_as_repayment');
    const b = interestBasis(terms);
    const at6 = { ...b, rate: { num: 6n, den: 100n } };
    const events = [
      ...opening('2024-01-14', '2024-01-15'),
      payment('p1', 3, '2024-02-15', 207_000),
      payment('p2', 4, '2024-02-20', 300_000),
      rateChange(5, '2024-03-01', '6'),
    ];
    const before = state(terms, events.slice(0, 4), '2024-02-29');
    const bal = before.installments.reduce((s, r) => s + r.due.principal - r.paid.principal, 0);
    const pending = before.basis.restPending!;
    expect(pending.until).toBe('2024-03-15');
    const whole = bal + pending.amount;
    const s = state(terms, events, '2024-03-15');
    const row2 = s.installments[1]!.interestAccrual;
    // Earned to 03-01 (accrual counted back at 12 %) plus B at 6 % to the due date; within a cent of the two
    // stretches each rounded (the recalculation's rounding of accrual counted back from the due date).
    expect(row2).toBe(
      before.installments[1]!.accrued + dayInterest(at6, whole, d('2024-03-01'), d('2024-03-15')),
    );
    const stretches =
      dayInterest(b, whole, d('2024-02-15'), d('2024-03-01')) +
      dayInterest(at6, whole, d('2024-03-01'), d('2024-03-15'));
    expect(Math.abs(row2 - stretches)).toBeLessThanOrEqual(1);
    expect(s.installments[2]!.interestAccrual).toBe(dayInterest(at6, bal, d('2024-03-15'), d('2024-04-15')));
  });

  it('past maturity: the last installment earns the new rate on the balance from the date', () => {
    const terms = daily('daily');
    const b = interestBasis(terms);
    const at6 = { ...b, rate: { num: 6n, den: 100n } };
    const events = [...opening('2024-01-14', '2024-01-15'), rateChange(3, '2024-08-01', '6')];
    const last = (asOf: string) => state(terms, events, asOf).installments[5]!.interestAccrual;
    // Nothing paid: 12,000.00 earns 12 % to 07-31, then 6 %.
    expect(last('2024-07-31')).toBe(
      state(terms, events.slice(0, 2), '2024-07-31').installments[5]!.interestAccrual,
    );
    expect(last('2024-08-31') - last('2024-07-31')).toBe(
      dayInterest(at6, 1_200_000, d('2024-08-01'), d('2024-09-01')),
    );
  });
});
