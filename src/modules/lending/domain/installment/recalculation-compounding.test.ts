import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { d, programIssuePaths } from '../../../../../test/support/lending/installment.js';
import {
  earned,
  opening,
  recalculatingTerms,
  replayed,
} from '../../../../../test/support/lending/recalculation.js';
import { compoundingCalendarArb } from '../../../../../test/support/lending/recalculation-rest.js';
import { addDays } from '../../../../kernel/dates.js';
import type { LoanEvent } from './events.js';
import { calculatePayoff } from './payoff.js';
import type { Compounding } from './recalculation-compounding.js';
import { generateSchedule } from './schedule.js';

// Compounding in interest recalculation (Fineract InterestRecalculationCompoundingMethod with the compounding
// frequency same as repayment): overdue interest and/or fees earn interest from their due date until paid, as in
// ClientLoanIntegrationTest.testLoanScheduleWithInterestRecalculation_WITH_REST_DAILY_INTEREST_COMPOUND_INTEREST_
// STRATEGY_REDUCE_NUMBER_OF_INSTALLMENTS (compounding INTEREST, rest DAILY).

describe('compounding terms', () => {
  const paths = (recalculation: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    programIssuePaths({ interest_calculation: 'daily', interest_recalculation: recalculation, ...extra });

  it('accepts each method over any rest, and refuses fees beside a late fee, naming it', () => {
    for (const c of ['none', 'interest', 'fee', 'interest_and_fee'])
      expect(paths({ rest: 'daily', compounding: c })).toEqual([]);
    const at = 'interest_recalculation.compounding';
    expect(paths({ rest: 'weekly', compounding: 'interest' })).toEqual([]);
    expect(paths({ rest: 'daily', rest_interval: 2, compounding: 'interest_and_fee' })).toEqual([]);
    const lateFee = { late_fee: { type: 'flat', amount: 1500, grace_days: 5 } };
    expect(paths({ rest: 'daily', compounding: 'fee' }, lateFee)).toEqual([at]);
    expect(paths({ rest: 'daily', compounding: 'interest' }, lateFee)).toEqual([]);
    expect(paths({ rest: 'daily', compounding: 'monthly' })).toEqual([at]);
  });

  it('accepts each compounding calendar and refuses fields its frequency has no use for, naming each', () => {
    const ok = (extra: Record<string, unknown>) =>
      expect(paths({ rest: 'same_as_repayment', compounding: 'interest', ...extra })).toEqual([]);
    ok({ compounding_frequency: 'same_as_repayment' });
    ok({ compounding_frequency: 'daily', compounding_interval: 3 });
    ok({ compounding_frequency: 'weekly', compounding_interval: 2, compounding_weekday: 'friday' });
    ok({ compounding_frequency: 'monthly', compounding_on_day: 10 });
    ok({ compounding_frequency: 'monthly', compounding_nth_day: 'last', compounding_weekday: 'monday' });
    const at = (f: string) => `interest_recalculation.compounding_${f}`;
    const refused = (extra: Record<string, unknown>, compounding = 'interest') =>
      paths({ rest: 'daily', compounding, ...extra });
    expect(refused({ compounding_frequency: 'weekly' }, 'none')).toEqual([at('frequency')]);
    expect(refused({ compounding_interval: 2 })).toEqual([at('interval')]);
    expect(refused({ compounding_frequency: 'daily', compounding_weekday: 'monday' })).toEqual([
      at('weekday'),
    ]);
    expect(refused({ compounding_frequency: 'weekly', compounding_on_day: 3 })).toEqual([at('on_day')]);
    expect(refused({ compounding_frequency: 'monthly', compounding_nth_day: 2 })).toEqual([at('nth_day')]);
    expect(refused({ compounding_frequency: 'monthly', compounding_on_day: 29 })).toEqual([at('on_day')]);
    const fifth = { compounding_frequency: 'monthly', compounding_weekday: 'monday', compounding_nth_day: 5 };
    expect(refused({ ...fifth, compounding_interval: 12 })).toEqual([]);
    expect(refused({ ...fifth, compounding_interval: 24 })).toEqual([at('nth_day')]);
    expect(refused({ compounding_frequency: 'fortnightly' })).toEqual([at('frequency')]);
  });
});

const termsWith = (compounding: Compounding) => recalculatingTerms({ rest: 'daily', compounding });
const state = (c: Compounding, events: LoanEvent[], asOf: string, closeOfBusiness = true) =>
  replayed(termsWith(c), events, asOf, closeOfBusiness);
const rows = generateSchedule(termsWith('none')).rows;

describe('what is overdue earns interest from its due date', () => {
  it('interest: the first installment left unpaid, the second period earns on its principal and its interest', () => {
    const s = state('interest', opening, '2024-02-20');
    expect(s.installments[1]!.due.interest).toBe(
      earned([[1_200_000 + rows[0]!.interest, '2024-02-15', '2024-03-15']]),
    );
    expect(s.installments[1]!.due.interest).toBeGreaterThan(
      state('none', opening, '2024-02-20').installments[1]!.due.interest,
    );
    // Fee compounding leaves interest out: the same as none when no fee is overdue.
    expect(state('fee', opening, '2024-02-20').installments).toEqual(
      state('none', opening, '2024-02-20').installments,
    );
  });

  it('interest: paying the overdue interest late lowers the balance from its date', () => {
    const late: LoanEvent = {
      id: 'p',
      sequence: 3,
      effectiveDate: d('2024-02-20'),
      type: 'payment',
      amount: rows[0]!.interest,
    };
    const s = state('interest', [...opening, late], '2024-02-20', false);
    const before = earned([[1_200_000 + rows[0]!.interest, '2024-02-15', '2024-02-20']]);
    expect(s.installments[1]!.accrued).toBe(before);
    expect(s.installments[1]!.due.interest).toBe(before + earned([[1_200_000, '2024-02-20', '2024-03-15']]));
  });

  it('fee and interest_and_fee: an overdue fee earns too', () => {
    const fee: LoanEvent = {
      id: 'f',
      sequence: 3,
      effectiveDate: d('2024-01-20'),
      type: 'fee',
      component: 'fees',
      amount: 2_500,
    };
    const events = [...opening, fee];
    expect(state('fee', events, '2024-02-20').installments[1]!.due.interest).toBe(
      earned([[1_200_000 + 2_500, '2024-02-15', '2024-03-15']]),
    );
    expect(state('interest_and_fee', events, '2024-02-20').installments[1]!.due.interest).toBe(
      earned([[1_200_000 + 2_500 + rows[0]!.interest, '2024-02-15', '2024-03-15']]),
    );
  });

  it('the payoff quote charges the compounded interest to the payoff date and pays the loan off', () => {
    for (const c of ['interest', 'interest_and_fee'] as Compounding[]) {
      const during = state(c, opening, '2024-03-01', false);
      const quote = calculatePayoff(during, d('2024-03-01'));
      expect(quote.total).toBeGreaterThan(
        calculatePayoff(state('none', opening, '2024-03-01', false), d('2024-03-01')).total,
      );
      const off = state(
        c,
        [
          ...opening,
          { id: 'off', sequence: 3, effectiveDate: d('2024-03-01'), type: 'payoff', amount: quote.total },
        ],
        '2024-03-01',
      );
      expect(off.status).toBe('paid_off');
      expect(off.outstanding).toEqual({ penalties: 0, fees: 0, interest: 0, principal: 0 });
    }
  });
});

describe('a compounding date later than the due date', () => {
  it('earns no more than compounding at the due date, and no less than none, row by row (nothing paid)', () => {
    fc.assert(
      fc.property(compoundingCalendarArb, fc.nat(220), (calendar, days) => {
        const asOf = addDays(d('2024-01-15'), days);
        const at = (rule: Record<string, unknown>) =>
          replayed(recalculatingTerms({ rest: 'daily', ...rule }), opening, asOf).installments.map(
            (r) => r.due.interest,
          );
        const none = at({ compounding: 'none' });
        const later = at({ compounding: 'interest', ...calendar });
        const onDue = at({ compounding: 'interest' });
        none.forEach((n, k) => {
          expect(later[k]!).toBeGreaterThanOrEqual(n);
          expect(later[k]!).toBeLessThanOrEqual(onDue[k]!);
        });
      }),
      { numRuns: 40 },
    );
  });
});
