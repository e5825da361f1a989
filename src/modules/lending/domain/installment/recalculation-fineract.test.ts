import { describe, expect, it } from 'vitest';
import {
  fineract100At7,
  fineract8000At10,
  fineractProgressive360,
} from '../../../../../test/support/lending/fineract-progressive.js';
import { d, loanTerms } from '../../../../../test/support/lending/installment.js';
import type { LoanEvent } from './events.js';
import { interestBasis } from './interest.js';
import { isBalanced } from './ledger.js';
import { calculatePayoff } from './payoff.js';
import { periodFactors, stretchInterest } from './recalculation-progressive.js';
import { replay } from './replay.js';
import { generateSchedule } from './schedule.js';

// Interest recalculation on Fineract's progressive schedule (recalculation-progressive.ts), checked to the cent
// against the figures Fineract's own tests assert. Every case is Fineract's $100 at 7% from 2024-01-01, 6 monthly
// installments, days in month 30 over a 360-day year (rate factor 0.07 / 12 a month), HALF_EVEN rounding, interest
// recalculation with daily rest and no compounding:
// - ProgressiveEMICalculatorTest (fineract-progressive-loan/src/test/java/org/apache/fineract/portfolio/loanproduct/
//   calc/ProgressiveEMICalculatorTest.java), …_dayInYears360_daysInMonth30_repayEvery1Month_payoff_on0115 and
//   …_payoff_on0215;
// - the e2e product LP2_ADV_PYMNT_INTEREST_DAILY_EMI_360_30_INTEREST_RECALCULATION_TILL_PRECLOSE
//   (fineract-e2e-tests-runner/src/test/resources/features/Loan.feature, the scenarios named below).
// Fineract keeps each installment's total after a balance change and re-splits it (its reschedule strategy
// adjust_last_unpaid_period, Plinth's default: reschedule.ts); most cases compare the interest Fineract charges
// each period and the payoff figures, and …payoff_on0115 with five installments prepaid the whole split.

