import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, type CalendarDate, daysBetween, parseDate } from '../../../../kernel/dates.js';
import { cycleInterest, type PrincipalMovement } from './interest.js';

const d = parseDate;

describe('average daily balance interest', () => {
  // March 2024: $1,000.00 owed; $500.00 drawn on the 11th; $300.00 of principal repaid on the 21st.
  const march = {
    openingPrincipal: 100000,
    movements: [
      { date: d('2024-03-11'), amount: 50000 },
      { date: d('2024-03-21'), amount: -30000 },
    ],
    start: d('2024-03-01'),
    end: d('2024-03-31'),
    annualRate: '18',
    rounding: 'half_even' as const,
  };

  it('charges ADB × daily periodic rate × days, counting transactions from their posting day', () => {
    const result = cycleInterest({ ...march, dayCount: 'actual/365' });
    // 10 days at 1,000.00 + 10 days at 1,500.00 + 11 days at 1,200.00.
    expect(result.sumOfDailyBalances).toBe(10 * 100000 + 10 * 150000 + 11 * 120000);
    expect(result.days).toBe(31);
    expect(result.averageDailyBalance.toFixed(4)).toBe(new Decimal(3820000).div(31).toFixed(4));
    expect(result.dailyPeriodicRate.toString()).toBe(new Decimal('0.18').div(365).toString());
    const expected = result.averageDailyBalance.times(result.dailyPeriodicRate).times(31);
    expect(result.exact.minus(expected).abs().lessThan('1e-12')).toBe(true);
    expect(result.interest).toBe(1884); // 3,820,000 × 0.18 / 365 = 1,883.84
  });

  it('uses 360 days a year for actual/360 and 30 days a month for 30/360', () => {
    expect(cycleInterest({ ...march, dayCount: 'actual/360' }).interest).toBe(1910); // 1,910.00
    // ADB 123,225.81 × 0.18 / 360 × 30 = 1,848.39
    expect(cycleInterest({ ...march, dayCount: '30/360' }).interest).toBe(1848);
  });

  it('splits actual/actual at the new year', () => {
    const result = cycleInterest({
      openingPrincipal: 1000000,
      movements: [],
      start: d('2023-12-16'),
      end: d('2024-01-15'),
      annualRate: '12',
      dayCount: 'actual/actual',
      rounding: 'half_even',
    });
    // 16 days of 2023 over 365 and 15 days of 2024 over 366.
    const expected = new Decimal(1000000)
      .times('0.12')
      .times(new Decimal(16).div(365).plus(new Decimal(15).div(366)));
    expect(result.exact.minus(expected).abs().lessThan('1e-9')).toBe(true);
  });

  it('rounds an exact half cent like the fraction it is, whatever the day count', () => {
    const base = { openingPrincipal: 5000, movements: [], rounding: 'half_up' as const };
    // 30/360: 5,000 × 0.12% × 30 / 360 = 0.5 exactly (a decimal daily rate of 0.0012/360 would miss it).
    const thirty = cycleInterest({
      ...base,
      start: d('2024-03-01'),
      end: d('2024-03-30'),
      annualRate: '0.12',
      dayCount: '30/360',
    });
    expect(thirty.exact.toString()).toBe('0.5');
    expect(thirty.interest).toBe(1);
    // actual/actual across a new year: one day of 2023 over 365 days, one day of 2024 over 366, summed exactly.
    const split = cycleInterest({
      ...base,
      openingPrincipal: 1,
      start: d('2023-12-31'),
      end: d('2024-01-01'),
      annualRate: '18.25',
      dayCount: 'actual/actual',
    });
    expect(split.exact.toFixed(12)).toBe(
      new Decimal('0.1825').div(365).plus(new Decimal('0.1825').div(366)).toFixed(12),
    );
  });

  it('charges one day for a draw on the last day of the cycle', () => {
    const result = cycleInterest({
      openingPrincipal: 0,
      movements: [{ date: d('2024-03-31'), amount: 365000 }],
      start: d('2024-03-01'),
      end: d('2024-03-31'),
      annualRate: '10',
      dayCount: 'actual/365',
      rounding: 'half_even',
    });
    expect(result.sumOfDailyBalances).toBe(365000);
    expect(result.interest).toBe(100);
  });
});

describe('average daily balance properties', () => {
  const scenario = fc
    .record({
      opening: fc.integer({ min: 0, max: 10_000_000 }),
      startOffset: fc.integer({ min: 0, max: 3000 }),
      length: fc.integer({ min: 28, max: 31 }),
      moves: fc.array(
        fc.record({ day: fc.nat(), amount: fc.integer({ min: 1, max: 1_000_000 }), draw: fc.boolean() }),
        {
          maxLength: 20,
        },
      ),
      rate: fc.constantFrom('0', '5.25', '18.99', '36'),
      dayCount: fc.constantFrom('actual/365', 'actual/360', 'actual/actual', '30/360') as fc.Arbitrary<
        'actual/365' | 'actual/360' | 'actual/actual' | '30/360'
      >,
    })
    .map((s) => {
      const start = addDays(d('2020-01-01'), s.startOffset);
      const end = addDays(start, s.length - 1);
      // Repayments never take the principal below zero.
      let balance = s.opening;
      const movements: PrincipalMovement[] = s.moves
        .map((m) => ({ ...m, day: m.day % s.length }))
        .sort((a, b) => a.day - b.day)
        .map((m) => {
          const amount = m.draw ? m.amount : -Math.min(m.amount, balance);
          balance += amount;
          return { date: addDays(start, m.day), amount };
        });
      return { ...s, start, end, movements };
    });

  function walkDays(
    opening: number,
    movements: readonly PrincipalMovement[],
    start: CalendarDate,
    end: CalendarDate,
  ) {
    let sum = 0;
    for (let day = 0; day <= daysBetween(start, end); day++) {
      const date = addDays(start, day);
      sum += movements.filter((m) => m.date <= date).reduce((b, m) => b + m.amount, opening);
    }
    return sum;
  }

  it('matches a day-by-day walk and never charges negative interest', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const result = cycleInterest({
          openingPrincipal: s.opening,
          movements: s.movements,
          start: s.start,
          end: s.end,
          annualRate: s.rate,
          dayCount: s.dayCount,
          rounding: 'half_even',
        });
        expect(result.sumOfDailyBalances).toBe(walkDays(s.opening, s.movements, s.start, s.end));
        expect(result.interest).toBeGreaterThanOrEqual(0);
        expect(result.exact.isNegative()).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
