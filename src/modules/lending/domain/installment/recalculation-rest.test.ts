import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { d, loanTerms, programIssuePaths } from '../../../../../test/support/lending/installment.js';
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
import {
  compoundingCalendarArb,
  restRuleArb,
} from '../../../../../test/support/lending/recalculation-rest.js';
import { addDays, type CalendarDate } from '../../../../kernel/dates.js';
import type { LoanEvent } from './events.js';
import { calculatePayoff } from './payoff.js';
import { type RestRule, restOnOrAfter } from './recalculation-rest.js';
import { generateSchedule } from './schedule.js';

// The rest frequencies of interest recalculation (Fineract recalculationRestFrequencyType and its calendar).

const start = d('2024-01-15'); // a Monday
const dues = ['2024-02-15', '2024-03-15', '2024-04-15'].map(d);
const next = (r: RestRule, date: string, from: CalendarDate = start) => restOnOrAfter(r, from, dues, d(date));

describe('rest dates: the first on or after a date (Fineract getNextRestScheduleDate(date − 1))', () => {
  it('daily: the date itself, or every N days from the disbursement', () => {
    expect(next({ rest: 'daily' }, '2024-01-20')).toBe('2024-01-20');
    expect(next({ rest: 'daily', rest_interval: 3 }, '2024-01-16')).toBe('2024-01-18');
    expect(next({ rest: 'daily', rest_interval: 3 }, '2024-01-18')).toBe('2024-01-18');
    expect(next({ rest: 'daily', rest_interval: 3 }, '2024-01-10')).toBe('2024-01-15');
  });

  it('same_as_repayment: the next due date on or after it; after the last, the date itself', () => {
    expect(next({ rest: 'same_as_repayment' }, '2024-01-30')).toBe('2024-02-15');
    expect(next({ rest: 'same_as_repayment' }, '2024-02-15')).toBe('2024-02-15');
    expect(next({ rest: 'same_as_repayment' }, '2024-04-20')).toBe('2024-04-20');
  });

  it("weekly: on the disbursement's weekday or the one named, every N weeks from the disbursement's week", () => {
    expect(next({ rest: 'weekly' }, '2024-01-16')).toBe('2024-01-22');
    expect(next({ rest: 'weekly', rest_weekday: 'friday' }, '2024-01-15')).toBe('2024-01-19');
    expect(next({ rest: 'weekly', rest_weekday: 'friday' }, '2024-01-20')).toBe('2024-01-26');
    // Every 2 weeks on Friday: the weeks of 01-15, 01-29, ... (iCal INTERVAL counts from the seed's week).
    expect(next({ rest: 'weekly', rest_interval: 2, rest_weekday: 'friday' }, '2024-01-20')).toBe(
      '2024-02-02',
    );
    // A weekday before the disbursement's in its first week is not a rest date (the calendar starts there).
    expect(next({ rest: 'weekly', rest_weekday: 'sunday' }, '2024-01-10')).toBe('2024-01-21');
  });

  it("monthly: on a day (default the disbursement's, months without it skipped) or the nth weekday", () => {
    const end = d('2024-01-31');
    expect(next({ rest: 'monthly' }, '2024-02-10', end)).toBe('2024-03-31');
    expect(next({ rest: 'monthly' }, '2024-04-01', end)).toBe('2024-05-31');
    expect(next({ rest: 'monthly', rest_on_day: 5 }, '2024-01-31', end)).toBe('2024-02-05');
    expect(next({ rest: 'monthly', rest_on_day: 5, rest_interval: 2 }, '2024-01-31', end)).toBe('2024-03-05');
    const lastFriday: RestRule = { rest: 'monthly', rest_nth_day: 'last', rest_weekday: 'friday' };
    expect(next(lastFriday, '2024-02-01')).toBe('2024-02-23');
    const fifthFriday: RestRule = { rest: 'monthly', rest_nth_day: 5, rest_weekday: 'friday' };
    expect(next(fifthFriday, '2024-02-01')).toBe('2024-03-29');
    expect(next({ rest: 'monthly', rest_nth_day: 1, rest_weekday: 'monday' }, '2024-01-16')).toBe(
      '2024-02-05',
    );
  });

  it('any rule: on or after the date, and a rest date is its own', () => {
    fc.assert(
      fc.property(restRuleArb, fc.nat(400), (r, k) => {
        const date = addDays(start, k);
        const rest = restOnOrAfter(r, start, dues, date);
        expect(rest >= date).toBe(true);
        expect(restOnOrAfter(r, start, dues, rest)).toBe(rest);
        if (k > 0) expect(restOnOrAfter(r, start, dues, addDays(date, -1)) <= rest).toBe(true);
      }),
    );
  });
});

