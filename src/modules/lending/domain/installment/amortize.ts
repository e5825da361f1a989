import { Decimal } from 'decimal.js';
import { type Minor, type RoundingMode, roundMinor, roundToMultiple } from '../../../../kernel/money.js';
import { addRatio, type Ratio, roundRatio, multiplyRatio as times, toMinor } from '../exact.js';
import { type InterestBasis, interestFor } from './interest.js';
import { adjustedLevel, annuity, periodRatesLevel } from './level-payment.js';
import { intervalOf, type Period } from './periods.js';
import { type PeriodFractions, periodFractions } from './rates.js';
import type { ScheduleRow } from './schedule.js';
import type { LoanTerms } from './terms.js';

/**
 * One amortization: the rows of a plan (a whole loan, or the remaining periods of one when rate changes, tranches
 * or a prepayment re-amortize it) for a level amount, with the options' level-payment methods and the adjustment
 * pass. schedule.ts describes the methods; this file is their arithmetic.
 */

/** What to amortize: a whole loan, or (re-amortization) the remaining periods of one. */
export interface AmortizationPlan {
  opening: Minor;
  periods: readonly Period[];
  firstNumber: number;
  /** Only the plan's first period can be odd. */
  oddFirstPeriod: boolean;
  principalGrace: number;
  interestGrace: number;
  /** Periods (from the plan's first) that earn no interest. */
  interestFreeGrace: number;
  /** Interest earned before this plan and still waiting to fall due (interest grace). */
  deferredInterest: Minor;
  /**
   * Each period's share of a year multiplied by this (rate-changes.ts: the period a rate changes in earns the old
   * rate for its days before the change); absent: 1.
   */
  shareScale?: readonly Ratio[];
  /** The annual rate of a nominal level payment when the basis carries another (a change to 0%); absent: the basis'. */
  nominalRate?: Ratio;
  /**
   * The first period's balances when tranches are disbursed within it (tranches.ts): each balance earns for its share
   * of the period's days (`weight`), each part rounded on its own as Fineract's interest periods are. The level
   * payment is still computed on `opening` with the period's whole share (Fineract's EMI on the balance after the
   * disbursements). Absent: the period earns on `opening` throughout.
   */
  firstPeriodBalances?: readonly { balance: Minor; weight: Ratio }[];
}

export function amortize(terms: LoanTerms, basis: InterestBasis, plan: AmortizationPlan): ScheduleRow[] {
  const { periods } = plan;
  const n = periods.length;
  if (n === 0) return [];
  const grace = Math.min(plan.principalGrace, n - 1);
  const m = n - grace;
  const interval = intervalOf(terms.repaymentFrequency, terms.options.repaymentEvery);
  const shares = scaled(
    periodFractions(terms, basis, interval, periods, plan.oddFirstPeriod),
    plan.shareScale,
  );
  const interest = lastCall(
    segmented(plan, interestOfRows(terms, basis, plan, shares.earned), (b, k) =>
      interestFor(basis, b.balance, times(shares.earned[k]!, b.weight)),
    ),
  );
  const wholeTerm = basis.flatPrincipal !== null && terms.options.flatInterest === 'whole_term';
  const split = (k: number, base: Minor): Minor =>
    wholeTerm || shares.split[k] === shares.earned[k] || k < plan.interestFreeGrace
      ? interest(k, base)
      : k === 0 && plan.firstPeriodBalances
        ? sumOf(plan.firstPeriodBalances, (b) =>
            interestFor(basis, b.balance, times(shares.split[0]!, b.weight)),
          )
        : interestFor(basis, base, shares.split[k]!);
  // Interest-free periods grow nothing: a level payment from period rates counts them at a zero rate.
  const rated = shares.split.map((f, k) => (k < plan.interestFreeGrace ? ZERO : f));
  const level = levelPayment(terms, basis, plan, rated, split);
  const build = (level: Minor) => buildRows(terms, basis, plan, level, interest, split);
  const rows = build(level);
  if (!terms.options.levelPaymentAdjustment || basis.flatPrincipal !== null || terms.fixedInstallment)
    return rows;
  // The pass tries at most one corrected level; when it keeps it, the rows it tried are the schedule.
  let tried: ScheduleRow[] = rows;
  const adjusted = adjustedLevel(level, rows[n - 1]!.total, m, terms.currency, terms.rounding, (l) => {
    tried = build(l);
    return tried.at(-1)!.total;
  });
  return adjusted === level ? rows : tried;
}

