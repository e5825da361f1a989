import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { d } from '../../../../test/support/lending/installment.js';
import { fromEpochDay, toEpochDay } from '../../../kernel/dates.js';
import { ROUNDING_MODES, roundMinor } from '../../../kernel/money.js';
import { DAY_COUNTS, yearFraction } from './day-count.js';
import {
  comparePercent,
  percentRatio,
  roundRatio,
  roundSafe,
  YEAR_UNITS,
  yearFractionUnits,
} from './exact.js';

const Precise = Decimal.clone({ precision: 60 });

describe('exact arithmetic', () => {
  it('rounds exact ties by the mode', () => {
    // 600 cents at 1% a year for one month is exactly half a cent.
    expect(roundRatio(600n * 1n, 100n * 12n, 'half_even')).toBe(0n);
    expect(roundRatio(600n, 1200n, 'half_up')).toBe(1n);
    expect(roundRatio(1800n, 1200n, 'half_even')).toBe(2n);
    expect(roundRatio(-1800n, 1200n, 'half_even')).toBe(-2n);
    expect(roundRatio(-600n, 1200n, 'half_up')).toBe(-1n);
    expect(roundRatio(-601n, 1200n, 'ceiling')).toBe(0n);
    expect(roundRatio(-601n, 1200n, 'floor')).toBe(-1n);
  });

  it('agrees with the kernel roundMinor on a precise decimal quotient, for every mode', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        fc.constantFrom(...ROUNDING_MODES),
        (num, den, mode) => {
          const expected = roundMinor(new Precise(num.toString()).div(den.toString()), mode);
          // `==` rather than Object.is: decimal.js rounds −0.5 to −0, the integer path to 0.
          expect(Number(roundRatio(num, den, mode)) === expected).toBe(true);
        },
      ),
    );
  });

  it('rounds safe integers in doubles exactly as in bigints (roundSafe), for every mode', () => {
    const safe = fc.oneof(
      fc.integer({ min: 0, max: 2_000_000 }),
      fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }).map(Number),
    );
    const positive = fc.oneof(
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.bigInt({ min: 1n, max: BigInt(Number.MAX_SAFE_INTEGER) }).map(Number),
    );
    fc.assert(
      fc.property(safe, positive, fc.constantFrom(...ROUNDING_MODES), (num, den, mode) => {
        expect(roundSafe(num, den, mode)).toBe(Number(roundRatio(BigInt(num), BigInt(den), mode)));
      }),
      { numRuns: 5000 },
    );
    // Ties and quotients a float division lands on the wrong side of.
    for (const mode of ROUNDING_MODES)
      for (const [num, den] of [
        [600, 1200],
        [1800, 1200],
        [Number.MAX_SAFE_INTEGER, 3],
        [Number.MAX_SAFE_INTEGER - 1, 2],
        [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 1],
        [2 ** 52 + 1, 2 ** 52],
      ] as const)
        expect(roundSafe(num, den, mode)).toBe(Number(roundRatio(BigInt(num), BigInt(den), mode)));
  });

  it('parses percent rates exactly', () => {
    expect(percentRatio('9.4822')).toEqual({ num: 94822n, den: 1_000_000n });
    expect(percentRatio('12')).toEqual({ num: 12n, den: 100n });
    expect(comparePercent('9.50', '9.5')).toBe(0);
    expect(comparePercent('10', '9.9999')).toBe(1);
    expect(() => percentRatio('-1')).toThrow(RangeError);
    expect(() => percentRatio('1e3')).toThrow(RangeError);
  });

  it('counts year fractions exactly as day-count.ts defines them', () => {
    const date = fc
      .integer({ min: toEpochDay(d('1990-01-01')), max: toEpochDay(d('2080-12-31')) })
      .map(fromEpochDay);
    fc.assert(
      fc.property(
        date,
        fc.integer({ min: 0, max: 2000 }),
        fc.constantFrom(...DAY_COUNTS),
        (start, days, dc) => {
          const end = fromEpochDay(toEpochDay(start) + days);
          const exact = new Precise(yearFractionUnits(dc, start, end).toString()).div(YEAR_UNITS.toString());
          expect(
            exact
              .minus(yearFraction(dc, start, end).toString())
              .abs()
              .lt('1e-15'),
          ).toBe(true);
        },
      ),
    );
  });
});
