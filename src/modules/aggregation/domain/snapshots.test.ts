import { describe, expect, it } from 'vitest';
import { figuresAsOf, holdingsValue } from './snapshots.js';
import type { ProviderAccountData, ProviderHoldingData } from './types.js';

const account = (over: Partial<ProviderAccountData> = {}): ProviderAccountData => ({
  providerAccountId: 'a',
  accountNumberMasked: null,
  name: 'Checking',
  accountType: 'checking',
  currency: 'USD',
  balance: null,
  availableBalance: null,
  cashBalance: null,
  balanceAsOf: null,
  institution: null,
  isActive: true,
  ...over,
});

const holding = (marketValue: number | null): ProviderHoldingData => ({
  providerHoldingId: 'h',
  symbol: 'X',
  securityName: 'X',
  assetType: 'equity',
  quantity: '1',
  costBasis: null,
  marketValue,
  currency: 'USD',
  averagePrice: null,
  currentPrice: null,
  asOf: null,
});

describe('balance figures', () => {
  const now = new Date('2024-05-01T00:00:00Z');

  it('dates figures by the source, else now; no figure at all has no date', () => {
    expect(figuresAsOf(account({ balance: 1, balanceAsOf: '2024-04-30T12:00:00.000Z' }), null, now)).toEqual(
      new Date('2024-04-30T12:00:00Z'),
    );
    expect(figuresAsOf(account({ availableBalance: 0 }), null, now)).toEqual(now);
    expect(figuresAsOf(account({ cashBalance: 5 }), null, now)).toEqual(now);
    expect(figuresAsOf(account(), 100, now)).toEqual(now);
    expect(figuresAsOf(account({ balanceAsOf: '2024-04-30T12:00:00.000Z' }), null, now)).toBeNull();
  });

  it('values holdings only when every one has a market value', () => {
    expect(holdingsValue([holding(100), holding(250)])).toBe(350);
    expect(holdingsValue([holding(100), holding(null)])).toBeNull();
    expect(holdingsValue([])).toBe(0);
  });
});
