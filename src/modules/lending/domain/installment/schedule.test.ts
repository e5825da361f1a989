import { describe, expect, it } from 'vitest';
import { loanTerms } from '../../../../../test/support/lending/installment.js';
import { generateSchedule, snapshotSchedule } from './schedule.js';

// Expected figures come from each case's definition or published source, never from this code's output.

const mortgage = (rate: string, principal: number) =>
  loanTerms(
    { term_count: { min: 1, max: 480, default: 360 } },
    {
      principal,
      annual_interest_rate: rate,
      disbursement_date: '2024-01-01',
      first_payment_date: '2024-02-01',
    },
  );

describe('declining balance, equal installments', () => {
  it('$200,000 at 6% for 360 months pays $1,199.10 a month (standard annuity formula)', () => {
    const s = generateSchedule(mortgage('6', 20_000_000));
    expect(s.rows).toHaveLength(360);
    // Month 1: interest 200,000 × 0.5% = $1,000.00, principal $199.10, balance $199,800.90.
    expect(s.rows[0]).toMatchObject({
      total: 119_910,
      interest: 100_000,
      principal: 19_910,
      balance: 19_980_090,
    });
    expect(s.rows.slice(0, -1).every((r) => r.total === 119_910)).toBe(true);
    expect(s.rows[359]!.balance).toBe(0);
    expect(s.totals.principal).toBe(20_000_000);
    // 359 × 1,199.10 + the last installment; its residue is a few dollars at most.
    expect(Math.abs(s.rows[359]!.total - 119_910)).toBeLessThan(500);
  });

  it('$200,000 at 6.5% for 30 years pays $1,264.14 (Wikipedia, "Mortgage calculator")', () => {
    expect(generateSchedule(mortgage('6.5', 20_000_000)).rows[0]!.total).toBe(126_414);
  });

  it('$100,000 at 7.5% for 30 years pays $699.21', () => {
    expect(generateSchedule(mortgage('7.5', 10_000_000)).rows[0]!.total).toBe(69_921);
  });

  it('weekly: $1,000 at 52% a year for 52 weeks is 1% a week and pays $24.76', () => {
    const t = loanTerms(
      { repayment_frequency: 'weekly' },
      { principal: 100_000, annual_interest_rate: '52', term_count: 52, disbursement_date: '2024-01-01' },
    );
    const s = generateSchedule(t);
    expect(s.rows[0]).toMatchObject({ dueDate: '2024-01-08', total: 2476, interest: 1000 });
    expect(s.rows[51]!.dueDate).toBe('2024-12-30');
  });

  it('rounds the installment to a multiple and lets the last one absorb the residue', () => {
    const t = mortgage('6', 20_000_000);
    const s = generateSchedule({ ...t, rounding: { mode: 'half_even', installmentMultiple: 100 } });
    // $1,199.10 to whole dollars is $1,199.
    expect(s.rows.slice(0, -1).every((r) => r.total === 119_900)).toBe(true);
    expect(s.totals.principal).toBe(20_000_000);
    expect(s.rows[s.rows.length - 1]!.total).toBeGreaterThan(119_900);
  });

  it('finances the principal less the down payment', () => {
    const t = loanTerms({}, { principal: 2_500_000, down_payment: 500_000 });
    const s = generateSchedule(t);
    expect(s.totals).toMatchObject({ downPayment: 500_000, amountFinanced: 2_000_000, principal: 2_000_000 });
    expect(s.rows[0]!.openingBalance).toBe(2_000_000);
  });
});

describe('odd first period', () => {
  it('per period: the first installment carries the odd days’ interest, its principal stays regular', () => {
    // $12,000 at 12%, 12 months, disbursed Jan 10, first payment Mar 1: 51 days on 30/360.
    // Odd interest 12,000 × 12% × 51/360 = $204.00. Regular installment annuity(12,000, 1%, 12) = $1,066.19,
    // whose principal in month 1 is 1,066.19 − 120.00 = $946.19.
    const t = loanTerms(
      {},
      { principal: 1_200_000, disbursement_date: '2024-01-10', first_payment_date: '2024-03-01' },
    );
    const [first, second] = generateSchedule(t).rows;
    expect(first).toMatchObject({ periodStart: '2024-01-10', dueDate: '2024-03-01', interest: 20_400 });
    expect(first).toMatchObject({ principal: 94_619, total: 115_019 });
    expect(second).toMatchObject({ total: 106_619, dueDate: '2024-04-01' });
  });

  it('daily actual/365: every period counts its days', () => {
    // $10,000 at 10%, 3 monthly equal-principal installments from 2023-01-01:
    // Jan 31 days on 10,000.00 → 84.93; Feb 28 days on 6,666.67 → 51.14; Mar 31 days on 3,333.34 → 28.31.
    const t = loanTerms(
      { interest_calculation: 'daily', day_count: 'actual/365', amortization: 'equal_principal' },
      { principal: 1_000_000, annual_interest_rate: '10', term_count: 3, disbursement_date: '2023-01-01' },
    );
    const s = generateSchedule(t);
    expect(s.rows.map((r) => [r.principal, r.interest])).toEqual([
      [333_333, 8493],
      [333_333, 5114],
      [333_334, 2831],
    ]);
  });
});

