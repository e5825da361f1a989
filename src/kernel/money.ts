import { Decimal } from 'decimal.js';
import { z } from 'zod';

/**
 * Money is an integer count of minor units (cents) plus an ISO 4217 code. JavaScript numbers are exact for
 * integers up to 2^53 (about 9.007 × 10^15), so we keep plain numbers, cap every amount that enters at MAX_MINOR
 * and read every sum the database computes as an exact integer (`exactMinor`), never through a float.
 */
export type Minor = number;

/**
 * The largest amount an API accepts, in minor units: 10^15 − 1 (under a trillion major units in a currency of
 * three decimals, ten trillion in one of two). It leaves room below 2^53 for a loan's balances to be added up
 * (principal, interest, fees and penalties of one amount each stay exact).
 */
export const MAX_MINOR = 999_999_999_999_999;

// ISO 4217 active codes and their minor-unit exponents. Everything not listed here has exponent 2.
const EXPONENT_0 = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const EXPONENT_3 = 'BHD IQD JOD KWD LYD OMR TND';
const EXPONENT_4 = 'CLF UYW';
const EXPONENT_2 =
  'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF ' +
  'CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD ' +
  'HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT ' +
  'MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR ' +
  'SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU ' +
  'UZS VED VES WST XCD XCG YER ZAR ZMW ZWG';

const EXPONENTS = new Map<string, number>();
for (const [codes, exp] of [
  [EXPONENT_0, 0],
  [EXPONENT_2, 2],
  [EXPONENT_3, 3],
  [EXPONENT_4, 4],
] as const) {
  for (const code of codes.split(' ')) EXPONENTS.set(code, exp);
}

export const isCurrencyCode = (code: string): boolean => EXPONENTS.has(code);

/** Minor-unit exponent of an ISO 4217 currency, or undefined for an unknown code. */
export const currencyExponent = (code: string): number | undefined => EXPONENTS.get(code);

export const currencySchema = z
  .string()
  .refine(isCurrencyCode, { message: 'must be an ISO 4217 currency code, e.g. USD' });

export const ROUNDING_MODES = [
  'half_even',
  'half_up',
  'half_down',
  'up',
  'down',
  'ceiling',
  'floor',
] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

const DECIMAL_ROUNDING: Record<RoundingMode, Decimal.Rounding> = {
  half_even: Decimal.ROUND_HALF_EVEN,
  half_up: Decimal.ROUND_HALF_UP,
  half_down: Decimal.ROUND_HALF_DOWN,
  up: Decimal.ROUND_UP,
  down: Decimal.ROUND_DOWN,
  ceiling: Decimal.ROUND_CEIL,
  floor: Decimal.ROUND_FLOOR,
};

export const decimalRounding = (mode: RoundingMode): Decimal.Rounding => DECIMAL_ROUNDING[mode];

/** Rounds a decimal amount of minor units to an integer, explicitly. */
export function roundMinor(value: Decimal.Value, mode: RoundingMode = 'half_even'): Minor {
  const n = new Decimal(value).toDecimalPlaces(0, DECIMAL_ROUNDING[mode]).toNumber();
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount out of range: ${value.toString()}`);
  return n;
}

/** Rounds to a multiple of `multiple` minor units (e.g. whole dollars with multiple = 100). */
export function roundToMultiple(
  value: Decimal.Value,
  multiple: number,
  mode: RoundingMode = 'half_even',
): Minor {
  if (multiple <= 1) return roundMinor(value, mode);
  return roundMinor(new Decimal(value).div(multiple), mode) * multiple;
}

/**
 * Splits `total` across `weights` so the parts sum exactly to `total` (largest-remainder method, ties to the
 * earliest part). Used wherever a rounded amount must be spread without losing a cent.
 */
export function allocate(total: Minor, weights: readonly Decimal.Value[]): Minor[] {
  const ws = weights.map((w) => new Decimal(w));
  const sum = ws.reduce((a, b) => a.plus(b), new Decimal(0));
  if (ws.length === 0) return [];
  if (sum.isZero()) return ws.map((_, i) => (i === 0 ? total : 0));
  const exact = ws.map((w) => w.times(total).div(sum));
  const parts = exact.map((e) => e.toDecimalPlaces(0, Decimal.ROUND_FLOOR).toNumber());
  let rest = total - parts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, i) => ({ i, frac: e.minus(parts[i]!) }))
    .sort((a, b) => b.frac.comparedTo(a.frac) || a.i - b.i);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) parts[order[k]!.i]!++;
  return parts;
}

/** A JSON amount in minor units: an integer of at most MAX_MINOR either way. */
export const minorSchema = z
  .number()
  .int()
  .refine((n) => Math.abs(n) <= MAX_MINOR, { message: `must be at most ${MAX_MINOR} in minor units` });

const SHORT_INTEGER = /^-?\d{1,15}$/;

/**
 * A sum the database computed (numeric or bigint, read as text or number) as an exact integer; a value beyond
 * 2^53 − 1 is an error, never a rounded number.
 */
export function exactMinor(value: string | number | bigint): Minor {
  // Up to 15 digits is below 2^53, so the double is exact (`+ 0` turns "-0" into 0, as BigInt does). A report reads
  // millions of these; BigInt is only for the rest.
  if (typeof value === 'string' && SHORT_INTEGER.test(value)) return Number(value) + 0;
  const n = typeof value === 'bigint' ? value : BigInt(value);
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER))
    throw new RangeError(`amount ${n} is beyond exact integer range`);
  return Number(n);
}
export const positiveMinorSchema = minorSchema.refine((n) => n > 0, { message: 'must be greater than zero' });

/** Converts a decimal major-unit string ("-1006.60", "12,5") to minor units, or undefined if it is not a number. */
export function parseMajor(
  text: string,
  currency: string,
  mode: RoundingMode = 'half_even',
): Minor | undefined {
  const t = text.trim().replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) return undefined;
  const exp = currencyExponent(currency) ?? 2;
  return roundMinor(new Decimal(t).times(new Decimal(10).pow(exp)), mode);
}

/** Human display, e.g. 123456 USD -> "1234.56 USD". For logs and the demo, never for arithmetic. */
export function formatMinor(amount: Minor, currency: string): string {
  const exp = currencyExponent(currency) ?? 2;
  return `${new Decimal(amount).div(new Decimal(10).pow(exp)).toFixed(exp)} ${currency}`;
}