describe('rest terms', () => {
  const paths = (recalculation: Record<string, unknown>) =>
    programIssuePaths({
      interest_calculation: 'daily',
      interest_recalculation: { compounding: 'none', ...recalculation },
    });

  it('accepts each Fineract calendar shape', () => {
    for (const ok of [
      { rest: 'same_as_repayment' },
      { rest: 'daily', rest_interval: 2 },
      { rest: 'weekly', rest_interval: 2, rest_weekday: 'friday' },
      { rest: 'monthly', rest_on_day: 28 },
      { rest: 'monthly', rest_nth_day: 'last', rest_weekday: 'monday' },
    ])
      expect(paths(ok)).toEqual([]);
  });

  it('refuses fields the rest frequency has no use for, naming each (LoanProductDataValidator: on day 1-28)', () => {
    const at = (f: string) => `interest_recalculation.${f}`;
    expect(paths({ rest: 'same_as_repayment', rest_interval: 2 })).toEqual([at('rest_interval')]);
    expect(paths({ rest: 'daily', rest_weekday: 'friday' })).toEqual([at('rest_weekday')]);
    expect(paths({ rest: 'weekly', rest_on_day: 3 })).toEqual([at('rest_on_day')]);
    expect(paths({ rest: 'monthly', rest_on_day: 29 })).toEqual([at('rest_on_day')]);
    expect(paths({ rest: 'monthly', rest_nth_day: 2 })).toEqual([at('rest_nth_day')]);
    expect(paths({ rest: 'monthly', rest_weekday: 'friday' })).toEqual([at('rest_weekday')]);
    expect(paths({ rest: 'monthly', rest_on_day: 3, rest_nth_day: 2, rest_weekday: 'friday' })).toEqual([
      at('rest_on_day'),
    ]);
    expect(paths({ rest: 'weekly', rest_nth_day: 1, rest_weekday: 'friday' })).toEqual([at('rest_nth_day')]);
    expect(paths({ rest: 'hourly' })).toEqual([at('rest')]);
  });
});

// What a period earns is its interest_accrual: the reschedule strategy (reschedule.ts) may move what is due.
const termsWith = (rule: RestRule) => recalculatingTerms({ ...rule, compounding: 'none' });
const pay = payment;
const state = (rule: RestRule, events: LoanEvent[], asOf: string, closeOfBusiness = true) =>
  replayed(termsWith(rule), events, asOf, closeOfBusiness);

