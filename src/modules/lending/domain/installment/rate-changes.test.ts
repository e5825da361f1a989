import { describe, expect, it } from 'vitest';
import { program, programIssuePaths } from '../../../../../test/support/lending/installment.js';
import { resolveLoanTerms } from './resolve.js';
import { generateSchedule } from './schedule.js';

/**
 * Rate changes during the loan (rate-changes.ts) against the schedules Apache Fineract's tests assert:
 * ProgressiveEMICalculatorTest (fineract-progressive-loan) ..._reschedule_interest_on0201_4per and
 * ..._reschedule_interest_on0215_4per, and LoanReschedule.feature "multiple installments, new interest rate"
 * (fineract-e2e-tests-runner).
 */

const resolve = (p: Record<string, unknown>, request: Record<string, unknown>) => {
  const terms = resolveLoanTerms(program({ rate_changes: true, ...p }), request);
  if (!terms.ok) throw new Error(JSON.stringify(terms.error));
  return terms.value;
};
const rows = (p: Record<string, unknown>, request: Record<string, unknown>) =>
  generateSchedule(resolve(p, request)).rows.map((r) => [r.principal, r.interest, r.total]);

/** Fineract's progressive 30/360 schedule: $100 at 7% from 2024-01-01 over 6 months. */
const progressive = {
  interest_calculation: 'period_days',
  days_in_month: '30',
  days_in_year: '360',
  level_payment: 'period_rates',
};
const loan = { principal: 10_000, annual_interest_rate: '7', term_count: 6, disbursement_date: '2024-01-01' };

describe('rate changes: Fineract ProgressiveEMICalculatorTest (7% → 4%)', () => {
  it('from a period’s start: that installment on at the new rate, re-amortized (interest on 02-01)', () => {
    // Fineract takes the change date 2024-02-02 as effective the day before: the whole second period at 4%.
    const changed = rows(progressive, {
      ...loan,
      rate_changes: [{ effective_date: '2024-02-01', annual_interest_rate: '4' }],
    });
    expect(changed).toEqual([
      [1643, 58, 1701],
      [1660, 28, 1688],
      [1666, 22, 1688],
      [1671, 17, 1688],
      [1677, 11, 1688],
      [1683, 6, 1689],
    ]);
  });

  it('within a period: its days before at the old rate, after at the new, the rest re-amortized (on 02-15)', () => {
    // Effective 2024-02-14 (the change date 02-15 less a day): 13 of February's 29 days at 7%, 16 at 4%.
    const changed = rows(progressive, {
      ...loan,
      rate_changes: [{ effective_date: '2024-02-14', annual_interest_rate: '4' }],
    });
    expect(changed).toEqual([
      [1643, 58, 1701],
      [1653, 37, 1690],
      [1668, 22, 1690],
      [1673, 17, 1690],
      [1679, 11, 1690],
      [1684, 6, 1690],
    ]);
  });

  it('two changes in one period: each rate for its days, the rest re-amortized at the last (7% → 4% → 12%)', () => {
    // February 2024 (29 days) earns 7% for 9 days, 4% from 02-10 for 10 and 12% from 02-20 for 10: Fineract's rate
    // factor of a repayment period is the sum of its interest periods', each at the rate in force from its start
    // (ProgressiveEMICalculator.calculateRateFactorPerPeriod reads scheduleModel.getInterestRate(interestPeriod
    // .getFromDate()); the cumulative generator likewise steps its rate at each variation's date,
    // CumulativeDecliningBalanceInterestLoanScheduleGenerator.calculatePrincipalInterestComponentsForPeriod).
    // f2 = (0.07 × 9 + 0.04 × 10 + 0.12 × 10) / (12 × 29); 8,357 × f2 = 53.55 → 54. The EMI over the five periods
    // left at f2, then 1% a month: 8,357 / Σ_k Π_{i≤k} 1/(1 + f_i) = 1,715.75 → 1,716.
    const changed = rows(progressive, {
      ...loan,
      rate_changes: [
        { effective_date: '2024-02-10', annual_interest_rate: '4' },
        { effective_date: '2024-02-20', annual_interest_rate: '12' },
      ],
    });
    expect(changed).toEqual([
      [1643, 58, 1701],
      [1662, 54, 1716],
      [1649, 67, 1716],
      [1666, 50, 1716],
      [1682, 34, 1716],
      [1698, 17, 1715],
    ]);
  });

  it('two changes in one period with per-period interest: the period’s interest blended over the three rates', () => {
    const changes = [
      { effective_date: '2024-02-10', annual_interest_rate: '4' },
      { effective_date: '2024-02-20', annual_interest_rate: '12' },
    ];
    const schedule = generateSchedule(resolve({}, { ...loan, rate_changes: changes })).rows;
    // round(8,357 × (7% × 9 + 4% × 10 + 12% × 10) / 29 / 12) = round(53.55)
    expect(schedule[1]!.openingBalance).toBe(8357);
    expect(schedule[1]!.interest).toBe(54);
    expect(schedule[2]!.interest).toBe(Math.round(schedule[2]!.openingBalance * 0.01));
  });

  it('keeps today’s schedule without changes', () => {
    expect(rows(progressive, loan)).toEqual(rows({ ...progressive, rate_changes: false }, loan));
  });
});