/**
 * What period k earns on `base`: the interest of its share of a year, nothing in interest-free grace, and for flat
 * interest over the whole term an even share of the term's interest (the rounding remainder in the last row; the
 * share of an interest-free row is not charged).
 */
function interestOfRows(
  terms: LoanTerms,
  basis: InterestBasis,
  plan: AmortizationPlan,
  earned: readonly Ratio[],
): (k: number, base: Minor) => Minor {
  const n = earned.length;
  const free = plan.interestFreeGrace;
  if (basis.flatPrincipal === null || terms.options.flatInterest !== 'whole_term')
    return (k, base) => (k < free ? 0 : interestFor(basis, base, earned[k]!));
  let term: Ratio = { num: 0n, den: earned[0]!.den };
  for (const f of earned) term = addRatio(term, f);
  const total = interestFor(basis, plan.opening, term);
  // Rounded with the program's mode as Fineract does; rounded down instead where that would leave the last row a
  // negative remainder (a term's interest of a few cents over many rows).
  let each = roundMinor(new Decimal(total).div(n), basis.mode);
  if (each * (n - 1) > total) each = Math.floor(total / n);
  return (k) => (k < free ? 0 : k === n - 1 ? total - each * (n - 1) : each);
}

/** The level amount a row's principal follows: an installment, or the principal of one (equal principal). */
function levelPayment(
  terms: LoanTerms,
  basis: InterestBasis,
  plan: AmortizationPlan,
  shares: readonly Ratio[],
  split: (k: number, base: Minor) => Minor,
): Minor {
  const { opening, periods } = plan;
  const n = periods.length;
  const grace = Math.min(plan.principalGrace, n - 1);
  const m = n - grace;
  const { mode, installmentMultiple } = terms.rounding;
  const percent = terms.options.principalPercent;
  if (terms.amortization === 'equal_principal') {
    const share =
      percent === null ? new Decimal(opening).div(m) : new Decimal(opening).times(percent).div(100);
    return roundToMultiple(share, installmentMultiple, mode);
  }
  // A fixed installment (fixed-installment.ts) is the level payment itself.
  if (terms.fixedInstallment) return terms.fixedInstallment.amount;
  if (basis.flatPrincipal !== null) {
    let interest = 0;
    for (let k = grace; k < n; k++) interest += split(k, basis.flatPrincipal);
    return roundToMultiple(new Decimal(opening + interest).div(m), installmentMultiple, mode);
  }
  if (terms.options.levelPayment === 'period_rates')
    return periodRatesLevel(opening, basis, shares.slice(grace), terms.rounding);
  const nominal = plan.nominalRate ? { ...basis, rate: plan.nominalRate } : basis;
  return roundToMultiple(annuity(opening, nominal, m), installmentMultiple, mode);
}

