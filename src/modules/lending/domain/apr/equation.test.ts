import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { type PositionedAmount, solveUnitPeriodRate } from './equation.js';

/** A run of equal payments one unit-period apart, the first at t full unit-periods plus f = num/den. */
function run(amount: number, count: number, t: number, num = 0, den = 1): PositionedAmount[] {
  return Array.from({ length: count }, (_, k) => ({
    amount,
    position: { full: t + k, fractionNumerator: num, fractionDenominator: den },
  }));
}
const at0 = (amount: number): PositionedAmount[] => [
  { amount, position: { full: 0, fractionNumerator: 0, fractionDenominator: 1 } },
];

/**
 * Appendix J (c) examples stated as the appendix states them: amounts and positions in unit-periods, with the
 * unit-periods per year. This checks the general equation (b)(8) independently of the calendar measurement.
 */
const published: { name: string; advance: number; payments: PositionedAmount[]; w: number; apr: string }[] = [
  { name: '(c)(1)(ii)', advance: 6000, payments: run(200, 36, 1, 19, 30), w: 12, apr: '11.82' },
  { name: '(c)(1)(iii)', advance: 5000, payments: run(219.17, 24, 0, 6, 15), w: 24, apr: '10.34' },
  { name: '(c)(1)(iv)', advance: 10000, payments: run(385, 40, 1, 39, 90), w: 4, apr: '8.97' },
  { name: '(c)(1)(v)', advance: 500, payments: run(17.6, 30, 4, 4, 7), w: 52, apr: '14.96' },
  {
    name: '(c)(2)(ii)',
    advance: 400,
    payments: [...run(39.5, 1, 1, 5, 28), ...run(38.31, 11, 2, 5, 28)],
    w: 13,
    apr: '28.50',
  },
  {
    name: '(c)(3)(ii)',
    advance: 200,
    payments: [...run(9.5, 19, 0, 8, 14), ...run(30, 1, 19, 8, 14)],
    w: 26,
    apr: '12.22',
  },
  {
    name: '(c)(4)(ii)',
    advance: 8000,
    payments: [...run(449.36, 1, 0, 52, 60), ...run(465, 18, 1, 52, 60), ...run(200, 1, 19, 52, 60)],
    w: 6,
    apr: '7.30',
  },
  {
    name: '(c)(6)(i)',
    advance: 2135,
    payments: [
      ...run(100, 9, 0, 26, 28),
      ...run(100, 6, 10, 12, 28),
      ...run(100, 6, 16, 26, 28),
      ...run(100, 3, 23, 12, 28),
    ],
    w: 13,
    apr: '12.00',
  },
  {
    name: '(c)(6)(ii)',
    advance: 7350,
    payments: [
      ...run(1000, 3, 6, 12, 30),
      ...run(2000, 1, 12, 12, 30),
      ...run(750, 3, 18, 12, 30),
      ...run(1000, 1, 22, 29, 30),
    ],
    w: 12,
    apr: '10.22',
  },
];

describe('solveUnitPeriodRate (Appendix J (b)(8))', () => {
  for (const example of published) {
    it(`reproduces ${example.name} from its published unit-period positions`, () => {
      const i = solveUnitPeriodRate(at0(example.advance), example.payments);
      expect(i?.times(example.w).times(100).toFixed(2)).toBe(example.apr);
    });
  }

  it('solves the equation to far beyond disclosure precision', () => {
    const payments = run(230, 24, 1);
    const i = solveUnitPeriodRate(at0(5000), payments)!;
    const pv = payments.reduce(
      (sum, p) => sum.plus(new Decimal(p.amount).div(i.plus(1).pow(p.position.full))),
      new Decimal(0),
    );
    expect(pv.minus(5000).abs().lessThan('1e-15')).toBe(true);
  });

  it('returns undefined when no rate balances the flows', () => {
    expect(solveUnitPeriodRate(at0(1000), [])).toBeUndefined();
  });
});
