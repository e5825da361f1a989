import { describe, expect, it } from 'vitest';
import { d, loanTerms } from '../../../../../test/support/lending/installment.js';
import {
  opening as openingOf,
  payment,
  replayed,
} from '../../../../../test/support/lending/recalculation.js';
import type { LoanEvent } from './events.js';
import { calculatePayoff } from './payoff.js';
import { generateSchedule } from './schedule.js';

// Interest recalculation with rest frequencies and compounding, checked to the cent against Fineract's
// ClientLoanIntegrationTest (integration-tests/src/test/java/org/apache/fineract/integrationtests/), its weekly
// recalculation cases testLoanScheduleWithInterestRecalculation_WITH_…: 10,000.00 at 2 % a month (24 % a year), 4
// weekly installments, equal installments on the declining balance, interest per repayment period (a week at
// 24 % / 52), HALF_EVEN. Fineract counts a part of a week as its days over 7 of R / 52, a 364-day year: Plinth's
// daily interest with day_count actual/364 gives the same figures, weeks and parts of weeks alike. The tests run
// relative to today (disbursed 14 days ago); here the loan is disbursed on Monday 2024-01-01, so "today" is
// 2024-01-15, the second due date, seen before its close of business.

const recalculating = (recalculation: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  loanTerms(
    {
      interest_calculation: 'daily',
      day_count: 'actual/364',
      repayment_frequency: 'weekly',
      interest_recalculation: recalculation,
      ...extra,
    },
    { principal: 1_000_000, annual_interest_rate: '24', term_count: 4, disbursement_date: '2024-01-01' },
  );
const opening: LoanEvent[] = openingOf.map((e) => ({ ...e, effectiveDate: d('2024-01-01') }));
const today = '2024-01-15';
const interestOf = (s: ReturnType<typeof replayed>) => s.installments.map((r) => r.due.interest);

describe('the weekly schedule every case starts from (a 364-day year)', () => {
  it('2482.76 + 46.15, 2494.22 + 34.69, 2505.73 + 23.18, 2517.29 + 11.62', () => {
    const t = recalculating({ rest: 'same_as_repayment', compounding: 'none', reschedule: 'reduce_emi' });
    expect(generateSchedule(t).rows.map((r) => [r.principal, r.interest, r.total])).toEqual([
      [248_276, 4615, 252_891],
      [249_422, 3469, 252_891],
      [250_573, 2318, 252_891],
      [251_729, 1162, 252_891],
    ]);
  });
});

describe('WITH_REST_SAME_AS_REPAYMENT_INTEREST_COMPOUND_NONE_STRATEGY_REDUCE_EMI', () => {
  const t = recalculating({ rest: 'same_as_repayment', compounding: 'none', reschedule: 'reduce_emi' });
  const onTime = [...opening, payment('p1', 3, '2024-01-08', 252_891)];

  it('the first installment overdue, the second period earns on the whole 10,000.00: 46.15', () => {
    expect(interestOf(replayed(t, opening, today, false)).slice(0, 2)).toEqual([4615, 4615]);
  });

  it('paid on its due date, the schedule is as it was: 34.69 for the second period', () => {
    expect(interestOf(replayed(t, onTime, today, false))[1]).toBe(3469);
  });

  it('4000 two days into the second period, the pre-close amount on 01-15 is Fineract’s 3551.93', () => {
    const s = replayed(t, [...onTime, payment('p2', 4, '2024-01-10', 400_000)], today, false);
    // Fineract keeps the second installment's 34.69 and puts 3965.31 on principal; Plinth settles the installment
    // paid in full with the interest earned to the payment, 7517.24 × 24 % × 2 / 364 = 9.91 (reschedule.ts), and
    // the 24.78 the rest date adds is owed in the payoff: the same 3551.93.
    expect(s.installments[1]!.due.interest).toBe(991);
    expect(calculatePayoff(s, d(today)).total).toBe(355_193);
  });
});

describe('WITH_REST_DAILY_INTEREST_COMPOUND_INTEREST_STRATEGY_REDUCE_NUMBER_OF_INSTALLMENTS (compounding weekly)', () => {
  // Compounding weekly on the disbursement's weekday (the test passes the disbursement date and its day of week).
  const weeklyOn = (extra: Record<string, unknown>) =>
    recalculating({ rest: 'daily', compounding: 'interest', compounding_frequency: 'weekly', ...extra });
  const t = weeklyOn({ reschedule: 'reduce_number_of_installments' });

  it('the first installment overdue, its 46.15 of interest earns too: the second period 46.37', () => {
    // (10,000.00 + 46.15) × 24 % × 7 / 364 = 46.3668.
    expect(interestOf(replayed(t, opening, today, false)).slice(0, 2)).toEqual([4615, 4637]);
  });

  it('4000 two days into the second period pays Fineract’s 9.91 of interest and 3990.09 of principal', () => {
    const events = [
      ...opening,
      payment('p1', 3, '2024-01-08', 252_891),
      payment('p2', 4, '2024-01-10', 400_000),
    ];
    const s = replayed(t, events, today, false);
    const lines = s.payments.find((p) => p.eventId === 'p2')!.lines;
    const paid = (c: string) => lines.filter((l) => l.component === c).reduce((sum, l) => sum + l.amount, 0);
    expect([paid('interest'), paid('principal')]).toEqual([991, 399_009]);
  });

  it('a compounding weekday inside the period: the overdue 46.15 joins on Wednesday 01-10', () => {
    const wednesday = weeklyOn({ compounding_weekday: 'wednesday' });
    // 10,000.00 × 7 days + 46.15 × 5 days, × 24 % / 364 = 46.3060 (Plinth: see recalculation-compounding.ts).
    expect(interestOf(replayed(wednesday, opening, today, false))[1]).toBe(4631);
  });
});

describe('WITH_REST_WEEKLY_INTEREST_COMPOUND_INTEREST_FEE_STRATEGY_REDUCE_NEXT_INSTALLMENTS', () => {
  // A flat 100.00 due two days after the disbursement (first installment) and 2 % of the principal sixteen days
  // after (third); rest weekly on the weekday two days before the disbursement's (Saturday), compounding weekly.
  const t = recalculating(
    {
      rest: 'weekly',
      rest_weekday: 'saturday',
      compounding: 'interest_and_fee',
      compounding_frequency: 'weekly',
      reschedule: 'reschedule_next_repayments',
    },
    {
      charges: [
        { name: 'flat', due: 'specified_installment', installment: 1, calculation: 'flat', amount: 10_000 },
        {
          name: 'two percent',
          due: 'specified_installment',
          installment: 3,
          calculation: 'percent_of_amount',
          percent: '2',
        },
      ],
    },
  );

  it('starts from Fineract’s schedule (the one above), fees 100.00 and 200.00', () => {
    const plain = recalculating({ rest: 'daily', compounding: 'none' });
    const rows = generateSchedule(t).rows;
    expect(rows.map((r) => r.fees)).toEqual([10_000, 0, 20_000, 0]);
    expect(rows.map((r) => [r.principal, r.interest])).toEqual(
      generateSchedule(plain).rows.map((r) => [r.principal, r.interest]),
    );
  });

  it('the first installment overdue, its interest and fee earn too: (10,000.00 + 46.15 + 100.00) → 46.83', () => {
    expect(interestOf(replayed(t, opening, today, false))[1]).toBe(4683);
  });

  it('paid on its due date, nothing waits for the Saturday rest date: 34.69 for the second period', () => {
    const events = [...opening, payment('p1', 3, '2024-01-08', 262_891)];
    expect(interestOf(replayed(t, events, today, false))[1]).toBe(3469);
  });
});
