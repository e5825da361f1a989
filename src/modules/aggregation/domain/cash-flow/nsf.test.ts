import { describe, expect, it } from 'vitest';
import type { CalendarDate } from '../../../../kernel/dates.js';
import { feeKind, nsfOverdraft } from './nsf.js';
import { tx } from './testing.js';

const d = (s: string) => s as CalendarDate;

describe('NSF and overdraft', () => {
  it('recognises the fees by their descriptions; reversals are not fees', () => {
    expect(feeKind(tx('2024-04-01', -3500, 'NSF FEE ITEM 1234'))).toBe('nsf');
    expect(feeKind(tx('2024-04-01', -3500, 'RETURNED ITEM FEE'))).toBe('nsf');
    expect(feeKind(tx('2024-04-01', -3400, 'INSUFFICIENT FUNDS CHARGE'))).toBe('nsf');
    expect(feeKind(tx('2024-04-01', -3400, 'OVERDRAFT FEE FOR A $4.50 ITEM'))).toBe('overdraft');
    expect(feeKind(tx('2024-04-01', -1000, 'EXTENDED OD CHARGE'))).toBe('overdraft');
    expect(feeKind(tx('2024-04-01', 3400, 'OVERDRAFT FEE REVERSAL'))).toBeNull();
    expect(feeKind(tx('2024-04-01', -3400, 'ODYSSEY BOOKS'))).toBeNull();
  });

  it('counts fees, and negative-balance episodes that no fee accounts for', () => {
    const txns = [
      tx('2024-04-03', -3400, 'OVERDRAFT FEE'),
      tx('2024-04-20', -3500, 'NSF FEE'),
      tx('2024-04-21', 3500, 'NSF FEE REFUND'),
    ];
    const episodes = [
      { accountId: 'chk', start: d('2024-04-02'), days: 3 }, // explained by the overdraft fee
      { accountId: 'chk', start: d('2024-04-12'), days: 2 }, // no fee: an incident of its own
      { accountId: 'sav', start: d('2024-04-19'), days: 1 }, // the NSF fee was on another account
    ];
    expect(nsfOverdraft(txns, episodes)).toEqual({
      count: 4,
      nsfFees: 1,
      overdraftFees: 1,
      negativeBalanceEpisodes: 3,
      negativeBalanceDays: 6,
    });
  });
});
