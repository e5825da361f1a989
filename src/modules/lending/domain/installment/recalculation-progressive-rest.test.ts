import { describe, expect, it } from 'vitest';
import {
  fineract8000At10,
  fineractProgressive360,
} from '../../../../../test/support/lending/fineract-progressive.js';
import { d, loanTerms } from '../../../../../test/support/lending/installment.js';
import { payment, replayed } from '../../../../../test/support/lending/recalculation.js';
import { parseProgramTerms } from './resolve.js';

// Rest same_as_repayment on the progressive schedule (recalculation-progressive.ts `overduePrincipalLines`), checked
// to the cent against Fineract's integration test LoanInterestRecalculationCOBTest (integration-tests/src/test/java/
// org/apache/fineract/integrationtests/LoanInterestRecalculationCOBTest.java), whose product create4IProgressive
// (BaseLoanIntegrationTest) recalculates with rest SAME_AS_REPAYMENT_PERIOD: €8,000 at 10% from 2023-01-01, 4 monthly
// installments of 2,041.84, days in month 30 over 360 (0.10 / 12 a month), advanced payment allocation (past-due
// principal before its interest). Overdue principal earns until the due date of the period its payment falls in.

const fourI = loanTerms(
  {
    ...fineractProgressive360,
    interest_recalculation: { rest: 'same_as_repayment', compounding: 'none' },
    allocation_order: ['penalties', 'fees', 'principal', 'interest'],
  },
  fineract8000At10,
);
const opened = [
  { id: 'approve', sequence: 1, effectiveDate: d('2023-01-01'), type: 'approve' as const },
  { id: 'disburse', sequence: 2, effectiveDate: d('2023-01-01'), type: 'disburse' as const },
];
const rowsOf = (events: typeof opened | ReturnType<typeof payment>[], asOf: string) =>
  replayed(fourI, events, asOf).installments.map((r) => [r.due.principal, r.due.interest]);

