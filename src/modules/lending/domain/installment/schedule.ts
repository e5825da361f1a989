import { Decimal } from 'decimal.js';
import type { CalendarDate } from '../../../../kernel/dates.js';
import { type Minor, type RoundingMode, roundMinor, roundToMultiple } from '../../../../kernel/money.js';
import { type Ratio, roundRatio, toMinor } from '../exact.js';
import { disbursementFees, installmentFees } from './charges.js';
import { type InterestBasis, interestBasis, interestFor } from './interest.js';
import { adjustedLevel, annuity, periodRatesLevel } from './level-payment.js';
import { fixedLengthEnd, intervalOf, isRegularFirstPeriod, loanPeriods, type Period } from './periods.js';
import { applyRateChanges } from './rate-changes.js';
import { type PeriodFractions, periodFractions } from './rates.js';
import type { LoanTerms } from './terms.js';
import { applyTranches, firstDisbursement } from './tranches.js';

/**
 * Amortization schedules.
 *
 * Each period's interest is computed on the exact rate (interest.ts) and rounded once. The level amount is
 * rounded to the program's installment multiple; every row's principal is derived from it, and the last row takes
 * whatever principal remains (the residue of all the rounding), so principal always sums to the amount financed.
 *
 * - declining_balance + equal_installments: level total T = annuity(B, R/ppy, m) (m = periods after the principal
 *   grace); principal_k = T − interest_k. With daily interest T uses the nominal R/ppy and the split varies with
 *   each period's days, the usual "simple interest" loan.
 * - declining_balance + equal_principal: principal_k = B/m rounded to the multiple; interest on the balance.
 * - flat: interest on the amount financed every period; equal_principal pays B/m, equal_installments pays a level
 *   T = (B + Σ interest of the amortizing periods)/m. With per_period interest both give the same rows.
 * - Odd first period (disbursement not exactly one period before the first payment): interest by days per the day
 *   count. With per_period interest the first installment carries the difference from a regular period's interest
 *   and its principal is that of a regular period, so the other installments stay level.
 * - Grace: the first `principalPeriods` rows pay interest only; the interest of the first `interestPeriods` rows is
 *   deferred (not capitalized) and falls due with the next installment; the first `interestFreePeriods` rows earn
 *   none (waived, not deferred).
 * - The options (options.ts): each period's share of a year (rates.ts), a level payment from period rates and its
 *   adjustment pass (level-payment.ts), flat interest for the whole term, rounding flat rows per component, a fixed
 *   principal percentage; a fixed installment amount the loan chose (fixed-installment.ts) as the level payment;
 *   rate changes the loan scheduled, re-amortizing from each (rate-changes.ts).
 * - A row never has negative principal; if rounding the level amount up repays the loan early, the trailing empty
 *   rows are dropped from a generated schedule.
 */

export interface ScheduleRow {
  number: number;
  periodStart: CalendarDate;
  dueDate: CalendarDate;
  /** Scheduled principal outstanding at the start of the period (the interest basis). */
  openingBalance: Minor;
  principal: Minor;
  /** Interest due with this installment. */
  interest: Minor;
  /** Interest earned over this period; equals `interest` unless a grace period defers it. */
  interestAccrual: Minor;
  /** The program's charges due with this installment (charges.ts). */
  fees: Minor;
  total: Minor;
  /** Principal outstanding after this installment. */
  balance: Minor;
}

export interface Schedule {
  rows: ScheduleRow[];
  totals: {
    downPayment: Minor;
    amountFinanced: Minor;
    principal: Minor;
    interest: Minor;
    /** Every charge: the installments' and those paid from the proceeds at disbursement. */
    fees: Minor;
    feesAtDisbursement: Minor;
    /** Principal, interest and every charge. */
    total: Minor;
  };
}

