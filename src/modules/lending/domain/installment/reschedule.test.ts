import { describe, expect, it } from 'vitest';
import { d, loanTerms, program } from '../../../../../test/support/lending/installment.js';
import type { LoanEvent } from './events.js';
import type { Installment } from './installments.js';
import { dayInterest, interestBasis } from './interest.js';
import { isBalanced, journalBalances } from './ledger.js';
import { calculatePayoff } from './payoff.js';
import { RESCHEDULE_STRATEGIES, type RescheduleStrategy } from './recalculation-terms.js';
import { replay } from './replay.js';
import { parseProgramTerms } from './resolve.js';
import { generateSchedule } from './schedule.js';
import type { LoanTerms } from './terms.js';

// Fineract's progressive case (ProgressiveEMICalculatorTest, fineract-progressive-loan): 100.00 disbursed 2024-01-01,
// 6 monthly repayments from 2024-02-01, 7 % nominal, 30-day months over a 360-day year; here daily interest by
// 30/360, which counts a whole month as Fineract does (0.58 on 100.00) and a part of a month by 30/360 days (where
// Fineract takes actual days over the month's: 14 days of January earn 0.27 here, 0.26 there).
const fineract = (reschedule?: RescheduleStrategy, future = 'next_installment'): LoanTerms =>
  loanTerms(
    {
      interest_calculation: 'daily',
      day_count: '30/360',
      future_installments: future,
      interest_recalculation: { rest: 'daily', compounding: 'none', reschedule },
    },
    {
      principal: 10_000,
      term_count: 6,
      annual_interest_rate: '7',
      disbursement_date: '2024-01-01',
      first_payment_date: '2024-02-01',
    },
  );
/** A loan stored before `reschedule` existed: each installment keeps its scheduled principal. */
const stored = (t: LoanTerms): LoanTerms => ({
  ...t,
  options: { ...t.options, interestRecalculation: { rest: 'daily', compounding: 'none' } },
});

