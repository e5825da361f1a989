import { describe, expect, it } from 'vitest';
import { d } from '../../../../../test/support/lending/installment.js';
import { dueDateAt, isRegularFirstPeriod, loanPeriods } from './periods.js';

describe('repayment periods', () => {
  it('keeps the first payment day of month, falling back to the month end', () => {
    const first = d('2024-01-31');
    expect([0, 1, 2, 3].map((k) => dueDateAt('monthly', first, k))).toEqual([
      '2024-01-31',
      '2024-02-29',
      '2024-03-31',
      '2024-04-30',
    ]);
    expect(dueDateAt('quarterly', d('2024-11-30'), 1)).toBe('2025-02-28');
    expect(dueDateAt('monthly', first, -1)).toBe('2023-12-31');
  });

  it('steps weekly and biweekly by 7 and 14 days', () => {
    expect(dueDateAt('weekly', d('2024-02-26'), 1)).toBe('2024-03-04');
    expect(dueDateAt('biweekly', d('2024-12-20'), 1)).toBe('2025-01-03');
  });

  it('alternates semimonthly between two days 15 days apart', () => {
    expect([0, 1, 2, 3].map((k) => dueDateAt('semimonthly', d('2024-01-15'), k))).toEqual([
      '2024-01-15',
      '2024-01-30',
      '2024-02-15',
      '2024-02-29',
    ]);
    expect([0, 1, 2].map((k) => dueDateAt('semimonthly', d('2024-01-20'), k))).toEqual([
      '2024-01-20',
      '2024-02-05',
      '2024-02-20',
    ]);
    expect(dueDateAt('semimonthly', d('2024-03-01'), -1)).toBe('2024-02-16');
    expect(dueDateAt('semimonthly', d('2024-03-20'), -1)).toBe('2024-03-05');
  });

  it('chains periods from disbursement and detects an odd first period', () => {
    const periods = loanPeriods('monthly', d('2024-01-10'), d('2024-03-01'), 3);
    expect(periods).toEqual([
      { start: '2024-01-10', due: '2024-03-01' },
      { start: '2024-03-01', due: '2024-04-01' },
      { start: '2024-04-01', due: '2024-05-01' },
    ]);
    expect(isRegularFirstPeriod('monthly', d('2024-01-10'), d('2024-03-01'))).toBe(false);
    // Counted back from the first payment: Mar 31 less a month is Feb 29 (month end), so both are regular.
    expect(isRegularFirstPeriod('monthly', d('2024-02-29'), d('2024-03-31'))).toBe(true);
    expect(isRegularFirstPeriod('monthly', d('2024-02-29'), d('2024-03-29'))).toBe(true);
    expect(isRegularFirstPeriod('monthly', d('2024-01-31'), d('2024-02-29'))).toBe(true);
    expect(isRegularFirstPeriod('weekly', d('2024-01-01'), d('2024-01-08'))).toBe(true);
  });
});
