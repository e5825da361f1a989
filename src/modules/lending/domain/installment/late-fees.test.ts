import { describe, expect, it } from 'vitest';
import { d, loanTerms } from '../../../../../test/support/lending/installment.js';
import { lateFeeAmount } from '../common-terms.js';
import { daysPastDue, delinquencyBucket } from './delinquency.js';
import { installmentsFromSchedule } from './installments.js';
import { lateFeeAssessmentDate, lateFeesDue } from './late-fees.js';
import { generateSchedule } from './schedule.js';

const rows = () => installmentsFromSchedule(generateSchedule(loanTerms()).rows);

describe('late fees', () => {
  it('is charged at the close of the last grace day, on what is still overdue', () => {
    const fee = { type: 'flat' as const, amount: 2500, graceDays: 10 };
    expect(lateFeeAssessmentDate(d('2024-02-15'), fee)).toBe('2024-02-25');
    expect(lateFeesDue(rows(), fee, d('2024-02-24'), 'half_even')).toEqual([]);
    expect(lateFeesDue(rows(), fee, d('2024-02-25'), 'half_even')).toEqual([
      { installment: 1, amount: 2500 },
    ]);
    const paid = rows();
    paid[0]!.paid.interest = 12_000;
    paid[0]!.paid.principal = 94_619;
    expect(lateFeesDue(paid, fee, d('2024-02-25'), 'half_even')).toEqual([{ installment: 1, amount: 0 }]);
    const checked = rows();
    checked[0]!.lateFeeAssessed = true;
    expect(lateFeesDue(checked, fee, d('2024-03-30'), 'half_even')).toEqual([
      { installment: 2, amount: 2500 },
    ]);
  });

  it('a percent fee is a percent of the overdue amount, within min and max', () => {
    const fee = { type: 'percent' as const, percent: '5', graceDays: 0, min: 1000, max: 5000 };
    // 5% of $1,066.19 = $53.3095 → capped at $50.00; of $300.00 = $15.00; of $100.00 = $5.00 → raised to $10.00.
    expect(lateFeeAmount(fee, 106_619, 'half_even')).toBe(5000);
    expect(lateFeeAmount(fee, 30_000, 'half_even')).toBe(1500);
    expect(lateFeeAmount(fee, 10_000, 'half_even')).toBe(1000);
    expect(lateFeeAmount({ ...fee, min: undefined, max: undefined }, 106_619, 'half_even')).toBe(5331);
    expect(lateFeeAmount(fee, 0, 'half_even')).toBe(0);
  });
});

describe('delinquency', () => {
  it('counts days from the oldest installment still owing principal or interest', () => {
    const r = rows();
    expect(daysPastDue(r, d('2024-02-15'))).toBe(0);
    expect(daysPastDue(r, d('2024-02-16'))).toBe(1);
    expect(daysPastDue(r, d('2024-04-15'))).toBe(60);
    r[0]!.paid.interest = 12_000;
    r[0]!.paid.principal = 94_619;
    r[0]!.due.penalties = 2500; // penalties alone do not make it delinquent
    expect(daysPastDue(r, d('2024-04-15'))).toBe(31);
  });

  it('ages into the configured buckets', () => {
    expect([0, 1, 30, 31, 60, 61, 90, 91, 120, 121, 400].map((n) => delinquencyBucket(n))).toEqual([
      'current',
      '1-30',
      '1-30',
      '31-60',
      '31-60',
      '61-90',
      '61-90',
      '91-120',
      '91-120',
      '121+',
      '121+',
    ]);
    expect(delinquencyBucket(45, [15, 45])).toBe('16-45');
    expect(delinquencyBucket(46, [15, 45])).toBe('46+');
  });
});
