import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { categoryForMcc, mccForCategory, STRIPE_CATEGORIES } from './categories.js';

/** The category names of the installed `stripe` SDK, read from its type definitions. */
function sdkCategories(): string[] {
  // The package exports no package.json; its main entry sits in <root>/cjs/.
  const main = createRequire(import.meta.url).resolve('stripe');
  const dts = readFileSync(join(dirname(main), '..', 'esm/resources/Issuing/Cards.d.ts'), 'utf8');
  const line = dts.split('\n').find((l) => l.includes('type AllowedCategory ='));
  if (!line) throw new Error('AllowedCategory not found in the stripe SDK');
  return [...line.matchAll(/'([a-z0-9_]+)'/g)].map((m) => m[1]!);
}

describe('stripe categories', () => {
  it('covers exactly the categories of the installed SDK (fails when Stripe adds one)', () => {
    expect([...STRIPE_CATEGORIES].sort()).toEqual(sdkCategories().sort());
  });

  it('gives every category but miscellaneous its own four-digit MCC', () => {
    const mccs = STRIPE_CATEGORIES.filter((c) => c !== 'miscellaneous').map((c) => mccForCategory(c));
    for (const mcc of mccs) expect(mcc).toMatch(/^\d{4}$/);
    expect(new Set(mccs).size).toBe(mccs.length);
    expect(mccForCategory('miscellaneous')).toBeUndefined();
  });

  it('maps both ways, with miscellaneous for unlisted codes', () => {
    expect(mccForCategory('grocery_stores_supermarkets')).toBe('5411');
    expect(categoryForMcc('5411')).toBe('grocery_stores_supermarkets');
    expect(categoryForMcc('0763')).toBe('agricultural_cooperative');
    expect(categoryForMcc('3000')).toBe('miscellaneous');
  });
});
