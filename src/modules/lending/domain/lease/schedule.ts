import { Decimal } from 'decimal.js';
import { addMonths, type CalendarDate, dateParts } from '../../../../kernel/dates.js';
import { type Minor, roundMinor, roundToMultiple } from '../../../../kernel/money.js';
import type { Rounding } from '../common-terms.js';
import type { LeaseTerms } from './terms.js';

const D = Decimal.clone({ precision: 34 });

export interface LeaseScheduleRow {
  number: number;
  dueDate: CalendarDate;
  /** Base periodic payment (the last row may differ by the rounding residue, see `leaseSchedule`). */
  payment: Minor;
  /** Rent charge earned over the period this payment opens. */
  rentCharge: Minor;
  /** Part of the payment that reduces the lease balance. */
  depreciation: Minor;
  /** Lease balance at the end of the period, after this payment and the period's rent charge. */
  balance: Minor;
  tax: Minor;
  /** Payment plus tax. */
  total: Minor;
}

export interface LeaseDisclosure {
  grossCapitalizedCost: Minor;
  capCostReduction: Minor;
  adjustedCapitalizedCost: Minor;
  residualValue: Minor;
  /** Depreciation and any amortized amounts: adjusted capitalized cost − residual value. */
  depreciationAndAmortizedAmounts: Minor;
  rentCharge: Minor;
  totalOfBasePayments: Minor;
  termCount: number;
  basePayment: Minor;
  taxPerPayment: Minor;
  totalPeriodicPayment: Minor;
  /** Capitalized cost reduction, a first payment due at commencement, a non-capitalized acquisition fee. */
  amountDueAtSigning: Minor;
  /** Amount due at signing + the periodic payments not paid then + the disposition fee (1013.4(e)). */
  totalOfPayments: Minor;
}

export interface LeaseSchedule {
  /** Rate per month as a decimal fraction (annual percent / 1200). */
  periodicRate: string;
  /**
   * The monthly rate rent is earned at: the yield of the rounded base payment (`impliedMonthlyYield`), which
   * differs from `periodicRate` in the digits the payment's rounding moved.
   */
  rentRate: string;
  basePayment: Minor;
  /**
   * The money-factor shortcut, (adjusted cap cost − residual) / n + (adjusted cap cost + residual) × rate/2400.
   * An approximation, shown for information only: the schedule uses the constant-yield payment.
   */
  moneyFactorShortcutPayment: Minor;
  rows: LeaseScheduleRow[];
  disclosure: LeaseDisclosure;
}

/**
 * The constant-yield base payment with payments in advance (an annuity due): the adjusted capitalized cost C is
 * the present value of n payments P at the start of each month plus the residual R at the end of month n:
 *
 *   C = P · (1 − vⁿ)(1 + r)/r + R · vⁿ,   v = 1/(1 + r),  r = annual rate / 1200
 *   P = (C − R·vⁿ) · r / ((1 − vⁿ)(1 + r))          (P = (C − R)/n when r = 0)
 */
export function constantYieldPayment(
  adjustedCapCost: Minor,
  residual: Minor,
  annualRatePercent: Decimal.Value,
  termCount: number,
): Decimal {
  const r = new D(annualRatePercent.toString()).div(1200);
  if (r.isZero()) return new Decimal(adjustedCapCost - residual).div(termCount);
  const vn = r.plus(1).pow(-termCount);
  const p = new D(adjustedCapCost)
    .minus(vn.times(residual))
    .times(r)
    .div(new D(1).minus(vn).times(r.plus(1)));
  return new Decimal(p.toString());
}

/**
 * The monthly yield y at which n payments P in advance and the residual R are worth the adjusted capitalized cost
 * C: C = P · (1 − vⁿ)(1 + y)/y + R · vⁿ, v = 1/(1 + y). This is the constant yield of the lease as its payments
 * actually are (rounded), so rent charges earned at y add up to the full-term rent charge n·P − (C − R) with no
 * drift: the Federal Reserve's constant-yield example ($18,800, 48 payments of $244.69, residual $12,350 at a
 * nominal 8.497%) earns month 2's rent at this yield ($130.59; the nominal rate gives $130.58).
 *
 * Newton's method: in floating point from the nominal rate to about 16 digits, then in 34-digit decimals (with
 * the floating-point slope, which only steers the step) until a step moves y by less than 10⁻¹² of itself, which
 * leaves an error near 10⁻²⁶ of y (the slope's error times the step): one decimal step in practice. Never below
 * zero: a payment rounded down at a zero rate implies a negative yield, and a lease earns no negative rent. A
 * payment of the whole cap cost or more (one payment rounded up, no residual) has no yield: the nominal rate
 * stands, and the one row absorbs the residue.
 */