describe('a payment lowers the balance that earns interest from its rest date', () => {
  const rows = generateSchedule(termsWith({ rest: 'daily' })).rows;
  const early = [...opening, pay('p1', 3, '2024-01-30', 300_000)];
  const principalPaid = (rule: RestRule) =>
    state(rule, early, '2024-01-30')
      .payments[0]!.lines.filter((l) => l.component === 'principal')
      .reduce((s, l) => s + l.amount, 0);

  it('same_as_repayment: the running period earns as scheduled, the later ones on the lower balance', () => {
    // Fineract ClientLoanIntegrationTest.testLoanScheduleWithInterestRecalculation_WITH_REST_SAME_AS_REPAYMENT_
    // INTEREST_COMPOUND_NONE_STRATEGY_REDUCE_EMI: after 4000 prepaid two days into the second week, that week's
    // interest stays 34.69 and the later weeks' falls (34.69 → 16.39 on the lower balance).
    const rule: RestRule = { rest: 'same_as_repayment' };
    const s = state(rule, early, '2024-01-30');
    expect(s.installments[0]!.interestAccrual).toBe(rows[0]!.interest);
    expect(s.installments[1]!.interestAccrual).toBeLessThan(rows[1]!.interest);
    const daily = state({ rest: 'daily' }, early, '2024-01-30');
    expect(daily.installments[0]!.interestAccrual).toBeLessThan(rows[0]!.interest);
    // Through its due date the period accrues exactly its interest.
    expect(state(rule, early, '2024-02-14').installments[0]!.accrued).toBe(rows[0]!.interest);
  });

  it('weekly: the period earns on the old balance to the rest date, then on the new one', () => {
    const rule: RestRule = { rest: 'weekly', rest_weekday: 'friday' }; // 01-30 is a Tuesday: rest 02-02
    const s = state(rule, early, '2024-01-30');
    const paid = principalPaid(rule);
    const accrued = s.payments[0]!.lines.find((l) => l.component === 'interest')!.amount;
    const first = s.installments[0]!;
    // accrued to 01-30, plus 1,200.00 until the Friday and the lower balance after it, rounded once.
    const ahead = earned([
      [1_200_000, '2024-01-30', '2024-02-02'],
      [1_200_000 - paid, '2024-02-02', '2024-02-15'],
    ]);
    expect(first.interestAccrual).toBe(accrued + ahead);
    const daily = state({ rest: 'daily' }, early, '2024-01-30').installments[0]!.interestAccrual;
    expect(daily).toBeLessThan(first.interestAccrual);
    expect(first.interestAccrual).toBeLessThan(rows[0]!.interest);
    // Accrual day by day reaches it at the due date, never going back.
    let before = 0;
    for (let k = 0; k <= 16; k++) {
      const day = addDays(d('2024-01-30'), k);
      const a = state(rule, early, day).installments[0]!.accrued;
      expect(a).toBeGreaterThanOrEqual(before);
      before = a;
    }
    expect(before).toBe(first.interestAccrual);
  });

  it('monthly: a rest date after the due date carries the paid principal into the next period until then', () => {
    const rule: RestRule = { rest: 'monthly', rest_on_day: 20 };
    const events = [...opening, pay('p1', 3, '2024-02-10', 300_000)];
    const s = state(rule, events, '2024-02-16');
    const paid = s.payments[0]!.lines.filter((l) => l.component === 'principal').reduce(
      (t, l) => t + l.amount,
      0,
    );
    expect(s.installments[0]!.interestAccrual).toBe(rows[0]!.interest);
    const balance = 1_200_000 - paid;
    expect(s.installments[1]!.interestAccrual).toBe(
      earned([
        [balance, '2024-02-15', '2024-03-15'],
        [paid, '2024-02-15', '2024-02-20'],
      ]),
    );
    const daily = state({ rest: 'daily' }, events, '2024-02-16').installments[1]!.interestAccrual;
    expect(s.installments[1]!.interestAccrual).toBeGreaterThan(daily);
  });

  it('a late payment lowers the overdue balance from its rest date too', () => {
    const rule: RestRule = { rest: 'weekly', rest_weekday: 'friday' }; // 02-20 is a Tuesday: rest 02-23
    const events = [...opening, pay('p1', 3, '2024-02-20', rows[0]!.total)];
    const s = state(rule, events, '2024-02-20', false);
    const accrued = earned([[1_200_000, '2024-02-15', '2024-02-20']]);
    expect(s.installments[1]!.accrued).toBe(accrued);
    expect(s.installments[1]!.interestAccrual).toBe(
      accrued +
        earned([
          [1_200_000, '2024-02-20', '2024-02-23'],
          [1_200_000 - rows[0]!.principal, '2024-02-23', '2024-03-15'],
        ]),
    );
  });

  it('the payoff quote counts the pending principal to the payoff date and pays the loan off', () => {
    for (const rule of [
      { rest: 'weekly', rest_weekday: 'friday' },
      { rest: 'monthly', rest_on_day: 20 },
    ] as RestRule[]) {
      const events = [...opening, pay('p1', 3, '2024-01-30', 300_000)];
      const quote = calculatePayoff(state(rule, events, '2024-02-01', false), d('2024-02-01'));
      const daily = calculatePayoff(state({ rest: 'daily' }, events, '2024-02-01', false), d('2024-02-01'));
      expect(quote.total).toBeGreaterThan(daily.total);
      const off = state(
        rule,
        [
          ...events,
          { id: 'off', sequence: 4, effectiveDate: d('2024-02-01'), type: 'payoff', amount: quote.total },
        ],
        '2024-02-01',
      );
      expect(off.status).toBe('paid_off');
      expect(off.outstanding).toEqual({ penalties: 0, fees: 0, interest: 0, principal: 0 });
    }
  });
});

describe('recalculating loans with any rest frequency and compounding, any payments', () => {
  const termsArb = fc
    .record({
      rule: restRuleArb,
      compounding: fc.constantFrom('none', 'interest', 'fee', 'interest_and_fee'),
      calendar: compoundingCalendarArb,
      rate: fc.integer({ min: 0, max: 3600 }),
      dayCount: fc.constantFrom('30/360', 'actual/360', 'actual/365', 'actual/actual', 'actual/364'),
      frequency: fc.constantFrom('weekly', 'biweekly', 'semimonthly', 'monthly'),
      future: fc.constantFrom('next_installment', 'last_installment'),
      termCount: fc.integer({ min: 1, max: 12 }),
      principal: fc.integer({ min: 1000, max: 50_000_000 }),
    })
    .map((g) =>
      loanTerms(
        {
          interest_calculation: 'daily',
          day_count: g.dayCount,
          repayment_frequency: g.frequency,
          future_installments: g.future,
          interest_recalculation: {
            ...g.rule,
            compounding: g.compounding,
            ...(g.compounding !== 'none' && g.calendar),
          },
        },
        { principal: g.principal, term_count: g.termCount, annual_interest_rate: (g.rate / 100).toFixed(2) },
      ),
    );

  it('allocations sum, the journal balances, accrual never goes back and a payoff quote pays off', () => {
    fc.assert(
      fc.property(termsArb, fc.array(recalculationStepArb, { maxLength: 8 }), fc.nat(420), (t, steps, at) => {
        const from = t.disbursementDate;
        const events = recalculationHistory(t, steps);
        const asOf = addDays(from, at);
        expectRecalculationInvariants(t, events, asOf);
        expectPayoffQuotePaysOff(t, events, asOf);
      }),
      { numRuns: 150 },
    );
  });
});
