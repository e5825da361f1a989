import { describe, expect, it } from 'vitest';
import { parseDate } from '../../../../kernel/dates.js';
import { accountStatusOf, type MonthEnd, paymentHistoryProfile, type ServicingState } from './status.js';

// The account status and payment history profile the CRRG derives from servicing state (status.ts); the records'
// field positions are in metro2.test.ts.

const d = parseDate;

describe('account status from servicing', () => {
  const status = (s: Partial<ServicingState>) =>
    accountStatusOf({ condition: 'open', daysPastDue: 0, currentBalance: 100, amountPastDue: 0, ...s });
  it('ages open accounts across every bucket edge', () => {
    const table = [
      [0, '11'],
      [29, '11'],
      [30, '71'],
      [59, '71'],
      [60, '78'],
      [89, '78'],
      [90, '80'],
      [119, '80'],
      [120, '82'],
      [149, '82'],
      [150, '83'],
      [179, '83'],
      [180, '84'],
      [400, '84'],
    ];
    for (const [dpd, code] of table)
      expect([dpd, status({ daysPastDue: dpd as number }).accountStatus]).toEqual([dpd, code]);
  });
  it('maps the other conditions, with the payment rating where the CRRG requires it', () => {
    expect(status({ condition: 'paid', currentBalance: 0, daysPastDueAtClose: 35 })).toEqual({
      accountStatus: '13',
      paymentRating: '1',
    });
    expect(status({ condition: 'closed_with_balance', currentBalance: 0 })).toEqual({
      accountStatus: '13',
      paymentRating: '0',
    });
    expect(status({ condition: 'closed_with_balance', daysPastDue: 65 }).accountStatus).toBe('78');
    expect(status({ collection: true }).accountStatus).toBe('93');
    expect(status({ collateral: 'surrendered', daysPastDue: 95 })).toEqual({
      accountStatus: '95',
      paymentRating: '3',
    });
    expect(status({ collateral: 'repossessed' }).accountStatus).toBe('96');
    expect(status({ condition: 'charged_off' }).accountStatus).toBe('97');
    expect(status({ condition: 'charged_off', currentBalance: 0 }).accountStatus).toBe('64');
  });
  it('gives a charge-off precedence over a repossession, and a repossession over a collection placement', () => {
    // With a balance owed: 97 > 96 / 95 > 93 > days past due.
    const owed = { daysPastDue: 200, currentBalance: 500_00 };
    expect(
      status({ ...owed, condition: 'charged_off', collateral: 'repossessed', collection: true }),
    ).toEqual({
      accountStatus: '97',
      paymentRating: '',
    });
    expect(status({ ...owed, collateral: 'repossessed', collection: true }).accountStatus).toBe('96');
    expect(status({ ...owed, collateral: 'surrendered', collection: true }).accountStatus).toBe('95');
    expect(status({ ...owed, collection: true }).accountStatus).toBe('93');
    expect(status({ ...owed }).accountStatus).toBe('84');
    // A repossessed account still open with a balance is 96 whatever its days past due (current included).
    expect(status({ collateral: 'repossessed', daysPastDue: 0 }).accountStatus).toBe('96');
  });
  it('reports an account paid in full by what it was: 64 > 63 / 61 > 62 > 13', () => {
    const paid = { condition: 'paid' as const, currentBalance: 0 };
    expect(status({ ...paid, condition: 'charged_off', collateral: 'repossessed' }).accountStatus).toBe('64');
    expect(status({ ...paid, collateral: 'repossessed', collection: true })).toEqual({
      accountStatus: '63',
      paymentRating: '',
    });
    expect(status({ ...paid, collateral: 'surrendered', collection: true }).accountStatus).toBe('61');
    expect(status({ ...paid, collection: true }).accountStatus).toBe('62');
    expect(status({ ...paid }).accountStatus).toBe('13');
    // Closed at zero counts as paid; closed with a balance is still owed.
    expect(
      status({ condition: 'closed_with_balance', currentBalance: 0, collection: true }).accountStatus,
    ).toBe('62');
    expect(
      status({ condition: 'closed_with_balance', currentBalance: 10, collateral: 'repossessed' })
        .accountStatus,
    ).toBe('96');
  });
  it('marks collection, repossession and surrender months G, K and J while a balance is owed', () => {
    const months = new Map<string, MonthEnd>([
      [
        '2024-05',
        { condition: 'open', daysPastDue: 100, balance: 5, collateral: 'repossessed', collection: true },
      ],
      ['2024-04', { condition: 'open', daysPastDue: 70, balance: 5, collateral: 'surrendered' }],
      ['2024-03', { condition: 'open', daysPastDue: 40, balance: 5, collection: true }],
      ['2024-02', { condition: 'paid', daysPastDue: 0, balance: 0, collection: true }],
      ['2024-01', { condition: 'charged_off', daysPastDue: 0, balance: 5, collateral: 'repossessed' }],
    ]);
    expect(paymentHistoryProfile(d('2024-06-30'), d('2024-01-01'), months)).toBe(`KJGEL${'B'.repeat(19)}`);
  });
  it('writes the 24-month history, most recent month first', () => {
    const months = new Map<string, MonthEnd>([
      ['2024-05', { condition: 'charged_off', daysPastDue: 190, balance: 5 }],
      ['2024-04', { condition: 'open', daysPastDue: 160, balance: 5 }],
      ['2024-03', { condition: 'open', daysPastDue: 31, balance: 5 }],
      ['2024-01', { condition: 'open', daysPastDue: 0, balance: 0 }],
      ['2023-12', { condition: 'open', daysPastDue: 0, balance: 5 }],
    ]);
    expect(paymentHistoryProfile(d('2024-06-30'), d('2023-12-01'), months)).toBe(`L51DE0${'B'.repeat(18)}`);
  });
});
