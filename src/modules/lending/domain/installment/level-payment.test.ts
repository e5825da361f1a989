import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROUNDING_MODES } from '../../../../kernel/money.js';
import { type Ratio, roundRatio } from '../exact.js';
import type { InterestBasis } from './interest.js';
import { periodRatesLevel } from './level-payment.js';

/** B × Π(1 + rₖ) / fn in exact rationals, rounded once to the multiple. */
function exact(
  balance: number,
  rate: Ratio,
  shares: Ratio[],
  multiple: number,
  mode: (typeof ROUNDING_MODES)[number],
) {
  let pn = 1n;
  let pd = 1n; // product
  let fnn = 1n;
  let fnd = 1n; // fn
  shares.forEach((f, k) => {
    const gn = rate.den * f.den + rate.num * f.num;
    const gd = rate.den * f.den;
    pn *= gn;
    pd *= gd;
    if (k > 0) {
      fnn = fnn * gn + fnd * gd;
      fnd *= gd;
    }
  });
  // balance × (pn / pd) / (fnn / fnd) / multiple
  return Number(roundRatio(BigInt(balance) * pn * fnd, pd * fnn * BigInt(multiple), mode)) * multiple;
}

describe('periodRatesLevel', () => {
  it('rounds exactly like the exact rational payment, the floating-point estimate notwithstanding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.array(fc.constantFrom(28, 29, 30, 31, 7, 14, 15), { minLength: 1, maxLength: 30 }),
        fc.constantFrom(360, 364, 365, 366),
        fc.constantFrom(1, 1, 5, 100),
        fc.constantFrom(...ROUNDING_MODES),
        (balance, rateMillionths, days, year, multiple, mode) => {
          const rate: Ratio = { num: BigInt(rateMillionths), den: 100_000_000n };
          const shares = days.map((d) => ({ num: BigInt(d), den: BigInt(year) }));
          const basis = { rate } as InterestBasis;
          expect(periodRatesLevel(balance, basis, shares, { mode, installmentMultiple: multiple })).toBe(
            exact(balance, rate, shares, multiple, mode),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
