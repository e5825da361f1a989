import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { majorUnits } from './cells.js';

describe('majorUnits', () => {
  it('writes minor units as major units exactly, as Decimal would, for 0, 2 and 3 decimals', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.maxSafeInteger(), fc.integer({ min: -100_000, max: 100_000 })),
        fc.constantFrom('JPY', 'USD', 'KWD', undefined),
        (minor, currency) => {
          const exponent = currency === 'JPY' ? 0 : currency === 'KWD' ? 3 : 2;
          const expected = new Decimal(minor).div(new Decimal(10).pow(exponent)).toFixed(exponent);
          expect(majorUnits(minor, currency)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('pads small amounts and keeps the sign', () => {
    expect(majorUnits(0, 'USD')).toBe('0.00');
    expect(majorUnits(5, 'USD')).toBe('0.05');
    expect(majorUnits(-5, 'USD')).toBe('-0.05');
    expect(majorUnits(-123_456, 'USD')).toBe('-1234.56');
    expect(majorUnits(7, 'KWD')).toBe('0.007');
    expect(majorUnits(-42, 'JPY')).toBe('-42');
  });

  it('refuses a value that is not an exact amount', () => {
    expect(() => majorUnits(1.5, 'USD')).toThrow(RangeError);
    expect(() => majorUnits(2 ** 53, 'USD')).toThrow(RangeError);
  });
});