describe('rest same_as_repayment on the progressive schedule (LoanInterestRecalculationCOBTest)', () => {
  it('…LatePaidPaidOnTimeLatePaidPayoffOnTime: late payments inside a period leave it earning on the overdue principal', () => {
    // The first installment, overdue, paid 500 + 500 on 02-15 and 1,041.84 on 02-20: the second period still earns
    // on the whole 8,000 (66.67), and the later rows are Fineract's 2,008.09 + 33.75 and 2,041.57 + 17.01.
    const late = [
      ...opened,
      payment('a', 3, '2023-02-15', 50_000),
      payment('b', 4, '2023-02-15', 50_000),
      payment('c', 5, '2023-02-20', 104_184),
    ];
    const afterLate = [
      [197_517, 6667],
      [197_517, 6667],
      [200_809, 3375],
      [204_157, 1701],
    ];
    expect(rowsOf(late.slice(0, 3), '2023-02-15')).toEqual(afterLate);
    expect(rowsOf(late, '2023-02-20')).toEqual(afterLate);
    // The second paid on its due date: the third period earns on 4,049.66 (33.75).
    const onTime = [...late, payment('d', 6, '2023-03-01', 204_184)];
    expect(rowsOf(onTime, '2023-03-01')).toEqual(afterLate);
    // The third overdue on 04-02: the fourth period earns on 4,049.66 too (33.75 on 2,041.57 of principal).
    expect(rowsOf(onTime, '2023-04-02')).toEqual([...afterLate.slice(0, 3), [204_157, 3375]]);
    // Paid on 04-15, its principal still earns to 05-01: the last installment is 2,075.32, and pays off the loan.
    const paid = [...onTime, payment('e', 7, '2023-04-15', 204_184), payment('f', 8, '2023-05-01', 207_532)];
    const s = replayed(fourI, paid, '2023-05-01');
    expect(s.installments.map((r) => [r.due.principal, r.due.interest])).toEqual([
      ...afterLate.slice(0, 3),
      [204_157, 3375],
    ]);
    expect(s.status).toBe('paid_off');
    // Fineract's validateRepaymentPeriod on 05-01: each installment paid in full, principal and interest.
    expect(s.installments.map((r) => [r.paid.principal, r.paid.interest])).toEqual([
      ...afterLate.slice(0, 3),
      [204_157, 3375],
    ]);
  });

  it('…MultiOverdueSingleRepayment: two installments paid on 03-01, the second period earned on 8,000', () => {
    // Fineract: 1,975.17 + 66.67 twice.
    const s = replayed(fourI, [...opened, payment('a', 3, '2023-03-01', 408_368)], '2023-03-01');
    expect(s.installments.slice(0, 2).map((r) => r.due.interest)).toEqual([6667, 6667]);
  });

  it('…On4IProgressiveLoanCOBStep: the running period earns on every overdue installment (66.67 each)', () => {
    // Fineract's schedule at disbursement, every row: 2,041.84 a month, the last 2,041.84 too.
    expect(rowsOf(opened, '2023-01-01')).toEqual([
      [197_517, 6667],
      [199_163, 5021],
      [200_823, 3361],
      [202_497, 1687],
    ]);
    // Fineract's projection on 02-02, 02-20 and 03-02 (nothing paid).
    const interest = (asOf: string) => replayed(fourI, opened, asOf).installments.map((r) => r.due.interest);
    expect(interest('2023-02-02').slice(0, 2)).toEqual([6667, 6667]);
    expect(interest('2023-02-20').slice(0, 2)).toEqual([6667, 6667]);
    expect(interest('2023-03-02').slice(0, 3)).toEqual([6667, 6667, 6667]);
  });

  it('…On4IProgressiveLoanCOBStep: an overdue period keeps its installment, the later rows re-split (principal = EMI − interest)', () => {
    // Fineract on 02-02 and 02-20, [principal, interest] by row (RepaymentPeriod.getDuePrincipal = EMI − due
    // interest, the last period taking the rest): Σ principal 8,000.00.
    const february = [
      [197_517, 6667],
      [197_517, 6667],
      [200_809, 3375],
      [204_157, 1701],
    ];
    expect(rowsOf(opened, '2023-02-02')).toEqual(february);
    expect(rowsOf(opened, '2023-02-20')).toEqual(february);
    // On 03-02 the third period earns on 8,000 too: 1,975.17 + 66.67 three times, the last 2,074.49 + 17.29.
    expect(rowsOf(opened, '2023-03-02')).toEqual([...february.slice(0, 2), [197_517, 6667], [207_449, 1729]]);
  });

  it('…MultiOverdueSingleRepayment: 4,083.68 on 03-01 pays both overdue installments in full', () => {
    const s = replayed(fourI, [...opened, payment('a', 3, '2023-03-01', 408_368)], '2023-03-01');
    expect(
      s.installments
        .slice(0, 2)
        .map((r) => [r.due.principal, r.due.interest, r.paid.principal, r.paid.interest]),
    ).toEqual([
      [197_517, 6667, 197_517, 6667],
      [197_517, 6667, 197_517, 6667],
    ]);
  });

  it('a payment before its due date lowers the balance from its date, whatever the rest (Fineract payPrincipal)', () => {
    // 1,000 of the first installment's principal paid on 01-15: 8,000 × 0.10 / 12 × 14/31 = 30.11, then 7,000 ×
    // 0.10 / 12 × 17/31 = 31.99: 62.10 (waiting for the due date as rest same_as_repayment does on the daily count
    // would leave 66.67).
    const s = replayed(fourI, [...opened, payment('a', 3, '2023-01-15', 100_000)], '2023-01-15');
    expect(s.installments[0]!.due.interest).toBe(3011 + 3199);
  });

  it('differs from rest daily: there 500 of the first installment paid on 02-15 lowers the second period from then', () => {
    // 8,000 × 0.10 / 12 × 14/28 = 33.33, then 7,500 × 0.10 / 12 × 14/28 = 31.25: 64.58 (rest same_as_repayment: 66.67).
    const daily = {
      ...fourI,
      options: {
        ...fourI.options,
        interestRecalculation: { ...fourI.options.interestRecalculation!, rest: 'daily' as const },
      },
    };
    const events = [...opened, payment('a', 3, '2023-02-15', 50_000)];
    expect(replayed(daily, events, '2023-02-15').installments[1]!.due.interest).toBe(6458);
    expect(replayed(fourI, events, '2023-02-15').installments[1]!.due.interest).toBe(6667);
  });
});

describe('what Fineract progressive does not apply is refused, naming the field', () => {
  const issues = (recalculation: Record<string, unknown>) => {
    const r = parseProgramTerms({
      currency: 'USD',
      annual_interest_rate: { min: '0', max: '99', default: '12' },
      term_count: { min: 1, max: 60, default: 12 },
      principal: { min: 1, max: 100_000_000 },
      ...fineractProgressive360,
      interest_recalculation: recalculation,
    });
    return r.ok ? [] : r.error.fields?.map((f) => f.path);
  };

  it('accepts rest daily and same_as_repayment without compounding', () => {
    expect(issues({ rest: 'daily', compounding: 'none' })).toEqual([]);
    expect(issues({ rest: 'same_as_repayment', compounding: 'none' })).toEqual([]);
  });

  it('refuses rest weekly and monthly, a daily rest interval, and compounding', () => {
    expect(issues({ rest: 'weekly' })).toEqual(['interest_recalculation.rest']);
    expect(issues({ rest: 'monthly', rest_on_day: 5 })).toEqual(['interest_recalculation.rest']);
    expect(issues({ rest: 'daily', rest_interval: 3 })).toEqual(['interest_recalculation.rest_interval']);
    // checkRestRule's own issue: same_as_repayment follows the schedule.
    expect(issues({ rest: 'same_as_repayment', rest_interval: 2 })).toEqual([
      'interest_recalculation.rest_interval',
    ]);
    expect(issues({ rest: 'daily', compounding: 'interest' })).toEqual([
      'interest_recalculation.compounding',
    ]);
  });
});
