import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fineract100At7,
  fineractProgressive360,
} from '../../../../../test/support/lending/fineract-progressive.js';
import { d, loanTerms } from '../../../../../test/support/lending/installment.js';
import {
  expectRecalculationInvariants,
  payment,
  recalculationHistory,
  recalculationStepArb,
  replayed,
} from '../../../../../test/support/lending/recalculation.js';
import { addDays } from '../../../../kernel/dates.js';
import type { LoanEvent } from './events.js';
import { RESCHEDULE_STRATEGIES } from './recalculation-terms.js';

// Interest a settled installment's period earns after its payment is deferred to the next unpaid one
// (reschedule.ts). Fineract's figures: ProgressiveEMICalculatorTest
// …dayInYears360_daysInMonth30_repayEvery1Month_add_balance_correction_on0215 ($100 at 7% from 2024-01-01, six
// months, 30/360 progressive): the second installment paid on 02-15 (16.77 + 0.24) leaves 0.20 its period earns
// after the payment on the third, 0.39 + 0.20; on 03-01 getPayableDetails for the third period gives payable
// interest 0.20 and payable principal 16.81 (repaymentDetails2st): that interest was earned by the period before,
// so a payment in advance pays it as soon as the period carrying it has started (before the period's start
// Fineract's payable interest is zero).

const terms = loanTerms(fineractProgressive360, fineract100At7);
const pay = (sequence: number, date: string, amount: number) =>
  payment(`p${sequence}`, sequence, date, amount);
const settledOn0215: LoanEvent[] = [
  { id: 'approve', sequence: 1, effectiveDate: d('2024-01-01'), type: 'approve' },
  { id: 'disburse', sequence: 2, effectiveDate: d('2024-01-01'), type: 'disburse' },
  pay(3, '2024-02-01', 1701),
  pay(4, '2024-02-15', 1701),
];
const state = (events: LoanEvent[], asOf: string) => replayed(terms, events, asOf);
const lines = (s: ReturnType<typeof state>) =>
  s.payments.at(-1)!.lines.map((l) => [l.installment, l.component, l.amount]);

describe('interest deferred to the next installment', () => {
  it('is paid by a payment in advance once that installment’s period has started (0.20 + 16.81 on 03-01)', () => {
    expect(state(settledOn0215, '2024-02-29').installments[2]!.due.interest).toBe(39 + 20);
    const events = [...settledOn0215, pay(5, '2024-03-01', 1701)];
    const s = state(events, '2024-03-01');
    expect(lines(s)).toEqual([
      [3, 'interest', 20],
      [3, 'principal', 1681],
    ]);
    expect(s.installments[2]!.due).toEqual(s.installments[2]!.paid);
    expectRecalculationInvariants(terms, events, d('2024-03-01'));
  });

  it('stays with its installment after a partial payment, which pays it and the interest earned to its date', () => {
    const events = [...settledOn0215, pay(5, '2024-03-05', 500)];
    const s = state(events, '2024-03-05');
    const third = s.installments[2]!;
    // Earned 03-01 .. 03-05 on 66.80: 66.80 × 0.07 / 12 × 4 / 31 = 0.0503 → 0.05, then the 0.20 deferred.
    expect([third.paid.interest, third.paid.principal]).toEqual([5 + 20, 500 - 25]);
    expect(third.due.interest).toBe(third.interestAccrual + 20);
    expect(s.installments[5]!.due.interest).toBe(s.installments[5]!.interestAccrual);
    expectRecalculationInvariants(terms, events, d('2024-03-05'));
  });

  it('is not paid before that installment’s period starts: settling moves it on to the next unpaid one', () => {
    const events = [...settledOn0215, pay(5, '2024-02-20', 1701)];
    const s = state(events, '2024-02-20');
    expect(lines(s)).toEqual([[3, 'principal', 1701]]);
    const fourth = s.installments[3]!;
    expect(fourth.due.interest).toBeGreaterThan(fourth.interestAccrual + 20);
    expectRecalculationInvariants(terms, events, d('2024-02-20'));
  });
});

describe('deferred interest over random histories', () => {
  it('is paid no faster than earned, owed never below zero, and the lines say where every amount went', () => {
    // Fineract's progressive loan with each strategy and prepayment order: payments of a share of an installment
    // (settling installments early, paying deferred interest ahead) and reversals on random days.
    const termsArb = fc
      .record({
        reschedule: fc.constantFrom(
          ...RESCHEDULE_STRATEGIES.filter((r) => r !== 'reschedule_next_repayments'),
        ),
        future: fc.constantFrom('next_installment', 'last_installment'),
      })
      .map((g) =>
        loanTerms(
          {
            ...fineractProgressive360,
            interest_recalculation: { rest: 'daily', compounding: 'none', reschedule: g.reschedule },
            future_installments: g.future,
          },
          fineract100At7,
        ),
      );
    fc.assert(
      fc.property(termsArb, fc.array(recalculationStepArb, { maxLength: 8 }), fc.nat(200), (t, steps, at) => {
        expectRecalculationInvariants(t, recalculationHistory(t, steps), addDays(t.disbursementDate, at));
      }),
      { numRuns: 60 },
    );
  });
});
