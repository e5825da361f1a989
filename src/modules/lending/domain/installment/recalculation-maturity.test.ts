import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fineractProgressive360 } from '../../../../../test/support/lending/fineract-progressive.js';
import { d, loanTerms } from '../../../../../test/support/lending/installment.js';
import {
  earned,
  expectPayoffQuotePaysOff,
  expectRecalculationInvariants,
  opening,
  payment,
  recalculatingTerms,
  recalculationHistory,
  recalculationStepArb,
  replayed,
} from '../../../../../test/support/lending/recalculation.js';
import { addDays } from '../../../../kernel/dates.js';
import type { LoanEvent } from './events.js';
import { isBalanced, journalBalances } from './ledger.js';
import { calculatePayoff } from './payoff.js';

// Interest after maturity (recalculation-maturity.ts): 12,000.00 at 12 % a year, actual/365, 6 monthly installments
// from 2024-01-15, so the last due date is 2024-07-15. Fineract's cumulative schedule with recalculation adds, past
// it, interest-only installments (AbstractCumulativeLoanScheduleGenerator.addInterestOnlyRepaymentScheduleForCurrentDate)
// each earning principal × rate × days / days in year on the balance outstanding over it (DAILY interest
// calculation), one to each transaction date and one to the business date. No Fineract test asserts such an
// installment at this checkout; the figures below are that formula's, each stretch rounded (half even) on its own.
const t = recalculatingTerms({ rest: 'daily', compounding: 'none' });
const last = (events: LoanEvent[], asOf: string, closeOfBusiness = true) =>
  replayed(t, events, asOf, closeOfBusiness).installments.at(-1)!;
const period = last(opening, '2024-07-14').interestAccrual;

describe('interest after maturity (daily recalculation)', () => {
  it('nothing paid: the last installment earns on the whole 12,000.00 past 07-15, due at once', () => {
    // Through 08-14: 31 days, 12,000.00 × 12 % × 31 / 365 = 122.30 (12,230.14 cents).
    const s = replayed(t, opening, '2024-08-14');
    const row = s.installments.at(-1)!;
    expect(row.interestAccrual - period).toBe(12_230);
    expect(row.interestAccrual - period).toBe(earned([[1_200_000, '2024-07-15', '2024-08-15']]));
    expect(row.due.interest).toBe(row.interestAccrual);
    expect(row.accrued).toBe(row.interestAccrual);
    // One day past: 3.95 (394.52 cents); nothing before the day after the due date.
    expect(last(opening, '2024-07-15').interestAccrual - period).toBe(395);
    expect(last(opening, '2024-07-14').due.interest).toBe(period);
    // Delinquent from the oldest unpaid due date (02-15); the journal carries the interest, and balances.
    expect(s.daysPastDue).toBe(181);
    expect(s.journal.every(isBalanced)).toBe(true);
    expect(journalBalances(s.journal)).toEqual(s.balances);
    const after = s.journal.filter((e) => e.kind === 'accrual' && e.date >= d('2024-07-15'));
    const posted = after.flatMap((e) => e.lines).filter((l) => l.account === 'interest_receivable');
    expect(posted.reduce((sum, l) => sum + l.amount, 0)).toBe(12_230);
  });

  it('a payment re-anchors the stretch: interest to the payment, then on the lower balance (each rounded)', () => {
    // 500.00 on 07-25 pays the first installment's interest and 377.70 of its principal. Fineract's two
    // interest-only installments: 07-15 to 07-25 on 12,000.00 (39.45) and 07-25 to 08-15 on 11,622.30 (80.24).
    const events = [...opening, payment('p', 3, '2024-07-25', 50_000)];
    const row = last(events, '2024-08-14');
    expect(row.interestAccrual - period).toBe(3_945 + 8_024);
    expect(row.interestAccrual - period).toBe(
      earned([[1_200_000, '2024-07-15', '2024-07-25']]) + earned([[1_162_230, '2024-07-25', '2024-08-15']]),
    );
    // Its reversal restates the history as if it had not been received.
    const reversal: LoanEvent = {
      id: 'r',
      sequence: 4,
      effectiveDate: d('2024-08-01'),
      type: 'payment_reversal',
      paymentId: 'p',
    };
    const restated = replayed(t, [...events, reversal], '2024-08-14');
    const without = replayed(t, opening, '2024-08-14');
    expect(restated.installments).toEqual(without.installments);
    expect(restated.balances).toEqual(without.balances);
  });

  it('the payoff quote owes the interest to the payoff date, and pays the loan off', () => {
    const events = [...opening, payment('p', 3, '2024-07-25', 50_000)];
    const during = replayed(t, events, '2024-08-14', false);
    const quote = calculatePayoff(during, d('2024-08-14'));
    const row = during.installments.at(-1)!;
    // To 08-14 (the payoff day not counted): 39.45 + 11,622.30 × 12 % × 20 / 365 (76.42).
    expect(row.due.interest - period).toBe(3_945 + 7_642);
    let owed = 0;
    for (const r of during.installments) owed += r.due.interest - r.paid.interest;
    expect(quote.interest).toBe(owed);
    const off: LoanEvent = {
      id: 'off',
      sequence: 4,
      effectiveDate: d('2024-08-14'),
      type: 'payoff',
      amount: quote.total,
    };
    const paid = replayed(t, [...events, off], '2024-08-20');
    expect(paid.status).toBe('paid_off');
    expect(paid.outstanding).toEqual({ principal: 0, interest: 0, fees: 0, penalties: 0 });
    expect(journalBalances(paid.journal)).toEqual(paid.balances);
  });

  it('with compounding the overdue interest earns from the last due date too', () => {
    // What is overdue at 07-15 (the whole principal and every installment's interest) opens the stretch.
    const c = recalculatingTerms({ rest: 'daily', compounding: 'interest' });
    const s = replayed(c, opening, '2024-07-14');
    const interest = s.installments.reduce((sum, r) => sum + r.due.interest, 0);
    const row = s.installments.at(-1)!;
    expect(s.basis.afterMaturity).toEqual({
      row: 6,
      since: d('2024-07-15'),
      earned: row.interestAccrual,
      balance: 1_200_000 + interest,
    });
    const later = replayed(c, opening, '2024-07-15').installments.at(-1)!;
    expect(later.interestAccrual - row.interestAccrual).toBe(
      earned([[1_200_000 + interest, '2024-07-15', '2024-07-16']]),
    );
  });

  it('the progressive schedule charges nothing after maturity, as Fineract’s ProgressiveEMICalculator', () => {
    // ProgressiveEMICalculatorTest …add_balance_correction_on0215: 0.10 payable on the last due date and still on
    // 07-15; e2e "Interest recalculation - S1" (nothing paid): the last period's 0.58 as of 15 July 2024.
    const p = loanTerms(fineractProgressive360, {
      principal: 10_000,
      annual_interest_rate: '7',
      term_count: 6,
      disbursement_date: '2024-01-01',
      first_payment_date: '2024-02-01',
    });
    const events: LoanEvent[] = [
      { id: 'approve', sequence: 1, effectiveDate: d('2024-01-01'), type: 'approve' },
      { id: 'disburse', sequence: 2, effectiveDate: d('2024-01-01'), type: 'disburse' },
    ];
    const s = replayed(p, events, '2024-08-15');
    expect(s.installments.at(-1)!.due.interest).toBe(58);
    expect(s.basis.afterMaturity).toBeUndefined();
  });
});

