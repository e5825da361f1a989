import { describe, expect, it } from 'vitest';
import type { CalendarDate } from '../../../../kernel/dates.js';
import { categoryOf, recurringDebits } from './recurring.js';
import { every, monthly, tx } from './testing.js';

const asOf = '2024-06-30' as CalendarDate;

describe('recurring debits', () => {
  it('finds monthly subscriptions, rent and loans, with their monthly cost', () => {
    const debits = [
      ...monthly('2024-01', 12, 6, (date) => tx(date, -1549, 'NETFLIX.COM')),
      ...monthly('2024-01', 1, 6, (date) => tx(date, -150_000, 'OAKWOOD APTS RENT')),
      ...monthly('2024-01', 20, 6, (date) => tx(date, -38_912, 'TOYOTA AUTO LOAN PMT')),
    ];
    const found = recurringDebits(debits, asOf);
    expect(found.map((r) => [r.payee, r.category, r.cadence, r.monthlyEquivalent, r.active])).toEqual([
      ['OAKWOOD APTS RENT', 'rent', 'monthly', 150_000, true],
      ['TOYOTA AUTO LOAN PMT', 'debt_payment', 'monthly', 38_912, true],
      ['NETFLIX COM', 'subscription', 'monthly', 1549, true],
    ]);
    expect(found[0]).toMatchObject({
      occurrences: 6,
      lastDate: '2024-06-01',
      nextExpectedDate: '2024-07-01',
    });
  });

  it('tolerates amounts that vary a little and one outlier, not more', () => {
    const utility = monthly('2024-01', 8, 6, (date, i) =>
      tx(date, i === 3 ? -21_000 : -(9_000 + i * 150), 'CITY WATER UTILITY'),
    );
    expect(recurringDebits(utility, asOf)).toEqual([
      expect.objectContaining({ category: 'utility', occurrences: 6 }),
    ]);
    const wild = monthly('2024-01', 8, 6, (date, i) => tx(date, -(1000 + i * 900), 'CORNER STORE'));
    expect(recurringDebits(wild, asOf)).toEqual([]);
  });

  it('weekly and biweekly cadences; irregular dates are not recurring', () => {
    const gym = every('2024-05-06', 7, 8, (date) => tx(date, -1200, 'CITY GYM'));
    const sitter = every('2024-03-01', 14, 8, (date) => tx(date, -8000, 'JANE SITTER'));
    const random = ['2024-01-03', '2024-01-05', '2024-02-20', '2024-04-01'].map((date) =>
      tx(date, -500, 'CAFE ROUGE'),
    );
    expect(recurringDebits([...gym, ...sitter, ...random], asOf).map((r) => [r.payee, r.cadence])).toEqual([
      ['JANE SITTER', 'biweekly'],
      ['CITY GYM', 'weekly'],
    ]);
  });

  it('a stopped subscription is reported, but not active', () => {
    const old = monthly('2024-01', 5, 3, (date) => tx(date, -999, 'SPOTIFY'));
    expect(recurringDebits(old, asOf)).toEqual([
      expect.objectContaining({ active: false, lastDate: '2024-03-05' }),
    ]);
  });

  it('needs three occurrences, and ignores credits', () => {
    expect(
      recurringDebits(
        monthly('2024-05', 5, 2, (date) => tx(date, -999, 'HULU')),
        asOf,
      ),
    ).toEqual([]);
    expect(
      recurringDebits(
        monthly('2024-01', 5, 6, (date) => tx(date, 999, 'HULU')),
        asOf,
      ),
    ).toEqual([]);
  });

  it('categories come from the payee', () => {
    expect(categoryOf('GEICO AUTO INSURANCE')).toBe('insurance');
    expect(categoryOf('COMCAST CABLE')).toBe('utility');
    expect(categoryOf('AFFIRM INC')).toBe('debt_payment');
    expect(categoryOf('PLUMBER BOB')).toBe('other');
  });
});
