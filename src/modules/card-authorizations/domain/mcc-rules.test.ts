import { describe, expect, it } from 'vitest';
import { compileMccRules, mccRulesConfigSchema } from './mcc-rules.js';
import type { PendingTransaction } from './resolvers.js';

const pending = (mcc: string, country: string | null = 'FRA', merchantId = 'M-1'): PendingTransaction => ({
  amount: 100,
  currency: 'EUR',
  cardId: 'card_1',
  provider: 'generic',
  externalId: 'a1',
  merchantInfo: { merchantId, acquirerId: null, mcc, name: null, country, postalCode: null, city: null },
});

const config = mccRulesConfigSchema.parse({
  rules: [
    { category_code: 'health', mcc: ['5912', '8011-8099'] },
    { category_code: 'all', mcc: ['0000-9999'] },
    { category_code: 'abroad_food', mcc: ['5411', '5812'], merchant_countries: ['DEU', 'ITA'] },
    { category_code: 'partner', mcc: ['5411'], merchant_ids: ['PARTNER-1'] },
  ],
});
const resolver = compileMccRules(config);
const codes = (p: PendingTransaction) => {
  const r = resolver.resolveExpenseCategories(p) as ReadonlySet<string> | null;
  return r ? [...r].sort() : null;
};

describe('mcc_rules', () => {
  it('matches single codes and inclusive ranges', () => {
    expect(codes(pending('5912'))).toEqual(['all', 'health']);
    expect(codes(pending('8011'))).toEqual(['all', 'health']);
    expect(codes(pending('8099'))).toEqual(['all', 'health']);
    expect(codes(pending('8100'))).toEqual(['all']);
  });

  it('applies country and merchant restrictions', () => {
    expect(codes(pending('5411', 'DEU'))).toEqual(['abroad_food', 'all']);
    expect(codes(pending('5411', 'FRA'))).toEqual(['all']);
    expect(codes(pending('5411', null))).toEqual(['all']);
    expect(codes(pending('5411', 'FRA', 'PARTNER-1'))).toEqual(['all', 'partner']);
  });

  it('answers null when nothing matches', () => {
    const only = compileMccRules(
      mccRulesConfigSchema.parse({ rules: [{ category_code: 'x', mcc: ['5411'] }] }),
    );
    expect(only.resolveExpenseCategories(pending('5812'))).toBeNull();
    expect(only.resolveExpenseCategories(pending('bad'))).toBeNull();
  });

  it.each([
    [{ rules: [] }, 'rules'],
    [{ rules: [{ category_code: 'x', mcc: ['541'] }] }, 'rules.0.mcc.0'],
    [{ rules: [{ category_code: 'x', mcc: ['8099-8011'] }] }, 'rules.0.mcc.0'],
    [
      { rules: [{ category_code: 'x', mcc: ['5411'], merchant_countries: ['FR'] }] },
      'rules.0.merchant_countries.0',
    ],
    [{ rules: [{ category_code: 'x y', mcc: ['5411'] }] }, 'rules.0.category_code'],
    [{ rules: [{ category_code: 'x', mcc: ['5411'], extra: 1 }] }, 'rules.0'],
  ])('rejects config %o at %s', (raw, path) => {
    const r = mccRulesConfigSchema.safeParse(raw);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
