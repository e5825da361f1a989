import { Decimal } from 'decimal.js';
import { type CalendarDate, daysBetween } from '../../../../kernel/dates.js';
import type { Cadence } from './types.js';

/** Statistics shared by income and recurring-debit detection: spacing of dates, spread of amounts, cadence. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Coefficient of variation (population standard deviation / mean), as a Decimal; 0 for fewer than two values. */
export function variation(values: readonly number[]): Decimal {
  if (values.length < 2) return new Decimal(0);
  const n = new Decimal(values.length);
  const mean = values.reduce((a, v) => a.plus(v), new Decimal(0)).div(n);
  if (mean.isZero()) return new Decimal(0);
  const variance = values.reduce((a, v) => a.plus(new Decimal(v).minus(mean).pow(2)), new Decimal(0)).div(n);
  return variance.sqrt().div(mean.abs());
}

export const ratio = (d: Decimal): string => d.toDecimalPlaces(4, Decimal.ROUND_HALF_EVEN).toFixed(4);

/** Days between consecutive dates (sorted ascending). */
export function intervals(dates: readonly CalendarDate[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < dates.length; i++) out.push(daysBetween(dates[i - 1]!, dates[i]!));
  return out;
}

/** Occurrences per month of each cadence (52/12 weeks, 26/12 fortnights). */
export const PER_MONTH: Record<Cadence, Decimal> = {
  weekly: new Decimal(52).div(12),
  biweekly: new Decimal(26).div(12),
  semimonthly: new Decimal(2),
  monthly: new Decimal(1),
};

/**
 * The cadence of a series of dates, from the median interval: about 7 days weekly, 14 biweekly, 15 semimonthly,
 * 30 monthly. Biweekly and semimonthly overlap in their intervals; a biweekly series puts three items into some
 * month, a semimonthly one never does.
 */
export function cadenceOf(dates: readonly CalendarDate[]): Cadence | null {
  if (dates.length < 2) return null;
  const m = median(intervals(dates));
  if (m >= 5 && m <= 9) return 'weekly';
  if (m >= 12 && m <= 18) {
    const perMonth = new Map<string, number>();
    for (const d of dates) perMonth.set(d.slice(0, 7), (perMonth.get(d.slice(0, 7)) ?? 0) + 1);
    if ([...perMonth.values()].some((n) => n >= 3)) return 'biweekly';
    return m < 14.5 && perMonth.size < 3 ? 'biweekly' : 'semimonthly';
  }
  if (m >= 26 && m <= 35) return 'monthly';
  return null;
}
