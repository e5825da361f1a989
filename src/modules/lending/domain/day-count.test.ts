import { describe, expect, it } from 'vitest';
import { parseDate } from '../../../kernel/dates.js';
import { dayCountDays, yearFraction } from './day-count.js';

const d = parseDate;

describe('day counts', () => {
  it('counts 30/360 on the US bond basis', () => {
    expect(dayCountDays('30/360', d('2024-01-31'), d('2024-02-29'))).toBe(29);
    expect(dayCountDays('30/360', d('2024-01-30'), d('2024-03-31'))).toBe(60);
    expect(dayCountDays('30/360', d('2024-01-15'), d('2025-01-15'))).toBe(360);
  });

  it('splits actual/actual at the year boundary', () => {
    // 2023-12-01..2024-01-01 is 31 days of a 365-day year; 2024-01-01..2024-02-01 is 31 days of a 366-day year.
    expect(yearFraction('actual/actual', d('2023-12-01'), d('2024-02-01')).toFixed(12)).toBe(
      (31 / 365 + 31 / 366).toFixed(12),
    );
    expect(yearFraction('actual/365', d('2024-01-01'), d('2025-01-01')).toFixed(6)).toBe('1.002740');
    expect(yearFraction('actual/360', d('2024-01-01'), d('2024-01-31')).toFixed(6)).toBe('0.083333');
  });
});