describe('equal principal and flat interest (Fineract-style product cases)', () => {
  it('equal principal: $12,000 at 12% over 12 months pays $1,000 principal and 120, 110, ... 10 interest', () => {
    const s = generateSchedule(loanTerms({ amortization: 'equal_principal' }, { principal: 1_200_000 }));
    expect(s.rows.map((r) => r.principal)).toEqual(Array(12).fill(100_000));
    expect(s.rows.map((r) => r.interest)).toEqual(
      [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1].map((k) => k * 1000),
    );
    expect(s.totals.interest).toBe(78_000);
  });

  it('flat: $10,000 at 12% for 12 months is $1,200 interest and $933.33 a month, the last $933.37', () => {
    for (const amortization of ['equal_installments', 'equal_principal']) {
      const s = generateSchedule(
        loanTerms({ interest_method: 'flat', amortization }, { principal: 1_000_000 }),
      );
      expect(s.rows.every((r) => r.interest === 10_000)).toBe(true);
      expect(s.rows.slice(0, 11).every((r) => r.total === 93_333)).toBe(true);
      expect(s.rows[11]).toMatchObject({ principal: 83_337, total: 93_337 });
      expect(s.totals.interest).toBe(120_000);
    }
  });
});

describe('grace periods', () => {
  const terms = { min: 4, max: 600, default: 12 };
  it('principal grace: interest only first, then the principal over the remaining periods', () => {
    // $9,000 at 12%, 12 months, 3 periods of principal grace, equal principal: 3 × $90 interest, then 9 × $1,000
    // principal with interest 90, 80, ..., 10.
    const s = generateSchedule(
      loanTerms(
        { amortization: 'equal_principal', grace: { principal_periods: 3 }, term_count: terms },
        { principal: 900_000 },
      ),
    );
    expect(s.rows.map((r) => r.principal)).toEqual([0, 0, 0, ...Array(9).fill(100_000)]);
    expect(s.rows.map((r) => r.interest)).toEqual([9, 9, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1].map((k) => k * 1000));
  });

  it('principal grace with equal installments amortizes over the periods after the grace', () => {
    const s = generateSchedule(
      loanTerms(
        { grace: { principal_periods: 2 }, term_count: terms },
        { principal: 1_200_000, term_count: 14 },
      ),
    );
    expect(s.rows.slice(0, 2).map((r) => [r.principal, r.interest])).toEqual([
      [0, 12_000],
      [0, 12_000],
    ]);
    // Then the same level payment as a 12-month loan: $1,066.19.
    expect(s.rows[2]!.total).toBe(106_619);
  });

  it('interest grace defers the interest, uncapitalized, to the first installment after it', () => {
    // $12,000 at 12%, equal principal, 2 periods of interest grace: months 1-2 earn 120 and 110 but owe none;
    // month 3 owes its 100 plus the 230 deferred.
    const s = generateSchedule(
      loanTerms(
        { amortization: 'equal_principal', grace: { interest_periods: 2 }, term_count: terms },
        { principal: 1_200_000 },
      ),
    );
    expect(s.rows.slice(0, 4).map((r) => [r.interest, r.interestAccrual])).toEqual([
      [0, 12_000],
      [0, 11_000],
      [33_000, 10_000],
      [9_000, 9_000],
    ]);
    expect(s.totals.interest).toBe(78_000);
  });
});

describe('snapshotSchedule', () => {
  it('generates a snapshot’s schedule once, equal to generateSchedule, frozen for every reader', () => {
    const terms = mortgage('6', 20_000_000);
    const shared = snapshotSchedule(terms);
    expect(shared).toEqual(generateSchedule(terms));
    expect(snapshotSchedule(terms)).toBe(shared);
    expect(Object.isFrozen(shared.rows) && shared.rows.every(Object.isFrozen)).toBe(true);
    expect(() => {
      (shared.rows[0] as { total: number }).total = 0;
    }).toThrow(TypeError);
    // Another snapshot (another read of the loan) gets its own.
    expect(snapshotSchedule({ ...terms })).not.toBe(shared);
  });
});
