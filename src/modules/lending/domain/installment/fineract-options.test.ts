import { describe, expect, it } from 'vitest';
import { loanTerms, program } from '../../../../../test/support/lending/installment.js';
import { resolveLoanTerms } from './resolve.js';
import { generateSchedule } from './schedule.js';
import { installmentProgramTermsSchema } from './terms.js';

/**
 * Each schedule option against the schedule Apache Fineract's own tests assert (apache/fineract, the class and test
 * named in each case), or, where Fineract states its rule without a published case, against the rule.
 */

const rows = (program: Record<string, unknown>, request: Record<string, unknown>) =>
  generateSchedule(loanTerms(program, request)).rows.map((r) => [r.principal, r.interest, r.total]);

/** 365/actual-month progressive loans, as Fineract's ProgressiveEMICalculatorTest configures them. */
const progressive365 = {
  interest_calculation: 'period_days',
  days_in_month: 'actual',
  days_in_year: '365',
  level_payment: 'period_rates',
};

describe('progressive schedule: period rates, level payment from them, the adjustment pass', () => {
  // ProgressiveEMICalculatorTest.testEMICalculation_CheckEmiButNewEmiNotBetterThanOriginal: $100 at 15.678% from
  // 2024-01-01, 6 months, days in year 365, days in month actual: rate factors 31/365, 29/365, 31/365 ... × R,
  // EMI 17.43, last 17.47; the adjustment pass tries 17.44 and keeps 17.43 (its last installment is no closer).
  const request = {
    principal: 10_000,
    annual_interest_rate: '15.678',
    term_count: 6,
    disbursement_date: '2024-01-01',
  };

  it('reproduces Fineract’s rows to the cent, with and without the adjustment pass', () => {
    const expected = [
      [1610, 133, 1743],
      [1638, 105, 1743],
      [1653, 90, 1743],
      [1677, 66, 1743],
      [1697, 46, 1743],
      [1725, 22, 1747],
    ];
    expect(rows(progressive365, request)).toEqual(expected);
    expect(rows({ ...progressive365, level_payment_adjustment: true }, request)).toEqual(expected);
  });

  it('differs by cents from Plinth’s default (nominal monthly rate, daily interest by days)', () => {
    const nominal = rows({ interest_calculation: 'daily', day_count: 'actual/365' }, request);
    expect(nominal).not.toEqual(rows(progressive365, request));
  });

  it('adopts the corrected payment when the last installment comes closer (Fineract’s rule)', () => {
    // ProgressiveEMICalculator.checkAndAdjustEmiIfNeededOnRelatedRepaymentPeriods: $100 at 9.4822% over 4 months
    // (365/actual): EMI 25.49 leaves a last installment of 25.52; the gap 0.03 × 100 > ⌊4 / 2⌋, so 25.49 + 0.03/4
    // → 25.50 is tried; its last installment 25.49 is closer, and it is kept.
    const short = { ...request, annual_interest_rate: '9.4822', term_count: 4 };
    expect(rows(progressive365, short).map((r) => r[2])).toEqual([2549, 2549, 2549, 2552]);
    expect(rows({ ...progressive365, level_payment_adjustment: true }, short)).toEqual([
      [2469, 81, 2550],
      [2493, 57, 2550],
      [2509, 41, 2550],
      [2529, 20, 2549],
    ]);
  });

  // LoanScheduleGeneratorTest (fineract-progressive-loan): 30/360 gives every month R/12, Plinth's default.
  it('gives Plinth’s default rows for 30-day months over 360 days', () => {
    const r = {
      principal: 10_000,
      annual_interest_rate: '9.4822',
      term_count: 6,
      disbursement_date: '2024-01-01',
    };
    const thirty = { ...progressive365, days_in_month: '30', days_in_year: '360' };
    expect(rows(thirty, r)).toEqual(rows({}, r));
  });
});

