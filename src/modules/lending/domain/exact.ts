import type { CalendarDate } from '../../../kernel/dates.js';
import { dateParts, daysBetween, fromParts, isLeapYear } from '../../../kernel/dates.js';
import type { RoundingMode } from '../../../kernel/money.js';
import { type DayCount, dayCountDays } from './day-count.js';

/**
 * Exact rational arithmetic for interest. Every interest amount in the engine is an integer numerator over an
 * integer denominator, rounded once with the program's mode. This is the same result as `roundMinor` on a
 * Decimal quotient computed with enough precision (the tests check that), but it is exact for ties (600 cents at
 * 1%/12 is exactly 0.5 cent) and about twenty times faster, which a 360-row schedule in under a millisecond needs.
 * The SQL close of business reproduces it with PostgreSQL `numeric` integers and one division per amount.
 */

/** Rounds num/den (den > 0) to an integer with `mode`, exactly. Modes follow decimal.js (`up` = away from 0). */
export function roundRatio(num: bigint, den: bigint, mode: RoundingMode): bigint {
  if (den <= 0n) throw new RangeError('denominator must be positive');
  const q = num / den; // truncates toward zero
  const r = num - q * den;
  if (r === 0n) return q;
  const negative = num < 0n;
  const twice = (negative ? -r : r) * 2n;
  let away: boolean;
  switch (mode) {
    case 'up':
      away = true;
      break;
    case 'down':
      away = false;
      break;
    case 'ceiling':
      away = !negative;
      break;
    case 'floor':
      away = negative;
      break;
    case 'half_up':
      away = twice >= den;
      break;
    case 'half_down':
      away = twice > den;
      break;
    case 'half_even':
      away = twice > den || (twice === den && (q & 1n) !== 0n);
      break;
  }
  return away ? q + (negative ? -1n : 1n) : q;
}

/**
 * `roundRatio` for safe integers num ≥ 0 and 0 < den (both at most 2^53 − 1), in doubles: every step is exact
 * (the quotient's float division is corrected by its remainder), so the result is roundRatio's, without a bigint.
 */
export function roundSafe(num: number, den: number, mode: RoundingMode): number {
  let q = Math.floor(num / den);
  let r = num - q * den;
  if (r < 0) {
    q -= 1;
    r += den;
  } else if (r >= den) {
    q += 1;
    r -= den;
  }
  if (r === 0) return q;
  const twice = r * 2;
  switch (mode) {
    case 'up':
    case 'ceiling':
      return q + 1;
    case 'down':
    case 'floor':
      return q;
    case 'half_up':
      return twice >= den ? q + 1 : q;
    case 'half_down':
      return twice > den ? q + 1 : q;
    case 'half_even':
      return twice > den || (twice === den && q % 2 !== 0) ? q + 1 : q;
  }
}

/** A bigint amount of minor units back to a safe number. */
export function toMinor(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount out of range: ${value}`);
  return n;
}

/** An annual rate as an exact fraction: the rate per year is `num / den` (so "9.4822" percent is 94822 / 1e6). */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

/** Wire format of an annual rate in percent: up to 3 integer digits and up to 10 decimals. */
export const PERCENT_RE = /^(0|[1-9]\d{0,2})(\.\d{1,10})?$/;

export function percentRatio(percent: string): Ratio {
  const m = PERCENT_RE.exec(percent);
  if (!m) throw new RangeError(`not a percent rate: ${percent}`);
  const decimals = (m[2] ?? '.').slice(1);
  return { num: BigInt(m[1]! + decimals), den: 100n * 10n ** BigInt(decimals.length) };
}

/** Compares two percent strings numerically. */
export function comparePercent(a: string, b: string): number {
  const x = percentRatio(a);
  const y = percentRatio(b);
  const d = x.num * y.den - y.num * x.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/**
 * Year fractions are exact multiples of 1 / YEAR_UNITS: lcm(360, 364, 365, 366) = 145,880,280, so every day count
 * convention (a day is 1/360, 1/364, 1/365 or 1/366 of a year) is an integer number of units. SQL multiplies by the
 * same constants (sql/exact.sql, `YEAR_UNITS_SQL`).
 */
export const YEAR_UNITS = 145_880_280n;
const UNITS_360 = 405_223n;
const UNITS_364 = 400_770n;
const UNITS_365 = 399_672n;
const UNITS_366 = 398_580n;

/** yearFraction(convention, start, end) × YEAR_UNITS, exactly (the same definitions as day-count.ts). */
export function yearFractionUnits(convention: DayCount, start: CalendarDate, end: CalendarDate): bigint {
  switch (convention) {
    case '30/360':
      return BigInt(dayCountDays(convention, start, end)) * UNITS_360;
    case 'actual/360':
      return BigInt(daysBetween(start, end)) * UNITS_360;
    case 'actual/365':
      return BigInt(daysBetween(start, end)) * UNITS_365;
    case 'actual/364':
      return BigInt(daysBetween(start, end)) * UNITS_364;
    case 'actual/actual': {
      if (end <= start) return -yearFractionUnitsActual(end, start);
      return yearFractionUnitsActual(start, end);
    }
  }
}

function yearFractionUnitsActual(start: CalendarDate, end: CalendarDate): bigint {
  let total = 0n;
  let cursor = start;
  while (cursor < end) {
    const y = dateParts(cursor).year;
    const nextYear = fromParts(y + 1, 1, 1);
    const stop = nextYear < end ? nextYear : end;
    total += BigInt(daysBetween(cursor, stop)) * (isLeapYear(y) ? UNITS_366 : UNITS_365);
    cursor = stop;
  }
  return total;
}

/** a × b, unreduced (the engine's denominators stay small enough for bigint products). */
export const multiplyRatio = (a: Ratio, b: Ratio): Ratio => ({ num: a.num * b.num, den: a.den * b.den });

/** a + b, kept over the shared denominator when there is one (every period of most schedules shares it). */
export function addRatio(a: Ratio, b: Ratio): Ratio {
  if (a.den === b.den) return { num: a.num + b.num, den: a.den };
  const num = a.num * b.den + b.num * a.den;
  const den = a.den * b.den;
  const g = gcd(num < 0n ? -num : num, den);
  return { num: num / g, den: den / g };
}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}