const progressive = fineractProgressive360;
const request = fineract100At7;
const terms = loanTerms(progressive, request);
/** Approved and disbursed on `date`. */
const openedOn = (date: string): LoanEvent[] => [
  { id: 'approve', sequence: 1, effectiveDate: d(date), type: 'approve' },
  { id: 'disburse', sequence: 2, effectiveDate: d(date), type: 'disburse' },
];
const opening = openedOn('2024-01-01');
const event = (type: 'payment' | 'payoff', sequence: number, date: string, amount: number): LoanEvent => ({
  id: `${type}${sequence}`,
  sequence,
  effectiveDate: d(date),
  type,
  amount,
});
const state = (events: LoanEvent[], asOf: string, closeOfBusiness = true, t = terms) => {
  const r = replay(t, events, d(asOf), { closeOfBusiness });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const interestOf = (s: ReturnType<typeof state>) => s.installments.map((r) => r.due.interest);

describe('the progressive schedule a recalculating loan starts from', () => {
  it('is Fineract’s (Loan.feature "Early pay-off loan with interest, TILL_PRECLOSE product": 17.01 × 5, 17.00)', () => {
    const rows = generateSchedule(terms).rows;
    expect(rows.map((r) => [r.dueDate, r.principal, r.interest, r.total])).toEqual([
      ['2024-02-01', 1643, 58, 1701],
      ['2024-03-01', 1652, 49, 1701],
      ['2024-04-01', 1662, 39, 1701],
      ['2024-05-01', 1672, 29, 1701],
      ['2024-06-01', 1681, 20, 1701],
      ['2024-07-01', 1690, 10, 1700],
    ]);
  });

  it('splits a period at a balance change by Fineract’s interest-period rate factors', () => {
    // payoff_on0115: the first period split on 2024-01-15, rate factors 0.002634408602 (14 of 31 days) and
    // 0.003198924731 (17 of 31 days) of 0.07 / 12.
    const b = { ...interestBasis(terms), periodFactors: periodFactors(terms, interestBasis(terms)) };
    const row = { number: 1, periodStart: d('2024-01-01'), dueDate: d('2024-02-01') };
    expect(periodFactors(terms, interestBasis(terms))).toEqual(Array(6).fill({ num: 30n, den: 360n }));
    // 100.00 × 0.002634408602 = 0.2634 → 0.26; 15.21 × 0.003198924731 = 0.0487 → 0.05 (the test's last split).
    expect(stretchInterest(b, row, 10_000, d('2024-01-01'), d('2024-01-15'))).toBe(26);
    expect(stretchInterest(b, row, 1521, d('2024-01-15'), d('2024-02-01'))).toBe(5);
    // A whole period is the schedule's interest: 100.00 × 0.07 / 12 = 0.58.
    expect(stretchInterest(b, row, 10_000, d('2024-01-01'), d('2024-02-01'))).toBe(58);
  });
});

describe('early payments and payoff (ProgressiveEMICalculatorTest)', () => {
  it('payoff_on0115: on its due date the first installment is 16.43 + 0.58; paid off on 01-15 it owes 0.26', () => {
    const due = state(opening, '2024-02-01', false);
    expect([due.installments[0]!.due.principal, due.installments[0]!.due.interest]).toEqual([1643, 58]);
    const early = state(opening, '2024-01-15', false);
    const quote = calculatePayoff(early, d('2024-01-15'));
    // Fineract: payable principal 16.75 and interest 0.26 of the first installment (17.01), the rest principal.
    expect([quote.principal, quote.interest, quote.total]).toEqual([10_000, 26, 10_026]);
    const paid = state([...opening, event('payoff', 3, '2024-01-15', quote.total)], '2024-01-15');
    expect(paid.status).toBe('paid_off');
    expect(interestOf(paid)).toEqual([26, 0, 0, 0, 0, 0]);
    expect(paid.journal.every(isBalanced)).toBe(true);
  });

  it('payoff_on0215 and the TILL_PRECLOSE e2e payoff: 83.57 + 0.24 after the first installment', () => {
    const events = [...opening, event('payment', 3, '2024-02-01', 1701)];
    // Forecast for the second installment's due date: 16.52 + 0.49 (getPayableDetails on 2024-03-01).
    const forecast = state(events, '2024-03-01', false).installments[1]!;
    expect([forecast.due.principal, forecast.due.interest]).toEqual([1652, 49]);
    // On 2024-02-15: balance 83.57, interest earned 0.24 (83.57 × 0.002816091954 = 0.2353 → 0.24).
    const quote = calculatePayoff(state(events, '2024-02-15', false), d('2024-02-15'));
    expect([quote.principal, quote.interest, quote.total]).toEqual([8357, 24, 8381]);
    const paid = state([...events, event('payoff', 4, '2024-02-15', 8381)], '2024-02-15');
    expect(paid.status).toBe('paid_off');
    // Loan.feature: "15 February 2024 | Repayment | 83.81 | 83.57 | 0.24".
    const lines = paid.payments.at(-1)!.lines;
    const sum = (c: string) => lines.filter((l) => l.component === c).reduce((a, l) => a + l.amount, 0);
    expect([sum('principal'), sum('interest')]).toEqual([8357, 24]);
  });

  it('a payment of the running installment before its due date lowers that period’s interest', () => {
    // The second period split on 2024-02-15 (…add_balance_correction_on0215: rate factors 0.002816091954 and
    // 0.003017241379, 16.77 + 0.24 paid, 66.80 left earning 0.20 to the due date):
    // 0.24 earned on 83.57, then 0.003017241379 × the balance left.
    const events = [
      ...opening,
      event('payment', 3, '2024-02-01', 1701),
      event('payment', 4, '2024-02-15', 1701),
    ];
    const s = state(events, '2024-02-15');
    const left = s.installments.reduce((a, r) => a + r.due.principal - r.paid.principal, 0);
    // 17.01 less the 0.24 earned pays 16.77 of principal: 66.80 left, × 0.003017241379 = 0.2016 → 0.20.
    expect(left).toBe(6680);
    expect(s.installments[1]!.interestAccrual).toBe(24 + 20);
  });

  it('payoff_on0115, five installments paid on 01-15 (adjust_last_unpaid_period): 16.75 + 0.26, 17.01 × 4, 15.21 + 0.50', () => {
    // checkPeriod in the Fineract test: the first period 16.75 principal + 0.26 interest, the next four 17.01
    // principal and no interest, the last 15.21 + 0.50 (the balance left earns 0.05 to 02-01 and 0.09 a month).
    const events = [...opening, event('payment', 3, '2024-01-15', 5 * 1701)];
    const s = state(events, '2024-02-01');
    expect(s.installments.map((r) => [r.due.principal, r.due.interest])).toEqual([
      [1675, 26],
      [1701, 0],
      [1701, 0],
      [1701, 0],
      [1701, 0],
      [1521, 50],
    ]);
    expect(s.daysPastDue).toBe(0);
    expect(s.journal.every(isBalanced)).toBe(true);
  });
});

describe('late payments (Loan.feature "Interest recalculation - S…" scenarios)', () => {
  it('S1 daily for overdue loan: nothing paid, every period earns on the whole 100.00 (0.58 each)', () => {
    expect(interestOf(state(opening, '2024-07-15'))).toEqual([58, 58, 58, 58, 58, 58]);
  });

  it('S3 1 paid, 1 overdue: the overdue installment paid on 03-10 gives Fineract’s interest for every period', () => {
    // Fineract on business date 2024-03-10: 0.58, 0.49, 0.42 (83.57 for 9 days, 67.05 for 22 of 31), 0.29, 0.20, 0.10.
    const s = state(
      [...opening, event('payment', 3, '2024-02-01', 1701), event('payment', 4, '2024-03-10', 1701)],
      '2024-03-10',
    );
    expect(interestOf(s)).toEqual([58, 49, 42, 29, 20, 10]);
  });

  it('S2 2 overdue: both paid on 03-10, every period earns Fineract’s 0.58, 0.58, 0.45, 0.30, 0.20, 0.10', () => {
    // The second period earns on the whole 100.00 (0.58), the third 100.00 for 9 days and 67.05 after (0.17 + 0.28).
    // Each overdue installment keeps its 17.01 (principal 16.43, 16.43, 16.56: the interest it earned taken from its
    // principal, recalculation-progressive.ts `keepInstallmentsFrom`), so the later rows earn on 50.58, 33.87 and
    // 17.06: 0.30, 0.20, 0.10, Fineract's figures for the whole loan.
    const s = state([...opening, event('payment', 3, '2024-03-10', 1701 + 1701)], '2024-03-10');
    expect(interestOf(s)).toEqual([58, 58, 45, 30, 20, 10]);
    expect(s.installments.map((r) => r.due.principal)).toEqual([1643, 1643, 1656, 1671, 1681, 1706]);
    expect(s.installments.slice(0, 2).every((r) => r.paid.principal === r.due.principal)).toBe(true);
  });
});

describe('payoff interest till the period end (Loan.feature "…TILL_REST_FREQUENCY_DATE product")', () => {
  it('a payoff on 02-15 charges the whole period’s 0.49: 84.06', () => {
    const tillEnd = loanTerms({ ...progressive, payoff_interest: 'till_period_end' }, request);
    const events = [...opening, event('payment', 3, '2024-02-01', 1701)];
    const quote = calculatePayoff(state(events, '2024-02-15', false, tillEnd), d('2024-02-15'));
    expect([quote.principal, quote.interest, quote.total]).toEqual([8357, 49, 8406]);
  });
});

// Fineract's integration test LoanInterestRecalculationCOBTest (integration-tests/src/test/java/org/apache/fineract/
// integrationtests/LoanInterestRecalculationCOBTest.java), product create4IProgressive (BaseLoanIntegrationTest):
// €8,000 at 10% from 2023-01-01, 4 monthly installments, days in month 30 over 360, interest recalculation with
// daily rest, advanced payment allocation (past-due principal before interest). The interest of the periods up to
// the last payment is compared; the later ones follow Fineract's re-split principal (adjust_last_unpaid_period).
describe('overdue installments paid late (LoanInterestRecalculationCOBTest, 4I progressive)', () => {
  const fourI = loanTerms(
    { ...progressive, allocation_order: ['penalties', 'fees', 'principal', 'interest'] },
    fineract8000At10,
  );
  const start = openedOn('2023-01-01');

  it('starts from Fineract’s schedule: 1975.17 + 66.67, 1991.63 + 50.21, 2008.23 + 33.61, 2024.97 + 16.87', () => {
    expect(generateSchedule(fourI).rows.map((r) => [r.principal, r.interest])).toEqual([
      [197_517, 6667],
      [199_163, 5021],
      [200_823, 3361],
      [202_497, 1687],
    ]);
  });

  it('…LatePartialRepaymentDailyInterestCalculation: 500 and 541.84 on 03-10, 1000 on 03-20: the third period earns 40.99', () => {
    // 6,024.83 for 9 of 31 days (14.58), 4,982.99 for 10 (13.40), 4,033.20 for 12 (13.01).
    const events = [
      ...start,
      event('payment', 3, '2023-02-01', 204_184),
      event('payment', 4, '2023-03-10', 50_000),
      event('payment', 5, '2023-03-10', 54_184),
    ];
    const partly = state(events, '2023-03-10', true, fourI).installments[1]!;
    // Fineract: installment 2 has 1,041.84 of principal paid, 949.79 and its 50.21 of interest outstanding.
    expect([
      partly.paid.principal,
      partly.due.principal - partly.paid.principal,
      partly.due.interest,
    ]).toEqual([104_184, 94_979, 5021]);
    const s = state([...events, event('payment', 6, '2023-03-20', 100_000)], '2023-03-20', true, fourI);
    expect(interestOf(s).slice(0, 3)).toEqual([6667, 5021, 4099]);
  });

  it('…LatePayPayOnDuePayLatePayOnDateDaily: the first installment paid on 02-20, 2041.84 on 03-01', () => {
    // The second period earns 8,000 for 19 of 28 days and 6,024.83 for 9 (45.24 + 16.14 = 61.38); the third starts
    // on 4,044.37 once 03-01's payment is in (33.70). Fineract keeps the installment at 2,041.84, so that payment
    // is 61.38 of interest and 1,980.46 of principal, here with interest first (the default allocation order; the
    // next case allocates principal first, as Fineract does).
    const interestFirst = { ...fourI, allocationOrder: terms.allocationOrder };
    const s = state(
      [...start, event('payment', 3, '2023-02-20', 204_184), event('payment', 4, '2023-03-01', 204_184)],
      '2023-03-01',
      true,
      interestFirst,
    );
    expect(s.installments[1]!.paid.principal).toBe(198_046);
    expect(interestOf(s).slice(0, 3)).toEqual([6667, 6138, 3370]);
  });

  it('…LatePayPayOnDuePayLatePayOnDateDaily with principal first (as Fineract allocates): rows to the cent', () => {
    // The second period started on the overdue 8,000 keeps its installment (recalculation-progressive.ts
    // `keepInstallmentsFrom`), so 03-01's 2,041.84 pays Fineract's 1,980.46 + 61.38, leaving 4,044.37 (33.70).
    const s = state(
      [...start, event('payment', 3, '2023-02-20', 204_184), event('payment', 4, '2023-03-01', 204_184)],
      '2023-03-01',
      true,
      fourI,
    );
    expect(
      s.installments.slice(0, 3).map((r) => [r.due.principal, r.due.interest, r.paid.principal]),
    ).toEqual([
      [197_517, 6667, 197_517],
      [198_046, 6138, 198_046],
      [200_814, 3370, 0],
    ]);
  });

  it('…On4IProgressiveLoanCOBStepDaily: nothing paid, every period to the business date earns on the whole 8,000', () => {
    expect(interestOf(state(start, '2023-04-20', true, fourI)).slice(0, 3)).toEqual([6667, 6667, 6667]);
  });
});

// LoanInterestRefundTest.verifyInterestRefundCreatedForPayoutRefund (integration-tests/src/test/java/org/apache/
// fineract/integrationtests/LoanInterestRefundTest.java): create4IProgressive with days in month and year actual,
// €1,000 at 9.99% from 2021-01-01, 12 months; paid off on 2021-01-22 the loan has earned 5.75 (Fineract's accrual
// and interest refund): 1,000 × 9.99% × 31/365 × 21/31 = 5.7477, rounded on its own. Counting it back from the
// period's 8.48 (8.4847) less the rest of the period's 2.74 (2.7370) would give 5.74: the stretches are rounded one
// by one, as Fineract's interest periods are.
describe('a stretch rounded on its own (LoanInterestRefundTest, days in month and year actual)', () => {
  it('earns 5.75 from 01-01 to 01-22', () => {
    const actual = loanTerms(
      { ...progressive, days_in_month: 'actual', days_in_year: 'actual' },
      {
        principal: 100_000,
        annual_interest_rate: '9.99',
        term_count: 12,
        disbursement_date: '2021-01-01',
        first_payment_date: '2021-02-01',
      },
    );
    const start = openedOn('2021-01-01');
    expect(generateSchedule(actual).rows[0]!.interest).toBe(848);
    const quote = calculatePayoff(state(start, '2021-01-22', false, actual), d('2021-01-22'));
    expect([quote.principal, quote.interest]).toEqual([100_000, 575]);
    // A payment that day lowers the balance from then on, from the 5.75 earned: 5.75 + 1.00 × … to 02-01.
    const s = state([...start, event('payment', 3, '2021-01-22', 50_000)], '2021-01-22', true, actual);
    const left = s.installments.reduce((a, r) => a + r.due.principal - r.paid.principal, 0);
    const tail = stretchInterest(s.basis, s.installments[0]!, left, d('2021-01-22'), d('2021-02-01'));
    expect(s.installments[0]!.interestAccrual).toBe(575 + tail);
  });
});

// Daily interest (interest_calculation daily, recalculation.ts without period factors): Fineract's e2e product
// LP1_INTEREST_DECLINING_BALANCE_DAILY_RECALCULATION_COMPOUNDING_NONE (cumulative schedule, days in year actual),
// LoanAccrualTransaction.feature "Verify that after disbursement and COB job Accrual event is raised when loan has a
// interest recalculation": €5,000 at 12% from 2023-01-01, 6 months; the periodic accrual for 01-01 is 1.64.
describe('daily interest recalculation (LoanAccrualTransaction.feature)', () => {
  it('accrues 1.64 for the first day: 5,000 × 12% / 365', () => {
    const daily = loanTerms(
      {
        interest_calculation: 'daily',
        day_count: 'actual/365',
        rounding: { mode: 'half_even', installment_multiple: 1 },
        interest_recalculation: { rest: 'daily', compounding: 'none' },
      },
      { principal: 500_000, annual_interest_rate: '12', term_count: 6, disbursement_date: '2023-01-01' },
    );
    const events = openedOn('2023-01-01');
    const s = state(events, '2023-01-01', true, daily);
    const accruals = s.journal.filter((e) => e.kind === 'accrual');
    const income = accruals.flatMap((e) => e.lines).filter((l) => l.account === 'interest_income');
    expect(income.reduce((a, l) => a + l.amount, 0)).toBe(164);
  });
});