describe('repayment every N days or weeks (period_days)', () => {
  const r = { principal: 10_000, annual_interest_rate: '9.4822', disbursement_date: '2024-01-01' };
  // Fineract's progressive calculator always runs its adjustment pass; here it changes the 2-week case (33.58 →
  // 33.57: the last installment 33.56 is 2 cents off, 33.57 leaves it 1 cent off).
  const every = (count: number, unit: string, daysInYear: string) => ({
    interest_calculation: 'period_days',
    days_in_year: daysInYear,
    level_payment: 'period_rates',
    level_payment_adjustment: true,
    repayment_every: { count, unit },
  });

  it('weekly over a 364-day year (ProgressiveEMICalculatorTest …dayInYears364_daysInMonthActual_repayEvery1Week)', () => {
    const s = generateSchedule(loanTerms(every(1, 'weeks', '364'), { ...r, term_count: 6 }));
    expect(s.rows.map((x) => x.dueDate)).toEqual([
      '2024-01-08',
      '2024-01-15',
      '2024-01-22',
      '2024-01-29',
      '2024-02-05',
      '2024-02-12',
    ]);
    expect(s.rows.map((x) => [x.principal, x.interest, x.total])).toEqual([
      [1659, 18, 1677],
      [1662, 15, 1677],
      [1665, 12, 1677],
      [1668, 9, 1677],
      [1671, 6, 1677],
      [1675, 3, 1678],
    ]);
  });

  it('every 2 weeks over 364 days (…repayEvery2Week), the payment adjusted', () => {
    const plain = { ...every(2, 'weeks', '364'), level_payment_adjustment: false };
    expect(rows(plain, { ...r, term_count: 3 }).map((x) => x[2])).toEqual([3358, 3358, 3356]);
    expect(rows(every(2, 'weeks', '364'), { ...r, term_count: 3 })).toEqual([
      [3321, 36, 3357],
      [3333, 24, 3357],
      [3346, 12, 3358],
    ]);
  });

  it('every 15 days over 360 days (…dayInYears360_daysInMonthDoesntMatter_repayEvery15Days)', () => {
    const s = generateSchedule(loanTerms(every(15, 'days', '360'), { ...r, term_count: 6 }));
    expect(s.rows.map((x) => x.dueDate)).toEqual([
      '2024-01-16',
      '2024-01-31',
      '2024-02-15',
      '2024-03-01',
      '2024-03-16',
      '2024-03-31',
    ]);
    expect(s.rows.map((x) => [x.principal, x.interest, x.total])).toEqual([
      [1650, 40, 1690],
      [1657, 33, 1690],
      [1664, 26, 1690],
      [1670, 20, 1690],
      [1677, 13, 1690],
      [1682, 7, 1689],
    ]);
  });
});

describe('a schedule that starts before the disbursement (first_period_interest: prorated)', () => {
  // AdvancedPaymentAllocationLoanRepaymentScheduleTest.uc147c: submitted 2024-01-01 (repayment start date: the
  // submitted-on date), disbursed $100 on 2024-01-08, 6 months at 9.4822%, 30/360: the first period is charged
  // R/12 × 24/31 and the level payment is built with that rate; Fineract's summary after the disbursement shows
  // $102.60 outstanding (interest $2.60).
  it('charges the short first period its share of the month and levels the payment with it', () => {
    const s = generateSchedule(
      loanTerms(
        { first_period_interest: 'prorated', level_payment: 'period_rates' },
        {
          principal: 10_000,
          annual_interest_rate: '9.4822',
          term_count: 6,
          disbursement_date: '2024-01-08',
          first_payment_date: '2024-02-01',
        },
      ),
    );
    expect(s.totals.interest).toBe(260);
    expect(s.rows[0]).toMatchObject({ interest: 61, total: 1710 });
    expect(s.rows.every((row) => row.total === 1710)).toBe(true);
  });
});

describe('fixed principal percentage, flat interest for the whole term, a 365-day year', () => {
  // LoanFixedPrincipalPercentageAmortizationTest: $100,000 from 2011-09-20, 2% a month (24%), interest by days,
  // days in year ACTUAL on Fineract's cumulative schedule (which counts 365 even in 2012), equal principal at 5% per
  // installment, the last installment the rest.
  const request = { principal: 10_000_000, annual_interest_rate: '24', disbursement_date: '2011-09-20' };
  const declining = {
    interest_calculation: 'daily',
    day_count: 'actual/365',
    amortization: 'equal_principal',
    principal_percent_per_installment: '5',
  };

  it('declining balance, 13 installments (checkLoanCreateAndDisburseFlowWithFixedPrincipalPercentage)', () => {
    const s = generateSchedule(loanTerms(declining, { ...request, term_count: 13 })).rows;
    expect(s.slice(0, 12).every((r) => r.principal === 500_000)).toBe(true);
    expect(s[12]!.principal).toBe(4_000_000);
    expect([0, 1, 2, 11, 12].map((k) => [s[k]!.dueDate, s[k]!.interest])).toEqual([
      ['2011-10-20', 197_260],
      ['2011-11-20', 193_644],
      ['2011-12-20', 177_534],
      ['2012-09-20', 91_726], // 31 days of 2012 over 365, not 366
      ['2012-10-20', 78_904],
    ]);
  });

  it('with 6 periods of principal grace (…WithPrincipalGrace)', () => {
    const graced = generateSchedule(
      loanTerms(
        { ...declining, term_count: { min: 7, max: 600, default: 19 }, grace: { principal_periods: 6 } },
        { ...request, term_count: 19 },
      ),
    ).rows;
    expect([0, 5, 6, 17, 18].map((k) => [graced[k]!.principal, graced[k]!.interest])).toEqual([
      [0, 197_260],
      [0, 190_685],
      [500_000, 203_836],
      [500_000, 82_849],
      [4_000_000, 81_534],
    ]);
  });

  it('flat interest for the whole term, its remainder in the last installment (…AndFlatInterest)', () => {
    const s = generateSchedule(
      loanTerms(
        { ...declining, interest_method: 'flat', flat_interest: 'whole_term' },
        { ...request, term_count: 13 },
      ),
    ).rows;
    expect(s.slice(0, 12).every((r) => r.interest === 200_295 && r.principal === 500_000)).toBe(true);
    expect([s[12]!.principal, s[12]!.interest]).toEqual([4_000_000, 200_296]);
  });
});

