import fc from 'fast-check';
import type { RestRule } from '../../../src/modules/lending/domain/installment/recalculation-rest.js';

/** Test fixtures: the rest frequencies of interest recalculation (recalculation-rest.ts), each shape Fineract has. */
export const REST_RULES: readonly RestRule[] = [
  { rest: 'daily' },
  { rest: 'daily', rest_interval: 3 },
  { rest: 'same_as_repayment' },
  { rest: 'weekly' },
  { rest: 'weekly', rest_interval: 2, rest_weekday: 'friday' },
  { rest: 'monthly' },
  { rest: 'monthly', rest_on_day: 20 },
  { rest: 'monthly', rest_interval: 2, rest_nth_day: 'last', rest_weekday: 'wednesday' },
  { rest: 'monthly', rest_nth_day: 2, rest_weekday: 'monday' },
];

export const restRuleArb: fc.Arbitrary<RestRule> = fc.constantFrom(...REST_RULES);

/** A rest rule picked by a number (for specs drawn once, like close of business's portfolios). */
export const restRuleAt = (n: number): RestRule => REST_RULES[n % REST_RULES.length]!;

/**
 * The compounding calendars (recalculation-compounding.ts), each shape Fineract has; same as repayment (absent) is
 * the default. Fields as the program term `interest_recalculation` takes them.
 */
export const COMPOUNDING_CALENDARS: readonly Record<string, unknown>[] = [
  {},
  { compounding_frequency: 'daily', compounding_interval: 3 },
  { compounding_frequency: 'weekly' },
  { compounding_frequency: 'weekly', compounding_interval: 2, compounding_weekday: 'thursday' },
  { compounding_frequency: 'monthly', compounding_on_day: 10 },
  { compounding_frequency: 'monthly', compounding_nth_day: 'last', compounding_weekday: 'friday' },
];

export const compoundingCalendarArb = fc.constantFrom(...COMPOUNDING_CALENDARS);

/** A compounding calendar picked by a number (for specs drawn once). */
export const compoundingCalendarAt = (n: number) => COMPOUNDING_CALENDARS[n % COMPOUNDING_CALENDARS.length]!;