describe('short loans run past maturity, any payments', () => {
  const termsArb = fc
    .record({
      rate: fc.integer({ min: 0, max: 3600 }),
      dayCount: fc.constantFrom('30/360', 'actual/360', 'actual/365', 'actual/actual'),
      frequency: fc.constantFrom('weekly', 'biweekly', 'monthly'),
      termCount: fc.integer({ min: 1, max: 3 }),
      rest: fc.constantFrom('daily', 'same_as_repayment'),
      compounding: fc.constantFrom('none', 'interest'),
    })
    .map((g) =>
      loanTerms(
        {
          interest_calculation: 'daily',
          day_count: g.dayCount,
          repayment_frequency: g.frequency,
          interest_recalculation: {
            rest: g.rest,
            compounding: g.rest === 'daily' ? g.compounding : 'none',
          },
        },
        { principal: 500_000, term_count: g.termCount, annual_interest_rate: (g.rate / 100).toFixed(2) },
      ),
    );

  it('the invariants hold, interest past maturity never goes back, and the payoff quote pays the loan off', () => {
    fc.assert(
      fc.property(
        termsArb,
        fc.array(recalculationStepArb, { maxLength: 6 }),
        fc.nat(60),
        (t, steps, past) => {
          const events = recalculationHistory(
            t,
            steps.map((x) => ({ ...x, day: x.day % 150 })),
          );
          const maturity = replayed(t, events, t.disbursementDate).installments.at(-1)!.dueDate;
          const asOf = addDays(maturity, past);
          const s = expectRecalculationInvariants(t, events, asOf);
          if (s.status !== 'delinquent' && s.status !== 'active') return;
          // The last installment owes what it earned: past maturity its interest follows accrual.
          const row = s.installments.at(-1)!;
          expect(row.accrued).toBe(row.interestAccrual);
          expectPayoffQuotePaysOff(t, events, asOf);
        },
      ),
      { numRuns: 150 },
    );
  });
});