describe('installment multiples per component (flat)', () => {
  // LoanApplicationTerms.calculateTotalPrincipalPerPeriodWithoutGrace, Fineract's worked example: principal 416.67 →
  // 417, interest 12.50 → 13, principal 417 + 13 − 12.50 = 417.50, so the installment (430) is a whole multiple.
  it('rounds principal and interest each to the multiple and sets the principal to match', () => {
    const s = generateSchedule(
      loanTerms(
        {
          interest_method: 'flat',
          installment_multiple_rounding: 'components',
          rounding: { mode: 'half_up', installment_multiple: 100 },
        },
        { principal: 500_000, annual_interest_rate: '3', term_count: 12, disbursement_date: '2024-01-15' },
      ),
    ).rows;
    expect(s[0]).toMatchObject({ principal: 41_750, interest: 1_250, total: 43_000 });
    expect(s.slice(0, -1).every((r) => r.total % 100 === 0)).toBe(true);
    expect(s.reduce((sum, r) => sum + r.principal, 0)).toBe(500_000);
  });
});

describe('interest-free grace (Fineract graceOnInterestCharged)', () => {
  it('waives the first periods’ interest instead of deferring it', () => {
    const program = { term_count: { min: 3, max: 600, default: 12 } };
    const r = {
      principal: 1_200_000,
      annual_interest_rate: '12',
      term_count: 12,
      disbursement_date: '2024-01-15',
    };
    const free = generateSchedule(loanTerms({ ...program, grace: { interest_free_periods: 2 } }, r));
    const deferred = generateSchedule(loanTerms({ ...program, grace: { interest_periods: 2 } }, r));
    expect(free.rows.slice(0, 2).map((x) => [x.interest, x.interestAccrual])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(deferred.rows[2]!.interest).toBeGreaterThan(free.rows[2]!.interest);
    expect(free.totals.interest).toBeLessThan(deferred.totals.interest);
    expect(free.totals.principal).toBe(1_200_000);
  });
});

describe('fixed length (Fineract fixedLength)', () => {
  // AdvancedPaymentAllocationLoanRepaymentScheduleTest uc126-uc128: 100.00 disbursed on 22 November 2023, no
  // interest, installments in whole units (Plinth: USD with installment_multiple 100); the last due date is the fixed
  // length after disbursement.
  const loan = (program: Record<string, unknown>, termCount: number) =>
    generateSchedule(
      loanTerms(
        {
          annual_interest_rate: { min: '0', max: '0', default: '0' },
          rounding: { mode: 'half_even', installment_multiple: 100 },
          ...program,
        },
        { principal: 10_000, term_count: termCount, disbursement_date: '2023-11-22' },
      ),
    ).rows.map((r) => [r.dueDate, r.principal]);

  it('uc126: every 15 days, 3 repayments, 40 days long', () => {
    expect(loan({ repayment_every: { count: 15, unit: 'days' }, fixed_length: 40 }, 3)).toEqual([
      ['2023-12-07', 3300],
      ['2023-12-22', 3300],
      ['2024-01-01', 3400],
    ]);
  });

  it('uc127: every 2 weeks, 3 repayments, 5 weeks long', () => {
    expect(loan({ repayment_every: { count: 2, unit: 'weeks' }, fixed_length: 5 }, 3)).toEqual([
      ['2023-12-06', 3300],
      ['2023-12-20', 3300],
      ['2023-12-27', 3400],
    ]);
  });

  it('uc128: every 2 months, 6 repayments, 11 months long', () => {
    expect(loan({ repayment_every: { count: 2, unit: 'months' }, fixed_length: 11 }, 6)).toEqual([
      ['2024-01-22', 1700],
      ['2024-03-22', 1700],
      ['2024-05-22', 1700],
      ['2024-07-22', 1700],
      ['2024-09-22', 1700],
      ['2024-10-22', 1500],
    ]);
  });

  it('uc129: a length that leaves the last period empty is refused, naming term_count; interest needs daily', () => {
    const p = program({
      annual_interest_rate: { min: '0', max: '0', default: '0' },
      repayment_every: { count: 1, unit: 'months' },
      fixed_length: 5,
    });
    const r = resolveLoanTerms(p, { principal: 10_000, term_count: 6, disbursement_date: '2023-11-22' });
    expect(r.ok ? [] : r.error.fields?.map((f) => f.path)).toEqual(['term_count']);
    const interest = installmentProgramTermsSchema.safeParse({
      currency: 'USD',
      annual_interest_rate: { min: '0', max: '10', default: '5' },
      term_count: { min: 1, max: 12, default: 6 },
      principal: { min: 1, max: 1_000_000 },
      fixed_length: 5,
    });
    expect(interest.success ? [] : interest.error.issues.map((i) => i.path.join('.'))).toEqual([
      'fixed_length',
    ]);
  });
});
