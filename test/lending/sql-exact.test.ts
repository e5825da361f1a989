import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromEpochDay, parseDate, toEpochDay } from '../../src/kernel/dates.js';
import { rows } from '../../src/kernel/db.js';
import { ROUNDING_MODES } from '../../src/kernel/money.js';
import { DAY_COUNTS } from '../../src/modules/lending/domain/day-count.js';
import { roundRatio, yearFractionUnits } from '../../src/modules/lending/domain/exact.js';
import { delinquencyBucket } from '../../src/modules/lending/domain/installment/index.js';
import {
  type CompoundingRule,
  compoundsOn,
} from '../../src/modules/lending/domain/installment/recalculation-compounding.js';
import { WEEKDAYS } from '../../src/modules/lending/domain/installment/recalculation-rest.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

// The SQL twins of the engine's exact arithmetic (migrations/0100_lending.sql), checked against domain/exact.ts
// on many random inputs at once: close of business is only exact if these agree to the unit.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const dayArb = fc.integer({
  min: toEpochDay(parseDate('1999-06-01')),
  max: toEpochDay(parseDate('2061-06-01')),
});

describe('SQL exact arithmetic equals the engine’s', () => {
  it('lending_round on numeric and bigint, every mode, ties included', async () => {
    const cases = fc.sample(
      fc.tuple(
        fc.oneof(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: -1000n, max: 1000n })),
        fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 20n }), fc.constantFrom(2n, 4n, 10n, 100n)),
        fc.constantFrom(...ROUNDING_MODES),
      ),
      3000,
    );
    const got = await rows<{ n: string; b: string | null }>(
      t.ctx.database.db,
      sql`SELECT lending_round(n, d, m)::text AS n,
                 CASE WHEN abs(n) < 9e18 AND d < 9e18 THEN lending_round(n::bigint, d::bigint, m)::text END AS b
            FROM unnest(${sql.param(cases.map((c) => c[0].toString()))}::numeric[],
                        ${sql.param(cases.map((c) => c[1].toString()))}::numeric[],
                        ${sql.param(cases.map((c) => c[2]))}::text[]) AS u (n, d, m)`,
    );
    cases.forEach(([num, den, mode], k) => {
      const want = roundRatio(num, den, mode).toString();
      expect(got[k]!.n, `${num}/${den} ${mode}`).toBe(want);
      if (got[k]!.b !== null) expect(got[k]!.b, `${num}/${den} ${mode} bigint`).toBe(want);
    });
  });

  it('lending_year_fraction_units for every day count, across month ends and leap years', async () => {
    const cases = fc.sample(
      fc.tuple(fc.constantFrom(...DAY_COUNTS), dayArb, fc.integer({ min: 0, max: 800 })),
      3000,
    );
    const got = await rows<{ u: string }>(
      t.ctx.database.db,
      sql`SELECT lending_year_fraction_units(c, s, e)::text AS u
            FROM unnest(${sql.param(cases.map((c) => c[0]))}::text[],
                        ${sql.param(cases.map((c) => fromEpochDay(c[1])))}::date[],
                        ${sql.param(cases.map((c) => fromEpochDay(c[1] + c[2])))}::date[]) AS u (c, s, e)`,
    );
    cases.forEach(([convention, start, length], k) => {
      const s = fromEpochDay(start);
      const e = fromEpochDay(start + length);
      expect(got[k]!.u, `${convention} ${s} ${e}`).toBe(yearFractionUnits(convention, s, e).toString());
    });
  });

  it('lending_compounds_on: every compounding calendar, as compoundsOn (and restOnOrAfter) count it', async () => {
    const weekday = fc.option(fc.constantFrom(...WEEKDAYS), { nil: undefined });
    const interval = fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined });
    const rule: fc.Arbitrary<CompoundingRule> = fc.oneof(
      fc.record({
        compounding: fc.constant('interest'),
        compounding_frequency: fc.constant('same_as_repayment' as const),
      }),
      fc.record({
        compounding: fc.constant('interest'),
        compounding_frequency: fc.constant('daily' as const),
        compounding_interval: interval,
      }),
      fc.record({
        compounding: fc.constant('fee'),
        compounding_frequency: fc.constant('weekly' as const),
        compounding_interval: interval,
        compounding_weekday: weekday,
      }),
      fc.record({
        compounding: fc.constant('interest_and_fee'),
        compounding_frequency: fc.constant('monthly' as const),
        compounding_interval: interval,
        compounding_on_day: fc.option(fc.integer({ min: 1, max: 28 }), { nil: undefined }),
      }),
      fc.record({
        compounding: fc.constant('interest'),
        compounding_frequency: fc.constant('monthly' as const),
        compounding_interval: interval,
        compounding_weekday: fc.constantFrom(...WEEKDAYS),
        compounding_nth_day: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constant('last' as const)),
      }),
    );
    const cases = fc.sample(fc.tuple(rule, dayArb, fc.integer({ min: -10, max: 400 })), 800);
    const got = await rows<{ d: string }>(
      t.ctx.database.db,
      sql`SELECT lending_compounds_on(r, s, d)::text AS d
            FROM unnest(${sql.param(cases.map((c) => JSON.stringify(c[0])))}::jsonb[],
                        ${sql.param(cases.map((c) => fromEpochDay(c[1])))}::date[],
                        ${sql.param(cases.map((c) => fromEpochDay(c[1] + c[2])))}::date[]) WITH ORDINALITY AS u (r, s, d, k)
           ORDER BY k`,
    );
    cases.forEach(([r, start, offset], k) => {
      const s = fromEpochDay(start);
      const due = fromEpochDay(start + offset);
      expect(got[k]!.d, `${JSON.stringify(r)} from ${s} on ${due}`).toBe(compoundsOn(r, s, due));
    });
  });

  it('lending_delinquency_bucket', async () => {
    const cases = fc.sample(
      fc.tuple(
        fc.integer({ min: -5, max: 400 }),
        fc
          .uniqueArray(fc.integer({ min: 1, max: 365 }), { minLength: 1, maxLength: 6 })
          .map((b) => b.sort((x, y) => x - y)),
      ),
      500,
    );
    const got = await rows<{ b: string }>(
      t.ctx.database.db,
      sql`SELECT lending_delinquency_bucket(d, string_to_array(b, ',')::int[]) AS b
            FROM unnest(${sql.param(cases.map((c) => c[0]))}::int[], ${sql.param(cases.map((c) => c[1].join(',')))}::text[]) AS u (d, b)`,
    );
    cases.forEach(([dpd, bounds], k) => {
      expect(got[k]!.b).toBe(delinquencyBucket(dpd, bounds));
    });
  });
});
