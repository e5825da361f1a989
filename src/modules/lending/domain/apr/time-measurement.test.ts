import { describe, expect, it } from 'vitest';
import { apr, d, everyMonths, series, single } from '../../../../../test/support/lending/apr.js';
import { addMonths } from '../../../../kernel/dates.js';

describe('computeApr: unit-period and time measurement', () => {
  it('measures a series on the last day of each month from month end to month end', () => {
    const payments = Array.from({ length: 12 }, (_, k) => ({
      amount: 10000,
      date: addMonths(d('2023-01-31'), k, 31),
    }));
    const result = apr({ advances: single(110000, '2022-12-31'), payments });
    expect(result.unitPeriod).toBe('monthly');
    expect(result.transactionKind).toBe('regular');
    // Same cash flows one month apart everywhere: identical to a series on the 10th.
    const on10th = apr({
      advances: single(110000, '2022-12-10'),
      payments: series(10000, '2023-01-10', 12, everyMonths(1)),
    });
    expect(result.aprExact).toBe(on10th.aprExact);
  });

  it('uses the last day of February for a series on the 30th', () => {
    const payments = Array.from({ length: 12 }, (_, k) => ({
      amount: 10000,
      date: addMonths(d('2023-01-30'), k, 30),
    }));
    expect(payments[1]!.date).toBe('2023-02-28');
    const result = apr({ advances: single(110000, '2022-12-30'), payments });
    const on10th = apr({
      advances: single(110000, '2022-12-10'),
      payments: series(10000, '2023-01-10', 12, everyMonths(1)),
    });
    expect(result.aprExact).toBe(on10th.aprExact);
  });

  it('recognises semimonthly payments on the 1st and 15th although their day counts vary', () => {
    const payments = Array.from({ length: 24 }, (_, k) => ({
      amount: 5000,
      date: k % 2 === 0 ? addMonths(d('2023-02-01'), k / 2) : addMonths(d('2023-02-15'), (k - 1) / 2),
    }));
    const result = apr({ advances: single(110000, '2023-01-15'), payments });
    expect(result.unitPeriod).toBe('semimonthly');
    expect(result.unitPeriodsPerYear).toBe('24');
  });

  it('takes the smaller of two equally common periods', () => {
    // Periods: 1 month (first period), 2 months, 2 months, 1 month.
    const dates = ['2023-02-01', '2023-04-01', '2023-06-01', '2023-07-01'];
    const result = apr({
      advances: single(100000, '2023-01-01'),
      payments: dates.map((date) => ({ amount: 26000, date: d(date) })),
    });
    expect(result.unitPeriod).toBe('monthly');
  });

  it('rounds the average period to a standard interval when no period repeats', () => {
    // Periods of 40 and 50 days average 45: nearest standard interval is 6 weeks (42 days).
    const result = apr({
      advances: single(100000, '2023-01-01'),
      payments: [...single(50000, '2023-02-10'), ...single(51000, '2023-04-01')],
    });
    expect(result.unitPeriod).toBe('every_6_weeks');
    expect(result.unitPeriodsPerYear).toBe('8.6666666666666666667');
  });

  it('places each of several advances at its own distance from the beginning of the term', () => {
    // $6,000 advanced now and $4,000 three months later, repaid by 24 monthly payments from month 4, priced at
    // 1% a month: A₁ + A₂/1.01³ = Σ P/1.01^t, so P = (6000 + 4000/1.01³) / Σ_{t=4}^{27} 1.01^-t.
    const i = 0.01;
    let annuity = 0;
    for (let t = 4; t <= 27; t++) annuity += (1 + i) ** -t;
    const payment = Math.round(((600000 + 400000 / (1 + i) ** 3) / annuity) * 1000); // in 1/1000 of a cent
    const result = apr({
      advances: [...single(600000000, '2023-01-20'), ...single(400000000, '2023-04-20')],
      payments: series(payment, '2023-05-20', 24, everyMonths(1)),
    });
    expect(result.unitPeriod).toBe('monthly');
    expect(result.transactionKind).toBe('irregular');
    expect(Number(result.aprExact)).toBeCloseTo(12, 6);
  });

  it('counts payments with no interest at all as a zero rate', () => {
    const result = apr({
      advances: single(120000, '2023-01-01'),
      payments: series(10000, '2023-02-01', 12, everyMonths(1)),
    });
    expect(result.apr).toBe('0.00');
  });

  it('reports a negative rate when payments fall short of the advances', () => {
    const result = apr({
      advances: single(120000, '2023-01-01'),
      payments: series(9000, '2023-02-01', 12, everyMonths(1)),
    });
    expect(Number(result.aprExact)).toBeLessThan(0);
  });
});

describe('computeApr: unit-periods with no payment', () => {
  it('reads a scheduled payment of zero as a unit-period in which nothing is paid (Appendix J (c)(6))', () => {
    // Two months of grace on principal and interest, then ten level payments with the deferred interest.
    const grace = [...single(0, '2024-02-15'), ...single(0, '2024-03-15')];
    const level = [...single(130000, '2024-04-15'), ...series(106000, '2024-05-15', 9, everyMonths(1))];
    const advances = single(1000000, '2024-01-15');
    const withZeros = apr({ advances, payments: [...grace, ...level] });
    const without = apr({ advances, payments: level });
    expect(withZeros).toEqual(without);
    expect(withZeros.unitPeriod).toBe('monthly');
  });

  it('is unchanged by a zero anywhere in the schedule, as Appendix J (c)(6)(ii) skips payments', () => {
    const advances = single(735000, '1978-01-10');
    const paid = [
      ...series(100000, '1978-07-22', 3, everyMonths(1)),
      ...single(200000, '1979-01-22'),
      ...series(75000, '1979-07-22', 3, everyMonths(1)),
      ...single(100000, '1979-11-30'),
    ];
    const skipped = series(0, '1978-10-22', 3, everyMonths(1));
    expect(apr({ advances, payments: [...paid, ...skipped] }).apr).toBe(
      apr({ advances, payments: paid }).apr,
    );
  });
});
