import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { d, loanTerms, loanTermsArb } from '../../../../../test/support/lending/installment.js';
import { addDays, daysBetween } from '../../../../kernel/dates.js';
import { roundMinor } from '../../../../kernel/money.js';
import { yearFraction } from '../day-count.js';
import { accruedInterestTo, interestBasis } from './interest.js';
import { generateSchedule } from './schedule.js';

const Precise = Decimal.clone({ precision: 60 });

describe('accrual', () => {
  it('per period: linear over the period’s days, rounded cumulatively', () => {
    const t = loanTerms();
    const b = interestBasis(t);
    const row = {
      periodStart: d('2024-01-15'),
      dueDate: d('2024-02-15'),
      openingBalance: 1_200_000,
      interestAccrual: 12_000,
    };
    expect(accruedInterestTo(b, row, d('2024-01-15'))).toBe(0);
    // 12,000 × 1/31 = 387.10; × 10/31 = 3,870.97; × 30/31 = 11,612.90.
    expect(accruedInterestTo(b, row, d('2024-01-16'))).toBe(387);
    expect(accruedInterestTo(b, row, d('2024-01-25'))).toBe(3871);
    expect(accruedInterestTo(b, row, d('2024-02-14'))).toBe(11_613);
    expect(accruedInterestTo(b, row, d('2024-02-15'))).toBe(12_000);
    expect(accruedInterestTo(b, row, d('2024-06-01'))).toBe(12_000);
  });

  it('daily: principal × rate × day fraction, the exact product carried, rounded once', () => {
    // $10,000 at 10% actual/365: after 1 day 2.739726 → 274 cents; after 3 days 8.219178 → 822 (not 3 × 274).
    const t = loanTerms(
      { interest_calculation: 'daily', day_count: 'actual/365' },
      { annual_interest_rate: '10' },
    );
    const b = interestBasis(t);
    const row = {
      periodStart: d('2023-01-01'),
      dueDate: d('2023-02-01'),
      openingBalance: 1_000_000,
      interestAccrual: 8493,
    };
    expect(accruedInterestTo(b, row, d('2023-01-02'))).toBe(274);
    expect(accruedInterestTo(b, row, d('2023-01-04'))).toBe(822);
    expect(accruedInterestTo(b, row, d('2023-02-01'))).toBe(8493);
  });

  it('daily matches the definition computed independently with decimals (the reference for the SQL)', () => {
    fc.assert(
      fc.property(loanTermsArb(24), fc.nat(), fc.nat(), (any, pick, offset) => {
        const t = { ...any, interestCalculation: 'daily' as const };
        const rows = generateSchedule(t).rows;
        const row = rows[pick % rows.length]!;
        const days = daysBetween(row.periodStart, row.dueDate);
        const end = addDays(row.periodStart, offset % days);
        const basis = t.interestMethod === 'flat' ? t.amountFinanced : row.openingBalance;
        const exact = new Precise(basis)
          .times(t.annualInterestRate)
          .div(100)
          .times(yearFraction(t.dayCount, row.periodStart, end).toString());
        const expected = Math.min(roundMinor(exact, t.rounding.mode), row.interestAccrual);
        expect(accruedInterestTo(interestBasis(t), row, end) === expected).toBe(true);
      }),
    );
  });

  it('never decreases, starts at 0 and ends at the interest earned, for every row of any loan', () => {
    fc.assert(
      fc.property(loanTermsArb(24), (t) => {
        const b = interestBasis(t);
        for (const row of generateSchedule(t).rows) {
          let previous = 0;
          expect(accruedInterestTo(b, row, row.periodStart)).toBe(0);
          for (let e = addDays(row.periodStart, 1); e <= row.dueDate; e = addDays(e, 1)) {
            const a = accruedInterestTo(b, row, e);
            expect(a).toBeGreaterThanOrEqual(previous);
            previous = a;
          }
          expect(previous).toBe(row.interestAccrual);
        }
      }),
      { numRuns: 60 },
    );
  });
});
