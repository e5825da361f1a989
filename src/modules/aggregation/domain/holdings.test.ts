import { describe, expect, it } from 'vitest';
import { withDistinctIds } from './holdings.js';
import type { ProviderHoldingData } from './types.js';

const holding = (id: string, quantity: string): ProviderHoldingData => ({
  providerHoldingId: id,
  symbol: id.split(':')[0]!,
  securityName: 'Security',
  assetType: 'equity',
  quantity,
  costBasis: null,
  marketValue: Number(quantity) * 100,
  currency: 'USD',
  averagePrice: null,
  currentPrice: null,
  asOf: null,
});

describe('withDistinctIds', () => {
  it('keeps every holding, numbering repeated ids by occurrence', () => {
    const list = [holding('A', '1'), holding('B', '2'), holding('A', '3'), holding('A', '4')];
    const out = withDistinctIds(list);
    expect(out.map((h) => [h.providerHoldingId, h.quantity])).toEqual([
      ['A', '1'],
      ['B', '2'],
      ['A#2', '3'],
      ['A#3', '4'],
    ]);
    expect(out.reduce((s, h) => s + h.marketValue!, 0)).toBe(1000);
    expect(list[2]!.providerHoldingId).toBe('A'); // the input is not changed
  });

  it('never produces an id the source uses for another holding', () => {
    const out = withDistinctIds([holding('A', '1'), holding('A#2', '2'), holding('A', '3')]);
    expect(out.map((h) => h.providerHoldingId)).toEqual(['A', 'A#2', 'A#3']);
  });

  it('leaves distinct ids alone', () => {
    const list = [holding('A', '1'), holding('B', '2')];
    expect(withDistinctIds(list)).toEqual(list);
  });
});