export function generateSchedule(terms: LoanTerms): Schedule {
  const interval = intervalOf(terms.repaymentFrequency, terms.options.repaymentEvery);
  const length = terms.options.fixedLength ?? null;
  const periods = loanPeriods(
    interval,
    terms.disbursementDate,
    terms.firstPaymentDate,
    terms.termCount,
    length === null ? null : fixedLengthEnd(interval, terms.disbursementDate, length),
  );
  const initial = amortize(terms, interestBasis(terms), {
    opening: firstDisbursement(terms),
    periods,
    firstNumber: 1,
    oddFirstPeriod: !isRegularFirstPeriod(interval, terms.disbursementDate, terms.firstPaymentDate),
    principalGrace: terms.grace.principalPeriods,
    interestGrace: terms.grace.interestPeriods,
    interestFreeGrace: terms.grace.interestFreePeriods,
    deferredInterest: 0,
  });
  const changed = terms.rateChanges.length > 0 ? applyRateChanges(terms, initial) : initial;
  const rows = terms.tranches.length > 1 ? applyTranches(terms, changed) : changed;
  while (rows.length > 1 && rows[rows.length - 1]!.total === 0) rows.pop();
  const feesAtDisbursement = disbursementFees(terms).total;
  let principal = 0;
  let interest = 0;
  let fees = feesAtDisbursement;
  rows.forEach((r, k) => {
    r.fees = installmentFees(terms, r, k === rows.length - 1).total;
    r.total += r.fees;
    principal += r.principal;
    interest += r.interest;
    fees += r.fees;
  });
  return {
    rows,
    totals: {
      downPayment: terms.downPayment,
      amountFinanced: terms.amountFinanced,
      principal,
      interest,
      fees,
      feesAtDisbursement,
      total: principal + interest + fees,
    },
  };
}

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
  const interest = segmented(plan, interestOfRows(terms, basis, plan, shares.earned), (b, k) =>
    interestFor(basis, b.balance, times(shares.earned[k]!, b.weight)),
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
  const adjusted = adjustedLevel(
    level,
    rows[n - 1]!.total,
    m,
    terms.currency,
    terms.rounding,
    (l) => build(l).at(-1)!.total,
  );
  return adjusted === level ? rows : build(adjusted);
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

const times = (a: Ratio, b: Ratio): Ratio => ({ num: a.num * b.num, den: a.den * b.den });

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
    return s === undefined ? r : { num: r.num * s.num, den: r.den * s.den };
  };
  const earned = f.earned.map(by);
  // The same share stays one object: amortize tells a split that differs from what is earned by identity.
  return { earned, split: f.split.map((r, k) => (r === f.earned[k] ? earned[k]! : by(r, k))) };
}

/** a + b, kept over the shared denominator when there is one (every period of most schedules shares it). */
function addRatio(a: Ratio, b: Ratio): Ratio {
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

/** An amount of minor units rounded to a multiple of them, in integers. */
const multipleOf = (amount: Minor, multiple: number, mode: RoundingMode): Minor =>
  multiple <= 1 ? amount : toMinor(roundRatio(BigInt(amount), BigInt(multiple), mode)) * multiple;

const clamp = (principal: Minor, balance: Minor): Minor => Math.min(Math.max(principal, 0), balance);

/** A schedule no reader may change: its rows and totals frozen. */
export interface FrozenSchedule {
  readonly rows: readonly Readonly<ScheduleRow>[];
  readonly totals: Readonly<Schedule['totals']>;
}

const snapshotSchedules = new WeakMap<LoanTerms, FrozenSchedule>();

/**
 * The schedule of a loan's terms snapshot, generated once per snapshot object and frozen. A loan's terms are never
 * changed once resolved (a change is a new object: a rate change is an event, a tranche plan a copy), so every
 * reader of one read of the loan may share it: an approval's compliance facts (the Truth in Lending stream of a
 * loan not yet disbursed) and the approval's own replay used to generate the same 36 rows twice. Frozen, so no
 * reader can change what another sees. Terms still being resolved (resolve.ts mutates its draft) must call
 * generateSchedule.
 */
export function snapshotSchedule(terms: LoanTerms): FrozenSchedule {
  const known = snapshotSchedules.get(terms);
  if (known) return known;
  const generated = generateSchedule(terms);
  for (const row of generated.rows) Object.freeze(row);
  const schedule: FrozenSchedule = Object.freeze({
    rows: Object.freeze(generated.rows),
    totals: Object.freeze(generated.totals),
  });
  snapshotSchedules.set(terms, schedule);
  return schedule;
}