const opening = (t: LoanTerms): LoanEvent[] => [
  { id: 'approve', sequence: 1, effectiveDate: t.disbursementDate, type: 'approve' },
  { id: 'disburse', sequence: 2, effectiveDate: t.disbursementDate, type: 'disburse' },
];
const pay = (sequence: number, date: string, amount: number): LoanEvent => ({
  id: `p${sequence}`,
  sequence,
  effectiveDate: d(date),
  type: 'payment',
  amount,
});
const state = (t: LoanTerms, events: LoanEvent[], asOf: string, closeOfBusiness = true) => {
  const r = replay(t, events, d(asOf), { closeOfBusiness });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const owed = (r: Installment) => ({ principal: r.due.principal, interest: r.due.interest });
const sum = (rows: readonly Installment[], f: (r: Installment) => number) =>
  rows.reduce((s, r) => s + f(r), 0);
/** Σ principal is the amount financed, Σ interest due is Σ earned, the journal balances and equals the state. */
function expectWhole(t: LoanTerms, s: ReturnType<typeof state>): void {
  expect(sum(s.installments, (r) => r.due.principal)).toBe(t.amountFinanced);
  expect(sum(s.installments, (r) => r.due.interest)).toBe(sum(s.installments, (r) => r.interestAccrual));
  expect(s.journal.every(isBalanced)).toBe(true);
  expect(journalBalances(s.journal)).toEqual(s.balances);
}

describe('reschedule terms', () => {
  it('defaults to adjust_last_unpaid_period; a loan stored without it keeps its scheduled principal', () => {
    expect(fineract().options.interestRecalculation).toEqual({
      rest: 'daily',
      compounding: 'none',
      reschedule: 'adjust_last_unpaid_period',
    });
    const t = stored(fineract());
    const s = state(t, [...opening(t), pay(3, '2024-01-15', 1701)], '2024-01-15');
    expect(s.installments[0]!.due.principal).toBe(generateSchedule(t).rows[0]!.principal);
  });

  it('defaults to reschedule_next_repayments with equal principal, where adjust_last_unpaid_period is refused', () => {
    const terms = { interest_calculation: 'daily', amortization: 'equal_principal' };
    expect(
      loanTerms({ ...terms, interest_recalculation: {} }).options.interestRecalculation?.reschedule,
    ).toBe('reschedule_next_repayments');
    // Fineract LoanProductDataValidator: "Adjust last, unpaid period is only supported for Progressive loan
    // schedule type" (equal installments).
    const r = parseProgramTerms({
      ...program(),
      ...terms,
      interest_recalculation: { reschedule: 'adjust_last_unpaid_period' },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(JSON.stringify(r.error)).toContain('interest_recalculation.reschedule');
  });

  it('refuses an unknown strategy naming the field', () => {
    const r = parseProgramTerms({
      ...program(),
      interest_calculation: 'daily',
      interest_recalculation: { reschedule: 'reduce_term' },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(JSON.stringify(r.error)).toContain('interest_recalculation');
  });
});

describe('an installment paid in full before its due date', () => {
  it('is settled with the interest to the payment and the loan is not delinquent at its due date', () => {
    // The defect the default removes: 1,200.00 at 12 %, actual/365; the first installment paid on 01-30.
    const options = {
      interest_calculation: 'daily',
      day_count: 'actual/365',
      interest_recalculation: { rest: 'daily', compounding: 'none' },
    };
    const t = loanTerms(options, { term_count: 6 });
    const first = generateSchedule(t).rows[0]!;
    const events = [...opening(t), pay(3, '2024-01-30', first.total)];
    const paid = state(t, events, '2024-01-30');
    const earned = dayInterest(interestBasis(t), t.amountFinanced, first.periodStart, d('2024-01-30'));
    expect(owed(paid.installments[0]!)).toEqual({ principal: first.total - earned, interest: earned });
    for (const asOf of ['2024-02-15', '2024-02-20']) {
      const s = state(t, events, asOf);
      expect(s.installments[0]!.due).toEqual(s.installments[0]!.paid);
      expect(s.daysPastDue).toBe(0);
      expect(s.status).toBe('active');
      expectWhole(t, s);
    }
    // The interest the period earns after the payment is due with the next installment, which keeps its amount.
    const s = state(t, events, '2024-02-15');
    const second = generateSchedule(t).rows[1]!;
    expect(s.installments[1]!.due.principal + s.installments[1]!.due.interest).toBe(second.total);
    // A loan stored before the option: the same payment leaves those cents overdue at the due date.
    const old = state(stored(t), events, '2024-02-20');
    expect(old.status).toBe('delinquent');
    expect(old.dueNow.interest).toBeGreaterThan(0);
  });

  it('reproduces ProgressiveEMICalculatorTest …payoff_on0115: 17.01 a month, five paid on 01-15', () => {
    const t = fineract();
    // Fineract: EMI 17.01, the first installment 16.43 principal + 0.58 interest.
    expect(
      generateSchedule(t)
        .rows.map((r) => r.total)
        .slice(0, 5),
    ).toEqual([1701, 1701, 1701, 1701, 1701]);
    expect(generateSchedule(t).rows[0]).toMatchObject({ principal: 1643, interest: 58 });
    const events = [...opening(t), pay(3, '2024-01-15', 5 * 1701)];
    const s = state(t, events, '2024-02-01');
    const earned = dayInterest(interestBasis(t), 10_000, d('2024-01-01'), d('2024-01-15'));
    expect(earned).toBe(27); // Fineract 0.26 (see above)
    // Fineract: 16.75 + 0.26, then four installments of 17.01 principal and no interest, the last 15.21 + 0.50:
    // the interest the remaining balance earns from 01-15 (0.05 to 02-01, 0.09 a month) moves to the last.
    expect(s.installments.map(owed)).toEqual([
      { principal: 1701 - earned, interest: earned },
      { principal: 1701, interest: 0 },
      { principal: 1701, interest: 0 },
      { principal: 1701, interest: 0 },
      { principal: 1701, interest: 0 },
      { principal: 10_000 - 5 * 1701 + earned, interest: 5 + 5 * 9 },
    ]);
    expect(s.status).toBe('active');
    expect(s.daysPastDue).toBe(0);
    expectWhole(t, s);
    // The payment's lines say where settling put its principal: 16.74 on the first and 17.01 on each of the next
    // four, nothing on the last (the waterfall paid each its scheduled principal, 16.43 on the first, and the
    // rest on the last, from which settling took it back).
    expect(s.payments[0]!.lines.map((l) => [l.installment, l.component, l.amount])).toEqual([
      [1, 'interest', earned],
      [1, 'principal', 1701 - earned],
      [2, 'principal', 1701],
      [3, 'principal', 1701],
      [4, 'principal', 1701],
      [5, 'principal', 1701],
    ]);
    // A payoff on 03-10 owes the balance and the interest earned to then, and pays the loan off.
    const during = state(t, events, '2024-03-10', false);
    const quote = calculatePayoff(during, d('2024-03-10'));
    const balance = 10_000 - 5 * 1701 + earned;
    expect(quote.principal).toBe(balance);
    expect(quote.interest).toBe(
      5 + 9 + dayInterest(interestBasis(t), balance, d('2024-03-01'), d('2024-03-10')),
    );
    const off = state(
      t,
      [
        ...events,
        { id: 'off', sequence: 4, effectiveDate: d('2024-03-10'), type: 'payoff', amount: quote.total },
      ],
      '2024-03-10',
    );
    expect(off.status).toBe('paid_off');
  });

  it('moves the interest after the payment to the next unpaid installment, which keeps its amount (…on0215)', () => {
    // Fineract …add_balance_correction_on0215: the second installment paid on 02-15 (16.77 + 0.24), the third
    // then owes 0.39 + the 0.20 the second period earned after the payment, and 17.01 in all (16.42 principal).
    const t = fineract();
    const events = [...opening(t), pay(3, '2024-02-01', 1701), pay(4, '2024-02-15', 1701)];
    const s = state(t, events, '2024-02-15');
    const b = interestBasis(t);
    const balance1 = 10_000 - 1643;
    const earned = dayInterest(b, balance1, d('2024-02-01'), d('2024-02-15'));
    const balance2 = balance1 - (1701 - earned);
    const after = dayInterest(b, balance2, d('2024-02-15'), d('2024-03-01'));
    const own = dayInterest(b, balance2, d('2024-03-01'), d('2024-04-01'));
    expect(owed(s.installments[1]!)).toEqual({ principal: 1701 - earned, interest: earned });
    expect(owed(s.installments[2]!)).toEqual({ principal: 1701 - own - after, interest: own + after });
    expect(s.installments.slice(3, 5).map((r) => r.due.principal + r.due.interest)).toEqual([1701, 1701]);
    expectWhole(t, s);
    // Close of business through the second due date: nothing overdue, the third period projected the same.
    const later = state(t, events, '2024-03-05');
    expect(later.daysPastDue).toBe(0);
    expect(owed(later.installments[2]!)).toEqual(owed(s.installments[2]!));
  });
});

describe('what a prepayment does to the later installments, by strategy', () => {
  // 17.01 on 02-01 (the first installment), 57.01 on 02-10: the second installment is settled with 0.15 interest
  // to 02-10 (16.86 principal), the third and fourth are prepaid in full (17.01 principal, no interest), and 5.98
  // is prepaid on the fifth. The interest their periods earn after the payment (0.11 + 0.16 + 0.16) moves to the
  // fifth, the next unpaid one (…on0215).
  const run = (reschedule: RescheduleStrategy) => {
    const t = fineract(reschedule);
    const s = state(t, [...opening(t), pay(3, '2024-02-01', 1701), pay(4, '2024-02-10', 5701)], '2024-02-10');
    expectWhole(t, s);
    expect(s.installments.slice(1, 4).map(owed)).toEqual([
      { principal: 1686, interest: 15 },
      { principal: 1701, interest: 0 },
      { principal: 1701, interest: 0 },
    ]);
    expect(s.installments.slice(1, 4).every((r) => r.due.principal === r.paid.principal)).toBe(true);
    const [fifth, sixth] = s.installments.slice(4);
    return { t, fifth: fifth!, sixth: sixth! };
  };
  const moved = 11 + 16 + 16;

  it('adjust_last_unpaid_period: the next installment keeps its amount, the last takes the difference', () => {
    const { fifth, sixth } = run('adjust_last_unpaid_period');
    expect(owed(fifth)).toEqual({ principal: 1701 - 16 - moved, interest: 16 + moved });
    expect(fifth.paid.principal).toBe(598);
    expect(owed(sixth)).toEqual({ principal: 10_000 - 1643 - 1686 - 2 * 1701 - 1642, interest: 9 });
  });

  it('reduce_number_of_installments: the next installments owe their whole amount, the prepayment the last', () => {
    const { fifth, sixth } = run('reduce_number_of_installments');
    expect(owed(fifth)).toEqual({ principal: 1642, interest: 59 });
    expect(fifth.paid.principal).toBe(0);
    // The last holds the prepaid 5.98: it owes less, and its period earns on less.
    expect(sixth.paid.principal).toBe(598);
    expect(sixth.due.interest).toBe(6);
  });

  it('reduce_emi: the installments not started are re-amortized over the same dates from the balance left', () => {
    const { fifth, sixth } = run('reduce_emi');
    expect(fifth.paid.principal).toBe(598);
    // The fifth (less the interest moved onto it) and the sixth owe a level amount, less than 17.01.
    const level = fifth.due.principal - fifth.paid.principal + fifth.due.interest - moved;
    expect(level).toBeLessThan(1701);
    expect(Math.abs(sixth.due.principal + sixth.due.interest - level)).toBeLessThanOrEqual(1);
  });

  it('reschedule_next_repayments: the next installments keep their scheduled principal, the last the rest', () => {
    const { t, fifth, sixth } = run('reschedule_next_repayments');
    expect(fifth.due.principal).toBe(generateSchedule(t).rows[4]!.principal);
    expect(fifth.paid.principal).toBe(598);
    expect(sixth.due.principal).toBe(10_000 - 1643 - 1686 - 2 * 1701 - fifth.due.principal);
  });

  it('every strategy: the payoff quote pays the loan off, and close of business to maturity leaves nothing', () => {
    for (const reschedule of RESCHEDULE_STRATEGIES) {
      const t = fineract(reschedule);
      const events = [...opening(t), pay(3, '2024-01-20', 3000), pay(4, '2024-03-01', 1701)];
      const quote = calculatePayoff(state(t, events, '2024-04-10', false), d('2024-04-10'));
      const off = state(
        t,
        [
          ...events,
          { id: 'off', sequence: 5, effectiveDate: d('2024-04-10'), type: 'payoff', amount: quote.total },
        ],
        '2024-04-10',
      );
      expect(off.status).toBe('paid_off');
      expectWhole(t, off);
      // Paid as due from then: each remaining installment on its due date settles the loan at maturity.
      let paid = state(t, events, '2024-03-01');
      let seq = 5;
      const all = [...events];
      for (const r of paid.installments.filter((x) => x.dueDate > d('2024-03-01'))) {
        paid = state(t, all, r.dueDate, false);
        const row = paid.installments.find((x) => x.number === r.number)!;
        const due = row.due.principal + row.due.interest - row.paid.principal - row.paid.interest;
        if (due > 0) all.push(pay(seq++, r.dueDate, due));
      }
      const end = state(t, all, '2024-07-01');
      expect(end.status).toBe('paid_off');
      expectWhole(t, end);
    }
  });
});
