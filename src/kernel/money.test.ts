import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  currencyExponent,
  exactMinor,
  formatMinor,
  parseMajor,
  roundMinor,
  roundToMultiple,
} from './money.js';

describe('money', () => {
  it('knows ISO 4217 exponents', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
    expect(currencyExponent('XXX')).toBeUndefined();
  });

  it('rounds explicitly', () => {
    expect(roundMinor('2.5')).toBe(2);
    expect(roundMinor('3.5')).toBe(4);
    expect(roundMinor('2.5', 'half_up')).toBe(3);
    expect(roundMinor('-2.5', 'half_up')).toBe(-3);
    expect(roundMinor('2.1', 'ceiling')).toBe(3);
    expect(roundToMultiple('12345', 100)).toBe(12300);
    expect(roundToMultiple('12350', 100, 'half_up')).toBe(12400);
  });

  it('parses major-unit text with signs and comma decimals', () => {
    expect(parseMajor('-1006,60', 'USD')).toBe(-100660);
    expect(parseMajor('+0012.3456', 'USD')).toBe(1235);
    expect(parseMajor('12', 'JPY')).toBe(12);
    expect(parseMajor('abc', 'USD')).toBeUndefined();
    expect(formatMinor(-100660, 'USD')).toBe('-1006.60 USD');
  });

  it('allocates without losing a cent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          const parts = allocate(
            total,
            weights.map((w) => new Decimal(w)),
          );
          return parts.reduce((a, b) => a + b, 0) === total && parts.every((p) => p >= 0);
        },
      ),
    );
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
  });
});

describe('exactMinor', () => {
  it('reads database sums exactly, and refuses what a double would round', () => {
    expect(exactMinor('999999999999999')).toBe(999_999_999_999_999);
    expect(exactMinor(12n)).toBe(12);
    expect(exactMinor(-5)).toBe(-5);
    expect(() => exactMinor('9007199254740993')).toThrow(RangeError);
    expect(() => exactMinor(9007199254740993n)).toThrow(RangeError);
  });
});