describe('rate changes: Fineract LoanReschedule.feature, flat interest, new rate from installment 2', () => {
  it('charges the new rate from the installment’s period, principal unchanged', () => {
    // 3,000 flat at 12% over 3 months from 2023-07-01; rescheduled from installment 2 (due 2023-09-01) to 6%.
    const flat = rows(
      { interest_method: 'flat' },
      {
        principal: 300_000,
        annual_interest_rate: '12',
        term_count: 3,
        disbursement_date: '2023-07-01',
        rate_changes: [{ effective_date: '2023-08-01', annual_interest_rate: '6' }],
      },
    );
    expect(flat).toEqual([
      [100_000, 3000, 103_000],
      [100_000, 1500, 101_500],
      [100_000, 1500, 101_500],
    ]);
  });
});

describe('rate changes: daily interest (Fineract cumulative, an interest-rate variation within a period)', () => {
  // $12,000 at 24%, actual/365, monthly from 2024-01-15; 6% from 2024-02-20, within the period 02-15 .. 03-15.
  const daily = { interest_calculation: 'daily', day_count: 'actual/365' };
  const request = {
    principal: 1_200_000,
    annual_interest_rate: '24',
    term_count: 6,
    disbursement_date: '2024-01-15',
  };
  const change = { effective_date: '2024-02-20', annual_interest_rate: '6' };
  /** round(B × R × days / 365), far from a tie. */
  const part = (b: number, percent: number, days: number) => Math.round((b * percent * days) / 36_500);

  it('earns each rate for its days in the period holding the date, each part rounded, and re-amortizes from it', () => {
    const before = generateSchedule(resolve(daily, request)).rows;
    const after = generateSchedule(resolve(daily, { ...request, rate_changes: [change] })).rows;
    expect(after[0]).toEqual(before[0]);
    const opening = after[1]!.openingBalance;
    expect(opening).toBe(before[1]!.openingBalance);
    // 5 days at 24% (02-15 .. 02-20), 24 at 6% (02-20 .. 03-15, a leap February).
    expect(after[1]!.interest).toBe(part(opening, 24, 5) + part(opening, 6, 24));
    // From then on every period is at 6% by its days (March 15 .. April 15: 31 days).
    expect(after[2]!.interest).toBe(part(after[2]!.openingBalance, 6, 31));
    // The installments from period 2 are level again at 6% a year (the nominal monthly annuity over 5 periods).
    const level = after[1]!.total;
    for (const r of after.slice(2, -1)) expect(r.total).toBe(level);
    expect(after.reduce((sum, r) => sum + r.principal, 0)).toBe(1_200_000);
    expect(level).toBe(
      Math.round((opening * 0.005) / (1 - 1.005 ** -5)), // 6% / 12 over the 5 installments left
    );
  });

  it('splits a period at each of two changes in it', () => {
    const two = [change, { effective_date: '2024-02-25', annual_interest_rate: '12' }];
    const rows2 = generateSchedule(resolve(daily, { ...request, rate_changes: two })).rows;
    const opening = rows2[1]!.openingBalance;
    expect(rows2[1]!.interest).toBe(part(opening, 24, 5) + part(opening, 6, 5) + part(opening, 12, 19));
    expect(rows2[2]!.interest).toBe(part(rows2[2]!.openingBalance, 12, 31));
  });
});

describe('rate changes: validation names the field', () => {
  const fields = (p: Record<string, unknown>, request: Record<string, unknown>) => {
    const r = resolveLoanTerms(program(p), { ...loan, ...request });
    return r.ok ? [] : r.error.fields?.map((f) => f.path);
  };
  const change = (effective_date: string, annual_interest_rate = '4') => ({
    effective_date,
    annual_interest_rate,
  });

  it('refuses changes the program does not allow, rates outside its bounds, dates outside the loan or out of order', () => {
    expect(fields({}, { rate_changes: [change('2024-03-01')] })).toEqual(['rate_changes']);
    const allowed = { rate_changes: true, annual_interest_rate: { min: '1', max: '10', default: '7' } };
    expect(fields(allowed, { rate_changes: [change('2024-03-01', '11')] })).toEqual([
      'rate_changes.0.annual_interest_rate',
    ]);
    expect(fields(allowed, { rate_changes: [change('2024-01-01'), change('2024-07-01')] })).toEqual([
      'rate_changes.0.effective_date',
      'rate_changes.1.effective_date',
    ]);
    expect(fields(allowed, { rate_changes: [change('2024-04-01'), change('2024-03-01')] })).toEqual([
      'rate_changes.1.effective_date',
    ]);
    expect(fields(allowed, { rate_changes: [change('2024-03-01'), change('2024-04-10', '9')] })).toEqual([]);
  });

  it('is refused by the program schema where it does not apply', () => {
    const paths = (terms: Record<string, unknown>) => programIssuePaths({ rate_changes: true, ...terms });
    expect(paths({})).toEqual([]);
    expect(paths({ interest_calculation: 'daily' })).toEqual([]);
    expect(paths({ future_installments: 'reamortize' })).toEqual(['rate_changes']);
    expect(paths({ fixed_installment: { min: 1, max: 2 } })).toEqual(['rate_changes']);
    expect(paths({ amortization: 'equal_principal', principal_percent_per_installment: '10' })).toEqual([
      'rate_changes',
    ]);
  });
});