export function impliedMonthlyYield(
  adjustedCapCost: Minor,
  residual: Minor,
  payment: Minor,
  termCount: number,
  nominalMonthly: Decimal.Value,
): Decimal {
  if (payment * termCount <= adjustedCapCost - residual) return new D(0);
  if (payment >= adjustedCapCost) return new D(nominalMonthly);
  const excess = (y: Decimal) => {
    const vn = y.plus(1).pow(-termCount);
    return new D(payment)
      .times(new D(1).minus(vn))
      .times(y.plus(1))
      .div(y)
      .plus(vn.times(residual))
      .minus(adjustedCapCost);
  };
  const floatExcess = (y: number) => {
    const vn = (1 + y) ** -termCount;
    return (payment * (1 - vn) * (1 + y)) / y + residual * vn - adjustedCapCost;
  };
  // d(present value)/dy = −P · Σₖ k·v^(k+1) − n·R·v^(n+1), k = 0 … n − 1.
  const slope = (y: number) => {
    const v = 1 / (1 + y);
    let sum = 0;
    let vk = v;
    for (let k = 1; k < termCount; k++) {
      vk *= v;
      sum += k * vk;
    }
    return -payment * sum - termCount * residual * vk * v;
  };
  // A step past zero (possible from far above the root) is halved back instead: the root is positive here.
  let f = Math.max(Number(nominalMonthly), 1e-6);
  for (let i = 0; i < 50; i++) {
    const next = f - floatExcess(f) / slope(f);
    const settled = Math.abs(next - f) <= 1e-15 * f;
    f = next > 0 ? next : f / 2;
    if (settled) break;
  }
  let y = new D(f);
  for (let i = 0; i < 20; i++) {
    const step = excess(y).div(slope(y.toNumber()));
    const next = y.minus(step);
    y = next.gt(0) ? next : y.div(2);
    if (step.abs().lt(y.times('1e-12'))) break;
  }
  return y;
}

/**
 * The lease's payment schedule. Each payment is made at the start of its month; rent charge for the month is the
 * balance after the payment times the lease's monthly yield (`impliedMonthlyYield`), rounded with the program's
 * mode; the rest of the payment is depreciation. The last row absorbs the rounding residue so that Σ depreciation
 * = adjusted cap cost − residual exactly and the final balance is the residual value: its depreciation is whatever
 * balance is left above the residual, and its rent charge is the payment minus that. If the residue would make that
 * rent charge negative (possible only at a zero rate with a payment rounded down), the last payment is raised to
 * cover the depreciation instead, so no rent charge is ever negative.
 */
export function leaseSchedule(terms: LeaseTerms): LeaseSchedule {
  const n = terms.termCount;
  const C = terms.adjustedCapitalizedCost;
  const R = terms.residualValue;
  const nominal = new D(terms.annualRate).div(1200);
  const payment = roundPayment(constantYieldPayment(C, R, terms.annualRate, n), terms.rounding);
  const r = impliedMonthlyYield(C, R, payment, n, nominal);
  const anchorDay = dateParts(terms.firstPaymentDate).day;

  const rows: LeaseScheduleRow[] = [];
  let balance = C;
  for (let k = 1; k <= n; k++) {
    let rowPayment = payment;
    let rent: Minor;
    let depreciation: Minor;
    if (k < n) {
      rent = Math.max(0, roundMinor(r.times(balance - payment).toString(), terms.rounding.mode));
      depreciation = payment - rent;
    } else {
      depreciation = balance - R;
      rent = payment - depreciation;
      if (rent < 0) {
        rowPayment = depreciation;
        rent = 0;
      }
    }
    balance -= depreciation;
    const tax = taxOn(rowPayment, terms);
    rows.push({
      number: k,
      dueDate: addMonths(terms.firstPaymentDate, k - 1, anchorDay),
      payment: rowPayment,
      rentCharge: rent,
      depreciation,
      balance,
      tax,
      total: rowPayment + tax,
    });
  }

  const sum = (f: (row: LeaseScheduleRow) => number) => rows.reduce((s, row) => s + f(row), 0);
  const first = rows[0]!;
  const firstDueAtSigning = first.dueDate === terms.startDate;
  const amountDueAtSigning =
    terms.capCostReduction +
    (firstDueAtSigning ? first.total : 0) +
    (terms.acquisitionFee.capitalized ? 0 : terms.acquisitionFee.amount);
  const shortcut = new D(C - R)
    .div(n)
    .plus(new D(C + R).times(terms.annualRate).div(2400))
    .toString();

  return {
    periodicRate: nominal.toString(),
    rentRate: r.toString(),
    basePayment: payment,
    moneyFactorShortcutPayment: roundPayment(new Decimal(shortcut), terms.rounding),
    rows,
    disclosure: {
      grossCapitalizedCost: terms.grossCapitalizedCost,
      capCostReduction: terms.capCostReduction,
      adjustedCapitalizedCost: C,
      residualValue: R,
      depreciationAndAmortizedAmounts: C - R,
      rentCharge: sum((row) => row.rentCharge),
      totalOfBasePayments: sum((row) => row.payment),
      termCount: n,
      basePayment: payment,
      taxPerPayment: first.tax,
      totalPeriodicPayment: first.total,
      amountDueAtSigning,
      totalOfPayments:
        amountDueAtSigning +
        sum((row) => row.total) -
        (firstDueAtSigning ? first.total : 0) +
        terms.dispositionFee,
    },
  };
}

function roundPayment(exact: Decimal, rounding: Rounding): Minor {
  return roundToMultiple(exact, rounding.installmentMultiple, rounding.mode);
}

function taxOn(payment: Minor, terms: LeaseTerms): Minor {
  const percentPart = roundMinor(new Decimal(payment).times(terms.tax.rate).div(100), terms.rounding.mode);
  return percentPart + terms.tax.fixedPerPayment;
}
