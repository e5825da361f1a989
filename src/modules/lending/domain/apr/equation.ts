import { Decimal } from 'decimal.js';
import type { UnitPeriodPosition } from './periods.js';

/** Forty significant digits: the rate is found to ~1e-30 so that rounding it to two decimals is never in doubt. */
const D = Decimal.clone({ precision: 40 });
type Dec = InstanceType<typeof D>;
/**
 * The sign of g away from its root, for a tolerance check: 24 digits leave a margin of ~1e-14 of the amounts
 * against rounding, where the tolerance's ends lie ~1e-5 of the rate from the root or more.
 */
const G = Decimal.clone({ precision: 24 });

export interface PositionedAmount {
  amount: Decimal.Value;
  position: UnitPeriodPosition;
}

interface Term {
  amount: Dec;
  t: number;
  f: Dec;
}

/**
 * Solves the general equation of Appendix J (b)(8) for the rate per unit-period i:
 *
 *   Σ_k A_k / ((1 + e_k·i)(1 + i)^q_k)  =  Σ_j P_j / ((1 + f_j·i)(1 + i)^t_j)
 *
 * where A_k are the advances and P_j the payments, each q (t) full unit-periods plus a fraction e (f) of a
 * unit-period after the beginning of the term. The fraction earns simple interest ((b)(6)), hence (1 + f·i).
 *
 * The difference g(i) = PV(payments) − PV(advances) is found by Newton's method kept inside a bracket where g
 * changes sign (bisection when a Newton step would leave it). Returns undefined when no sign change exists.
 */
export function solveUnitPeriodRate(
  advances: readonly PositionedAmount[],
  payments: readonly PositionedAmount[],
): Decimal | undefined {
  const terms: Term[] = [...payments.map((p) => toTerm(p, 1)), ...advances.map((a) => toTerm(a, -1))].sort(
    (a, b) => a.t - b.t,
  );

  const at0 = evaluate(terms, new D(0)).value;
  if (at0.isZero()) return new Decimal(0);

  // Bracket the root: payments above advances means a positive rate, below a negative one.
  let lo: Dec;
  let hi: Dec;
  if (at0.isPositive()) {
    lo = new D(0);
    hi = new D('0.01');
    while (!evaluate(terms, hi).value.isNegative()) {
      lo = hi;
      hi = hi.times(4);
      if (hi.greaterThan(1e9)) return undefined;
    }
  } else {
    hi = new D(0);
    lo = new D('-0.5');
    while (!evaluate(terms, lo).value.isPositive()) {
      hi = lo;
      lo = lo.plus(1).div(2).minus(1); // halve the distance to -1
      if (lo.plus(1).lessThan('1e-12')) return undefined;
    }
  }

  // g(lo) > 0 > g(hi) from here on.
  let x = lo.plus(hi).div(2);
  const tolerance = new D('1e-34');
  for (let iteration = 0; iteration < 400; iteration++) {
    const { value, slope } = evaluate(terms, x);
    if (value.isZero()) return new Decimal(x.toString());
    if (value.isPositive()) lo = x;
    else hi = x;
    let next = slope.isZero() ? lo.plus(hi).div(2) : x.minus(value.div(slope));
    if (next.lessThanOrEqualTo(lo) || next.greaterThanOrEqualTo(hi)) next = lo.plus(hi).div(2);
    const step = next.minus(x).abs();
    x = next;
    if (step.lessThan(tolerance) || hi.minus(lo).lessThan(tolerance)) break;
  }
  return new Decimal(x.toString());
}

function toTerm(flow: PositionedAmount, sign: 1 | -1): Term {
  const { full, fractionNumerator, fractionDenominator } = flow.position;
  return {
    amount: new D(flow.amount.toString()).times(sign),
    t: full,
    f: new D(fractionNumerator).div(fractionDenominator),
  };
}

/** g(i) and g'(i). Terms are sorted by t so (1 + i)^t is built up incrementally. */
function evaluate(terms: readonly Term[], i: Dec): { value: Dec; slope: Dec } {
  const base = i.plus(1);
  let power = new D(1);
  let powerT = 0;
  let value = new D(0);
  let slope = new D(0);
  for (const term of terms) {
    if (term.t !== powerT) {
      power = power.times(base.pow(term.t - powerT));
      powerT = term.t;
    }
    const simple = term.f.times(i).plus(1);
    const pv = term.amount.div(simple.times(power));
    value = value.plus(pv);
    // d/di [A / ((1 + f i)(1 + i)^t)] = −A/(...) · (f/(1 + f i) + t/(1 + i))
    slope = slope.minus(pv.times(term.f.div(simple).plus(new D(term.t).div(base))));
  }
  return { value, slope };
}

/**
 * g(i) = PV(payments) − PV(advances) of the general equation at one rate, without its slope: what a tolerance
 * check needs. Each flow is discounted by v^t = (1 + i)^−t, built up by multiplication, and by (1 + f·i) only
 * where it has a fraction of a unit-period, so a schedule of whole periods costs one division.
 */
export function presentValueGap(
  advances: readonly PositionedAmount[],
  payments: readonly PositionedAmount[],
  rate: Decimal.Value,
): Decimal {
  const i = new G(rate.toString());
  const v = new G(1).div(i.plus(1));
  const terms = [...payments.map((p) => toTerm(p, 1)), ...advances.map((a) => toTerm(a, -1))].sort(
    (a, b) => a.t - b.t,
  );
  let power = new G(1);
  let powerT = 0;
  let value = new G(0);
  for (const term of terms) {
    if (term.t !== powerT) {
      power = power.times(term.t - powerT === 1 ? v : v.pow(term.t - powerT));
      powerT = term.t;
    }
    const pv = power.times(term.amount.toString());
    value = value.plus(term.f.isZero() ? pv : pv.div(term.f.times(i).plus(1)));
  }
  return new Decimal(value.toString());
}

/** 2^-53: the relative rounding error of one float64 operation. */
const EPSILON = 2 ** -53;

/**
 * The sign of g(rate) (presentValueGap): computed in float64 with a bound on its rounding error, and in Decimal
 * only when |g| is within that bound (a rate within ~1e-12 of the root). Each term's value carries at most
 * (5t + 4)·ε relative error (the rate's conversion and 1/(1 + i), t multiplications, the amount, the fraction's
 * division), the rate's own conversion moves a term by t·|i|·ε, and the sum adds n·ε of the terms' magnitude;
 * the bound takes four times that.
 */
export function presentValueGapSign(
  advances: readonly PositionedAmount[],
  payments: readonly PositionedAmount[],
  rate: Decimal,
): -1 | 0 | 1 {
  const i = rate.toNumber();
  const v = 1 / (1 + i);
  const flows = [...payments.map((p) => ({ p, sign: 1 })), ...advances.map((p) => ({ p, sign: -1 }))];
  let value = 0;
  let bound = 0;
  const n = flows.length;
  for (const { p, sign } of flows) {
    const { full: t, fractionNumerator, fractionDenominator } = p.position;
    const simple = fractionNumerator === 0 ? 1 : 1 + (fractionNumerator / fractionDenominator) * i;
    const term = (sign * Number(p.amount) * v ** t) / simple;
    value += term;
    bound += Math.abs(term) * (5 * t + 4 + n + t * Math.abs(i));
  }
  bound *= 4 * EPSILON;
  if (Number.isFinite(value) && Math.abs(value) > bound) return value > 0 ? 1 : -1;
  const exact = presentValueGap(advances, payments, rate);
  return exact.isZero() ? 0 : exact.isPositive() ? 1 : -1;
}
