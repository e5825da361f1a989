import { Decimal } from 'decimal.js';
import {
  currencyExponent,
  type Minor,
  type RoundingMode,
  roundMinor,
  roundToMultiple,
} from '../../../../kernel/money.js';
import type { Ratio } from '../exact.js';
import type { InterestBasis } from './interest.js';

const Precise = Decimal.clone({ precision: 40 });

/**
 * r = R × the regular share and 1 − (1 + r)^−m, by rate, share and count. The power is most of a schedule's cost
 * and every replay of a loan makes its schedule again, while a program's loans share few rates and terms. Bounded:
 * cleared when full.
 */
const factors = new Map<string, { r: Decimal; d: Decimal }>();
const FACTORS_MAX = 4096;

function annuityFactors(basis: InterestBasis, m: number): { r: Decimal; d: Decimal } {
  const f = basis.regularFraction;
  const key = `${basis.rate.num}/${basis.rate.den}/${f.num}/${f.den}/${m}`;
  let found = factors.get(key);
  if (found === undefined) {
    if (factors.size >= FACTORS_MAX) factors.clear();
    const r = new Precise((basis.rate.num * f.num).toString()).div((basis.rate.den * f.den).toString());
    found = { r, d: new Precise(1).minus(r.plus(1).pow(-m)) };
    factors.set(key, found);
  }
  return found;
}

/** The level payment B·r / (1 − (1 + r)^−m) at the nominal periodic rate r, before rounding. */
export function annuity(balance: Minor, basis: InterestBasis, m: number): Decimal {
  if (basis.rate.num === 0n) return new Precise(balance).div(m);
  const { r, d } = annuityFactors(basis, m);
  return new Precise(balance).times(r).div(d);
}

/**
 * Growth factors 1 + R × φ, by rate and share: a schedule's periods share a few distinct shares (31/365, 30/365,
 * 29/366 ...). 24 digits: 360 products keep a relative error near 10⁻²¹, far below a minor unit of any payment.
 */
const Growth = Decimal.clone({ precision: 24 });
const growths = new Map<string, Decimal>();

function growthOf(rate: Ratio, f: Ratio): Decimal {
  const key = `${rate.num}/${rate.den}/${f.num}/${f.den}`;
  let g = growths.get(key);
  if (g === undefined) {
    if (growths.size >= FACTORS_MAX) growths.clear();
    g = new Growth((rate.num * f.num).toString()).div((rate.den * f.den).toString()).plus(1);
    growths.set(key, g);
  }
  return g;
}

/**
 * The level payment from each period's own rate rₖ = R × φₖ (Fineract's progressive EMI): B × Π(1 + rₖ) / fn,
 * fn = 1 + (1 + rₙ)(1 + (1 + rₙ₋₁)(…)) built from the second period on, rounded to the installment multiple. With
 * one rate r it is the annuity above.
 *
 * Computed first in floating point (every term is positive, so the relative error stays below ~2n ulps, 10⁻¹³ for
 * 360 periods): when the payment 10⁻¹¹ of itself either side rounds the same way, that is the exact result's
 * rounding too. Otherwise (a payment within a hair of a rounding boundary) it is computed again in decimals.
 */
export function periodRatesLevel(
  balance: Minor,
  basis: InterestBasis,
  shares: readonly Ratio[],
  rounding: { mode: RoundingMode; installmentMultiple: number },
): Minor {
  const round = (x: Decimal.Value) => roundToMultiple(x, rounding.installmentMultiple, rounding.mode);
  const rate = basis.rate;
  let product = 1;
  let fn = 1;
  // Most periods repeat the share before them (the same object: rates.ts shares them), so its growth is kept.
  let last: Ratio | undefined;
  let growth = 1;
  for (let k = 0; k < shares.length; k++) {
    const f = shares[k]!;
    if (f !== last) {
      growth = 1 + Number(rate.num * f.num) / Number(rate.den * f.den);
      last = f;
    }
    product *= growth;
    if (k > 0) fn = fn * growth + 1;
  }
  const estimate = (balance * product) / fn;
  const margin = estimate * 1e-11;
  const low = round(estimate - margin);
  if (Number.isFinite(estimate) && low === round(estimate + margin)) return low;
  return round(periodRatesPayment(balance, basis, shares));
}

/** The same payment in 24-digit decimals (a relative error near 10⁻²¹ over 360 periods). */
function periodRatesPayment(balance: Minor, basis: InterestBasis, shares: readonly Ratio[]): Decimal {
  let product = new Growth(1);
  let fn = new Growth(1);
  for (let k = 0; k < shares.length; k++) {
    const growth = growthOf(basis.rate, shares[k]!);
    product = product.times(growth);
    if (k > 0) fn = fn.times(growth).plus(1);
  }
  return new Precise(balance).times(product.toString()).div(fn.toString());
}

/**
 * Fineract's level-payment adjustment pass: when the last installment lands further from the level payment than
 * the threshold (|gap| × 100 in major units above ⌊m / 2⌋), the payment corrected by gap / m (rounded to the minor
 * unit, then to the installment multiple) is tried, and kept only when its own last installment comes closer.
 * `build` makes the rows for a level payment and returns the last installment's total.
 */
export function adjustedLevel(
  level: Minor,
  lastTotal: Minor,
  m: number,
  currency: string,
  rounding: { mode: RoundingMode; installmentMultiple: number },
  build: (level: Minor) => Minor,
): Minor {
  const gap = lastTotal - level;
  const half = Math.floor(m / 2);
  if (gap === 0 || half === 0) return level;
  const unit = 10 ** (currencyExponent(currency) ?? 2);
  if (Math.abs(gap) * 100 <= half * unit) return level;
  const corrected = roundToMultiple(
    level + roundMinor(new Decimal(gap).div(m), rounding.mode),
    rounding.installmentMultiple,
    rounding.mode,
  );
  if (corrected === level) return level;
  return Math.abs(build(corrected) - corrected) < Math.abs(gap) ? corrected : level;
}