/** The rows for a level amount; the last row takes whatever principal remains. */
function buildRows(
  terms: LoanTerms,
  basis: InterestBasis,
  plan: AmortizationPlan,
  level: Minor,
  interestAt: (k: number, base: Minor) => Minor,
  split: (k: number, base: Minor) => Minor,
): ScheduleRow[] {
  const { periods, opening } = plan;
  const n = periods.length;
  const grace = Math.min(plan.principalGrace, n - 1);
  const flat = basis.flatPrincipal !== null;
  const { mode, installmentMultiple } = terms.rounding;
  const byComponent = flat && terms.options.multipleRounding === 'components';
  // Per component (Fineract): the principal share and the interest each rounded to the multiple, the principal
  // then set so that the installment is their sum.
  const principalShare =
    terms.amortization === 'equal_principal'
      ? level
      : roundToMultiple(new Decimal(opening).div(n - grace), installmentMultiple, mode);
  const rows: ScheduleRow[] = new Array(n);
  let balance = opening;
  let deferred = plan.deferredInterest;
  for (let k = 0; k < n; k++) {
    // Flat interest is on the amount financed, also when a plan re-amortizes part of the loan (a rate change).
    const base = basis.flatPrincipal ?? balance;
    const earned = interestAt(k, base);
    let principal: Minor;
    if (k < grace) principal = 0;
    else if (k === n - 1) principal = balance;
    else if (byComponent)
      principal = clamp(principalShare + multipleOf(earned, installmentMultiple, mode) - earned, balance);
    else if (terms.amortization === 'equal_principal') principal = Math.min(level, balance);
    else principal = clamp(level - split(k, base), balance);
    let interest: Minor;
    if (k < plan.interestGrace && k < n - 1) {
      interest = 0;
      deferred += earned;
    } else {
      interest = earned + deferred;
      deferred = 0;
    }
    const openingBalance = balance;
    balance -= principal;
    const p = periods[k]!;
    rows[k] = {
      number: plan.firstNumber + k,
      periodStart: p.start,
      dueDate: p.due,
      openingBalance,
      principal,
      interest,
      interestAccrual: earned,
      fees: 0,
      total: principal + interest,
      balance,
    };
  }
  return rows;
}

const ZERO: Ratio = { num: 0n, den: 1n };

/**
 * A row's interest remembered for its next call: buildRows asks for it twice (what the row earns, then the split
 * that sets its principal, the same amount unless the shares differ), and it is most of a schedule's arithmetic.
 */
function lastCall(f: (k: number, base: Minor) => Minor): (k: number, base: Minor) => Minor {
  let lastK = -1;
  let lastBase = 0;
  let last = 0;
  return (k, base) => {
    if (k !== lastK || base !== lastBase) {
      last = f(k, base);
      lastK = k;
      lastBase = base;
    }
    return last;
  };
}

const sumOf = <T>(list: readonly T[], f: (x: T) => Minor): Minor => list.reduce((s, x) => s + f(x), 0);

/** The rows' interest, the first period's as the sum of its balances' parts when it has several (tranches.ts). */
function segmented(
  plan: AmortizationPlan,
  interest: (k: number, base: Minor) => Minor,
  part: (b: { balance: Minor; weight: Ratio }, k: number) => Minor,
): (k: number, base: Minor) => Minor {
  const parts = plan.firstPeriodBalances;
  if (!parts) return interest;
  return (k, base) =>
    k === 0 && k >= plan.interestFreeGrace ? sumOf(parts, (b) => part(b, k)) : interest(k, base);
}

function scaled(f: PeriodFractions, scale: readonly Ratio[] | undefined): PeriodFractions {
  if (scale === undefined) return f;
  const by = (r: Ratio, k: number) => {
    const s = scale[k];
    // A scale of one (every period after a rate change's) keeps the share itself: same value, no new bigints.
    return s === undefined || (s.num === s.den && s.num !== 0n)
      ? r
      : { num: r.num * s.num, den: r.den * s.den };
  };
  const earned = f.earned.map(by);
  // The same share stays one object: amortize tells a split that differs from what is earned by identity.
  return { earned, split: f.split.map((r, k) => (r === f.earned[k] ? earned[k]! : by(r, k))) };
}

/** An amount of minor units rounded to a multiple of them, in integers. */
const multipleOf = (amount: Minor, multiple: number, mode: RoundingMode): Minor =>
  multiple <= 1 ? amount : toMinor(roundRatio(BigInt(amount), BigInt(multiple), mode)) * multiple;

const clamp = (principal: Minor, balance: Minor): Minor => Math.min(Math.max(principal, 0), balance);
