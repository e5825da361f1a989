import { type CalendarDate, daysBetween } from '../../../../kernel/dates.js';
import type { Minor, RoundingMode } from '../../../../kernel/money.js';
import type { DayCount } from '../day-count.js';
import {
  addRatio,
  percentRatio,
  type Ratio,
  roundRatio,
  toMinor,
  YEAR_UNITS,
  yearFractionUnits,
} from '../exact.js';
import type { RateChange } from './rate-changes.js';

/**
 * The annual rate of a loan over time, when it changes during the loan (its scheduled `rate_changes`, or the
 * `rate_change` action): each step's rate holds from its date (inclusive) until the next step's. The first step
 * starts on the disbursement date, so every period starts within the timeline. Daily interest accrues by the
 * steps; with every method they give the rate in force on a date (lending's rate-in-force.ts reads the loan's
 * `rate_steps` so).
 *
 * Interest by days over [start, end) is then Σ over the steps it crosses of round(B × R_step × yf(part)), each part
 * by the day count and rounded on its own (Fineract's cumulative generator splits a period at an interest-rate
 * term variation and adds each part's interest: CumulativeDecliningBalanceInterestLoanScheduleGenerator
 * .calculatePrincipalInterestComponentsForPeriod). Over a span with one rate it is the one-rate formula. Close of
 * business reads the same steps from the loan's `rate_steps` (interest.sql.ts) and sums the same parts.
 */
export interface RateStep {
  from: CalendarDate;
  rate: Ratio;
}

interface ScheduledRates {
  interestCalculation: string;
  disbursementDate: CalendarDate;
  annualInterestRate: string;
  rateChanges: readonly RateChange[];
}

/** The loan's first rate from disbursement, then each scheduled change's from its date (any interest calculation). */
export function scheduledSteps(terms: ScheduledRates): RateStep[] {
  return [
    { from: terms.disbursementDate, rate: percentRatio(terms.annualInterestRate) },
    ...terms.rateChanges.map((c) => ({ from: c.effectiveDate, rate: percentRatio(c.annualInterestRate) })),
  ];
}

/**
 * The steps of a loan's scheduled changes, none without: daily interest accrues by them; with the other methods
 * (which accrue each row linearly) they only say which rate is in force on a date (the loan's `rate_steps`).
 */
export function plannedSteps(terms: ScheduledRates): RateStep[] | undefined {
  return terms.rateChanges.length === 0 ? undefined : scheduledSteps(terms);
}

/** [start, end) cut at the steps it crosses: each part with the rate in force over it, empty parts left out. */
export function partsWithin(
  steps: readonly RateStep[],
  start: CalendarDate,
  end: CalendarDate,
): { rate: Ratio; from: CalendarDate; until: CalendarDate }[] {
  const parts: { rate: Ratio; from: CalendarDate; until: CalendarDate }[] = [];
  for (let k = 0; k < steps.length; k++) {
    // The first step holds from the beginning (a change dated on or before disbursement leaves only its own).
    const from = k === 0 || steps[k]!.from < start ? start : steps[k]!.from;
    const next = steps[k + 1]?.from ?? end;
    const until = next < end ? next : end;
    if (from < until) parts.push({ rate: steps[k]!.rate, from, until });
  }
  return parts;
}

/**
 * The annual rate of [start, end) weighted by days across the steps: Σ R_i × days_i / days, exact. A per_period or
 * period_days period holding rate changes earns round(B × this × φ), one rounding (Fineract sums the rate factors
 * of a repayment period's interest periods, each R_i × φ × days_i / days:
 * ProgressiveEMICalculator.calculateRateFactorPerPeriod).
 */
export function rateByDays(steps: readonly RateStep[], start: CalendarDate, end: CalendarDate): Ratio {
  let sum: Ratio = { num: 0n, den: 1n };
  for (const p of partsWithin(steps, start, end))
    sum = addRatio(sum, { num: p.rate.num * BigInt(daysBetween(p.from, p.until)), den: p.rate.den });
  return { num: sum.num, den: sum.den * BigInt(daysBetween(start, end)) };
}

/** The steps after a change to `rate` from `date`: the earlier steps kept (or the one rate so far), later ones dropped. */
export function stepsWith(
  steps: readonly RateStep[] | undefined,
  current: Ratio,
  disbursementDate: CalendarDate,
  date: CalendarDate,
  rate: Ratio,
): RateStep[] {
  const kept = (steps ?? [{ from: disbursementDate, rate: current }]).filter((s) => s.from < date);
  return [...kept, { from: date, rate }];
}

/** Interest by days over [start, end) across the steps, each part rounded on its own (see above). */
export function steppedDayInterest(
  steps: readonly RateStep[],
  dayCount: DayCount,
  mode: RoundingMode,
  balance: Minor,
  start: CalendarDate,
  end: CalendarDate,
): Minor {
  let total = 0n;
  for (let k = 0; k < steps.length; k++) {
    const s = steps[k]!;
    // The first step holds from the beginning (a change dated on or before disbursement leaves only its own).
    const from = k === 0 || s.from < start ? start : s.from;
    const until = steps[k + 1]?.from ?? end;
    if (from >= end || until <= start) continue;
    const units = yearFractionUnits(dayCount, from, until < end ? until : end);
    total += roundRatio(BigInt(balance) * s.rate.num * units, s.rate.den * YEAR_UNITS, mode);
  }
  return toMinor(total);
}

/** The steps as the loan's `rate_steps` column holds them: exact rates as integer strings, the first from null. */
export function stepsJson(steps: readonly RateStep[] | undefined): Record<string, string | null>[] | null {
  if (!steps) return null;
  return steps.map((s, k) => ({
    from: k === 0 ? null : s.from,
    until: steps[k + 1]?.from ?? null,
    num: s.rate.num.toString(),
    den: s.rate.den.toString(),
  }));
}
