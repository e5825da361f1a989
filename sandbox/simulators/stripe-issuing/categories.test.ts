import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LISTED_CATEGORIES, stripeCategoryOf } from './categories.js';

/** The category names of the installed `stripe` SDK (its spending controls' AllowedCategory). */
function sdkCategories(): string[] {
  const main = createRequire(import.meta.url).resolve('stripe');
  const dts = readFileSync(join(dirname(main), '..', 'esm/resources/Issuing/Cards.d.ts'), 'utf8');
  const line = dts.split('\n').find((l) => l.includes('type AllowedCategory ='));
  if (!line) throw new Error('AllowedCategory not found in the stripe SDK');
  return [...line.matchAll(/'([a-z0-9_]+)'/g)].map((m) => m[1]!);
}

describe("the simulator's merchant categories", () => {
  it('names exactly the categories the installed SDK knows', () => {
    expect(LISTED_CATEGORIES).toEqual(sdkCategories().sort());
  });

  it('gives each MCC of the guide its category, and miscellaneous to the rest', () => {
    expect(stripeCategoryOf('5411')).toBe('grocery_stores_supermarkets');
    expect(stripeCategoryOf('5812')).toBe('eating_places_restaurants');
    expect(stripeCategoryOf('0742')).toBe('veterinary_services');
    expect(stripeCategoryOf('5935')).toBe('wrecking_and_salvage_yards');
    expect(stripeCategoryOf('3000')).toBe('miscellaneous');
  });
});
