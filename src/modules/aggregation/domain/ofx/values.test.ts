import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMajor } from '../../../../kernel/money.js';
import {
  amountToMinor,
  currencyCode,
  decimalText,
  maskAccountNumber,
  ofxDate,
  ofxInstant,
  providerAccountId,
} from './values.js';

describe('ofxDate', () => {
  it('takes the calendar date as written, whatever the zone', () => {
    expect(ofxDate('20240115')).toBe('2024-01-15');
    expect(ofxDate('20240131233000[-3.30:NST]')).toBe('2024-01-31'); // 03:00 UTC on Feb 1
    expect(ofxDate('20240301003000[+5.30:IST]')).toBe('2024-03-01'); // 19:00 UTC on Feb 29
    expect(ofxDate('20241231200000.000[-5:EST]')).toBe('2024-12-31');
    expect(ofxDate('20240229235959.999[+14:LINT]')).toBe('2024-02-29');
    expect(ofxDate('202401151230')).toBe('2024-01-15');
    expect(ofxDate('20240115120000[0:GMT]')).toBe('2024-01-15');
    expect(ofxDate('20240115120000[-5]')).toBe('2024-01-15');
  });

  it('rejects malformed dates', () => {
    for (const bad of [
      '',
      '2024011',
      '2024-01-15',
      '20240230',
      '20231301',
      '00000000',
      '20240115 ',
      '2024011512',
      '20240115250000',
      '20240115126000',
      '20240115120000.',
      '20240115120000[',
      '20240115120000[-5:EST',
      '20240115120000[EST]',
      '20240115120000[-5:EST]x',
      '20240115120000[-15:X]',
      '20240115120000[+5.60:X]',
      '2024011512000',
    ]) {
      expect(ofxDate(bad), bad).toBeUndefined();
    }
  });
});

describe('ofxInstant', () => {
  it('applies whole, fractional and absent offsets (absent = GMT)', () => {
    expect(ofxInstant('20240131233000[-3.30:NST]')).toBe('2024-02-01T03:00:00.000Z');
    expect(ofxInstant('20240301003000[+5.30:IST]')).toBe('2024-02-29T19:00:00.000Z');
    expect(ofxInstant('20240301003000[+5.5:IST]')).toBe('2024-02-29T19:00:00.000Z');
    expect(ofxInstant('20240131120000.5[-5:EST]')).toBe('2024-01-31T17:00:00.500Z');
    expect(ofxInstant('20240131120000.123456')).toBe('2024-01-31T12:00:00.123Z');
    expect(ofxInstant('20240131')).toBe('2024-01-31T00:00:00.000Z');
    expect(ofxInstant('00010101')).toBe('0001-01-01T00:00:00.000Z');
  });
});

describe('amountToMinor', () => {
  it('reads signs, leading zeros, four decimals and comma separators', () => {
    expect(amountToMinor('-1006.60', 'USD')).toBe(-100660);
    expect(amountToMinor('-1006,60', 'USD')).toBe(-100660);
    expect(amountToMinor('+0012.5000', 'USD')).toBe(1250);
    expect(amountToMinor('.5', 'USD')).toBe(50);
    expect(amountToMinor('7.', 'USD')).toBe(700);
    expect(amountToMinor('-0.00', 'USD')).toBe(0);
    expect(Object.is(amountToMinor('-0.00', 'USD'), -0)).toBe(false);
    expect(amountToMinor('1500', 'JPY')).toBe(1500);
    expect(amountToMinor('1.2345', 'KWD')).toBe(1234); // half-even at the third decimal
  });

  it('rounds extra decimals half-even', () => {
    expect(amountToMinor('0.125', 'USD')).toBe(12);
    expect(amountToMinor('0.135', 'USD')).toBe(14);
    expect(amountToMinor('-0,125', 'EUR')).toBe(-12);
    expect(amountToMinor('2.5', 'JPY')).toBe(2);
  });

  it('rejects what is not a plain decimal', () => {
    for (const bad of ['', '-', '.', '1,234.56', '1.234,56', '1e5', '12 34', '$12', '--1', 'NaN', '0x10']) {
      expect(amountToMinor(bad, 'USD'), bad).toBeUndefined();
    }
    expect(amountToMinor('99999999999999999999.99', 'USD')).toBeUndefined(); // beyond the safe integer range
  });

  it('agrees with the kernel parseMajor on every input', () => {
    const chars = fc.constantFrom('0', '1', '5', '9', '.', ',', '-', '+', ' ', 'e');
    const numeric = fc.tuple(
      fc.constantFrom('', '+', '-'),
      fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '9'), maxLength: 17 }),
      fc.constantFrom('', '.', ','),
      fc.string({ unit: fc.constantFrom('0', '1', '4', '5', '6', '9'), maxLength: 6 }),
    );
    const text = fc.oneof(
      numeric.map((parts) => parts.join('')),
      fc.string({ unit: chars, maxLength: 12 }),
    );
    fc.assert(
      fc.property(text, fc.constantFrom('USD', 'JPY', 'KWD', 'CLF'), (t, currency) => {
        let expected: number | undefined;
        try {
          expected = parseMajor(t, currency);
        } catch {
          expected = undefined;
        }
        expect(amountToMinor(t, currency)).toBe(expected === 0 ? 0 : expected);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('decimalText', () => {
  it('normalizes quantities and prices without floats', () => {
    expect(decimalText('10')).toBe('10');
    expect(decimalText('+0012,50')).toBe('12.5');
    expect(decimalText('-2.5000')).toBe('-2.5');
    expect(decimalText('.0661')).toBe('0.0661');
    expect(decimalText('-0.000')).toBe('0');
    expect(decimalText('123456789012345678.123456789')).toBe('123456789012345678.123456789');
    for (const bad of ['', '.', '-', '1.2.3', '1e3', 'abc']) expect(decimalText(bad), bad).toBeUndefined();
  });
});

describe('currencies and accounts', () => {
  it('accepts ISO 4217 codes only', () => {
    expect(currencyCode('usd')).toBe('USD');
    expect(currencyCode('XYZ')).toBeUndefined();
  });

  it('masks to the last four letters or digits', () => {
    expect(maskAccountNumber('000123456789')).toBe('****6789');
    expect(maskAccountNumber('5500 0000 0000 0004')).toBe('****0004');
    expect(maskAccountNumber('77001234-S01')).toBe('****4S01');
  });

  it('derives a stable, opaque account id', () => {
    const id = providerAccountId(['bank', '021000021', '000123456789', 'CHECKING']);
    expect(id).toMatch(/^ofx_[0-9a-f]{32}$/);
    expect(id).toBe(providerAccountId(['bank', '021000021', '000123456789', 'CHECKING']));
    expect(id).not.toContain('123456789');
    expect(providerAccountId(['bank', '021000021', '000123456789', 'SAVINGS'])).not.toBe(id);
    expect(providerAccountId(['bank', '02100002', '1000123456789', 'CHECKING'])).not.toBe(id);
  });
});
