import { describe, expect, it } from 'vitest';
import {
  at,
  decimalText,
  mapRecords,
  maskAccountNumber,
  optionalDate,
  optionalMinor,
  RecordError,
} from './mapping.js';

describe('mapping helpers', () => {
  it('reads numbers and numeric strings as plain decimals, and nothing else', () => {
    expect(decimalText(1234.5)).toBe('1234.5');
    expect(decimalText(1e-7)).toBe('0.0000001');
    expect(decimalText(-0)).toBe('0');
    expect(decimalText(' 12.50 ')).toBe('12.5');
    expect(decimalText('2.5e3')).toBe('2500');
    for (const bad of ['', 'abc', '1,000.00', '0x10', Number.NaN, Number.POSITIVE_INFINITY, null, true, {}])
      expect(decimalText(bad)).toBeUndefined();
  });

  it('maps absent amounts to null and rounds sub-cent amounts half-even', () => {
    expect(optionalMinor({}, 'a.b', 'USD')).toBeNull();
    expect(optionalMinor({ a: { b: null } }, 'a.b', 'USD')).toBeNull();
    expect(optionalMinor({ a: { b: 0.125 } }, 'a.b', 'USD')).toBe(12);
    expect(optionalMinor({ a: { b: '-0.135' } }, 'a.b', 'USD')).toBe(-14);
    expect(optionalMinor({ a: '-0.004' }, 'a', 'USD')).toBe(0);
    expect(optionalMinor({ a: 1500 }, 'a', 'JPY')).toBe(1500);
  });

  it('says which field is wrong', () => {
    expect(() => at({ a: 'text' }, 'a.b')).toThrow(new RecordError('a is not an object'));
    expect(() => optionalMinor({ a: 'x' }, 'a', 'USD')).toThrow(new RecordError('a is not a number'));
  });

  it('reads dates and instants on the given calendar', () => {
    expect(optionalDate({ d: '2025-03-09' }, 'd', 'America/New_York')).toBe('2025-03-09');
    expect(optionalDate({ d: '2025-03-09T03:00:00+0000' }, 'd', 'America/New_York')).toBe('2025-03-08');
    expect(optionalDate({ d: '2025-03-09T03:00:00+05:30' }, 'd', 'UTC')).toBe('2025-03-08');
    expect(() => optionalDate({ d: '2025-02-30' }, 'd', 'UTC')).toThrow(RecordError);
  });

  it('masks all but the last four characters', () => {
    expect(maskAccountNumber('28135467')).toBe('****5467');
    expect(maskAccountNumber('1234')).toBe('****');
  });

  it('reports a record that throws and lets other errors through', () => {
    const out = mapRecords(
      [1, 2],
      (r) => String(r),
      () => {
        throw new RecordError('no');
      },
    );
    expect(out.skipped).toHaveLength(2);
    expect(() =>
      mapRecords(
        [{}],
        () => null,
        () => {
          throw new TypeError('bug');
        },
      ),
    ).toThrow(TypeError);
  });
});
