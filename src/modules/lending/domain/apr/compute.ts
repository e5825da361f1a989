import { Decimal } from 'decimal.js';
import { type CalendarDate, compareDates, isCalendarDate, minDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import { err, type FieldIssue, failure, ok, type Result } from '../../../../kernel/result.js';
import { presentValueGapSign, solveUnitPeriodRate } from './equation.js';
import { MonthCalendar, measure, type UnitPeriod, unitPeriodLabel, unitPeriodsPerYear } from './periods.js';
import { chooseUnitPeriod, streamPeriods } from './unit-period.js';

export type { UnitPeriod } from './periods.js';

/** An advance to, or a payment by, the consumer: a positive amount in minor units on a calendar date. */
export interface AprFlow {
  amount: Minor;
  date: CalendarDate;
}

export interface AprInput {
  advances: readonly AprFlow[];
  /**
   * Scheduled payments. A payment of zero (an installment of a grace period) is a unit-period in which nothing is
   * paid: Appendix J measures every flow from the beginning of the term, so such a period simply holds no flow.
   */
  payments: readonly AprFlow[];
  /**
   * Beginning of the term ((b)(2)): consummation, or the later date from which the finance charge is earned.
   * Defaults to the first advance.
   */
  termStart?: CalendarDate;
}

export type TransactionKind = 'regular' | 'irregular';

export interface AprResult {
  /** Annual percentage rate in percent, rounded to two decimals as disclosed (e.g. "9.69"). */
  apr: string;
  /** The same rate in percent to 12 decimals, for tolerance checks and audit. */
  aprExact: string;
  /** Rate per unit-period as a decimal fraction (not percent), full precision. */
  unitPeriodRate: string;
  /** `monthly`, `semimonthly`, `weekly`, `biweekly`, `quarterly`, `semiannual`, `annual`, `daily`, ... */
  unitPeriod: string;
  unitPeriodDetail: UnitPeriod;
  /** Unit-periods per year, e.g. "12" or, for a 255-day single-payment term, "1.431372549..." (365/255). */
  unitPeriodsPerYear: string;
  /** 1026.22(a)(2)-(3): irregular with multiple advances or irregular payment periods or amounts. */
  transactionKind: TransactionKind;
  /** Disclosure tolerance in percentage points: 1/8 for regular transactions, 1/4 for irregular ones. */
  tolerance: string;
}

/**
 * The annual percentage rate of a closed-end transaction by the actuarial method of Regulation Z,
 * 12 CFR 1026 Appendix J: APR = i × w, where i solves the general equation (b)(8) with every advance and
 * payment placed at its distance from the beginning of the term in unit-periods ((b)(5)), and w is the number of
 * unit-periods per year.
 */
export function computeApr(input: AprInput): Result<AprResult> {
  const placed = placeFlows(input);
  if (!placed.ok) return placed;
  const { advances, payments, unitPeriod, w, kind } = placed.value;
  const rate = solveUnitPeriodRate(advances, payments);
  if (rate === undefined) {
    return err(
      failure('unprocessable', 'apr_not_computable', 'no rate balances these advances and payments'),
    );
  }
  const percent = rate.times(w).times(100);
  return ok({
    apr: percent.toFixed(2, Decimal.ROUND_HALF_EVEN),
    aprExact: percent.toFixed(12, Decimal.ROUND_HALF_EVEN),
    unitPeriodRate: rate.toSignificantDigits(30).toString(),
    unitPeriod: unitPeriodLabel(unitPeriod),
    unitPeriodDetail: unitPeriod,
    unitPeriodsPerYear: w.toSignificantDigits(20).toString(),
    transactionKind: kind,
    tolerance: kind === 'regular' ? '0.125' : '0.25',
  });
}

/** A disclosed APR measured against the Appendix J APR of a stream, without solving for the latter. */
export interface AprAccuracy {
  /** Within tolerance (1026.22(a)(2)-(3)) of the Appendix J APR. */
  accurate: boolean;
  tolerance: string;
  transactionKind: TransactionKind;
}

/**
 * Is `disclosed` (percent) within tolerance of the Appendix J APR of `input`? The same placement as computeApr,
 * but instead of solving the general equation it evaluates it at the two ends of the tolerance: g(i) = PV(payments)
 * − PV(advances) falls as the rate rises, so the APR lies within [disclosed − tolerance, disclosed + tolerance]
 * exactly when g is ≥ 0 at the lower end and ≤ 0 at the upper one. Two evaluations instead of a solve's dozens:
 * this is what a disclosure check at every approval can afford.
 */
export function checkDisclosedApr(input: AprInput, disclosed: string): Result<AprAccuracy> {
  const placed = placeFlows(input);
  if (!placed.ok) return placed;
  const { advances, payments, w, kind } = placed.value;
  const tolerance = kind === 'regular' ? '0.125' : '0.25';
  const unitRate = (percent: Decimal) => percent.div(100).div(w);
  const lower = unitRate(new Decimal(disclosed).minus(tolerance));
  const upper = unitRate(new Decimal(disclosed).plus(tolerance));
  // At a rate of −100% or below nothing is discounted: the payments' side is unbounded, so g is "positive" there.
  const lowerHolds = lower.lte(-1) || presentValueGapSign(advances, payments, lower) >= 0;
  const upperHolds = upper.gt(-1) && presentValueGapSign(advances, payments, upper) <= 0;
  return ok({ accurate: lowerHolds && upperHolds, tolerance, transactionKind: kind });
}

/** What the calendar decides of a stream: its unit-period, the position of each date, whether periods are regular. */
interface Placement {
  unitPeriod: UnitPeriod;
  w: Decimal;
  positions: Map<CalendarDate, ReturnType<typeof measure>>;
  /** Every payment period is one unit-period (1026.22(a)(3)); the amounts decide the rest of the kind. */
  regularPeriods: boolean;
}

/**
 * Placements by the stream's dates. The calendar work (unit-period, positions, regularity) is most of an APR's
 * cost after the solve and depends on the dates alone: the loans made on a day with one term share their dates.
 */
const placements = new Map<string, Placement>();
const PLACEMENTS_KEPT = 256;

function placement(
  start: CalendarDate,
  advanceDates: readonly CalendarDate[],
  paymentDates: readonly CalendarDate[],
): Placement {
  const key = `${start}|${advanceDates.join(',')}|${paymentDates.join(',')}`;
  const known = placements.get(key);
  if (known) return known;
  const calendar = new MonthCalendar([...advanceDates, ...paymentDates]);
  const unitPeriod = chooseUnitPeriod(calendar, start, advanceDates, paymentDates);
  const positions = new Map<CalendarDate, ReturnType<typeof measure>>();
  for (const date of [...advanceDates, ...paymentDates])
    if (!positions.has(date)) positions.set(date, measure(unitPeriod, calendar, start, date));
  const perYear = unitPeriodsPerYear(unitPeriod);
  const placed: Placement = {
    unitPeriod,
    w: new Decimal(perYear.numerator).div(perYear.denominator),
    positions,
    regularPeriods: regularPeriods(calendar, unitPeriod, paymentDates),
  };
  if (placements.size >= PLACEMENTS_KEPT) placements.delete(placements.keys().next().value!);
  placements.set(key, placed);
  return placed;
}

/** Validates a stream and places its flows in unit-periods from the beginning of the term (Appendix J (b)(5)). */
function placeFlows(input: AprInput): Result<{
  advances: PositionedFlow[];
  payments: PositionedFlow[];
  unitPeriod: UnitPeriod;
  w: Decimal;
  kind: TransactionKind;
}> {
  const issues = validate(input);
  if (issues.length > 0) {
    return err(failure('unprocessable', 'validation_failed', 'invalid APR schedule', { fields: issues }));
  }
  const byDate = (a: AprFlow, b: AprFlow) => compareDates(a.date, b.date);
  const advances = [...input.advances].sort(byDate);
  const payments = input.payments.filter((p) => p.amount > 0).sort(byDate);
  const start = input.termStart ?? advances[0]!.date;
  const placed = placement(
    start,
    advances.map((a) => a.date),
    payments.map((p) => p.date),
  );
  const place = (f: AprFlow) => ({ amount: f.amount, position: placed.positions.get(f.date)! });
  return ok({
    advances: advances.map(place),
    payments: payments.map(place),
    unitPeriod: placed.unitPeriod,
    w: placed.w,
    kind: transactionKind(placed.regularPeriods, advances, payments),
  });
}

type PositionedFlow = { amount: Minor; position: ReturnType<typeof measure> };

/** 1026.22(a)(2)-(3): is a disclosed APR (percent string) within tolerance of the computed one? */
export function isAprWithinTolerance(disclosed: string, computed: AprResult): boolean {
  return new Decimal(disclosed).minus(computed.aprExact).abs().lessThanOrEqualTo(computed.tolerance);
}

/**
 * Irregular ((1026.22(a)(3)): more than one advance, or payment periods or amounts that vary other than in the
 * first period, the first payment or the final payment (the periods: `regularPeriods`).
 */
function transactionKind(
  periodsRegular: boolean,
  advances: readonly AprFlow[],
  payments: readonly AprFlow[],
): TransactionKind {
  if (new Set(advances.map((a) => a.date)).size > 1) return 'irregular';
  const dates = new Set(payments.map((p) => p.date));
  if (!periodsRegular || dates.size < payments.length) return 'irregular';
  const middle = payments.slice(1, -1).map((p) => p.amount);
  return new Set(middle).size > 1 ? 'irregular' : 'regular';
}

/**
 * Whether every payment period is exactly one unit-period long (a semimonth by its pattern, since semimonths vary
 * in days). Sorted dates; a date paid twice is left to the amounts' check.
 */
function regularPeriods(
  calendar: MonthCalendar,
  unitPeriod: UnitPeriod,
  paymentDates: readonly CalendarDate[],
): boolean {
  const dates = [...new Set(paymentDates)];
  const periods = streamPeriods(calendar, dates[0]!, dates);
  return periods.every((period, k) => {
    if (unitPeriod.unit === 'semimonth') return period.unit === 'semimonth';
    const length = measure(unitPeriod, calendar, dates[k]!, dates[k + 1]!);
    return length.full === 1 && length.fractionNumerator === 0;
  });
}

function validate(input: AprInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const check = (list: readonly AprFlow[], name: 'advances' | 'payments', least: 0 | 1) => {
    if (list.length === 0)
      issues.push({ path: name, message: `at least one ${name.slice(0, -1)} is required` });
    list.forEach((f, i) => {
      if (!Number.isSafeInteger(f.amount) || f.amount < least) {
        issues.push({
          path: `${name}.${i}.amount`,
          message: `must be an integer amount in minor units of at least ${least}`,
        });
      }
      if (!isCalendarDate(f.date)) issues.push({ path: `${name}.${i}.date`, message: 'must be YYYY-MM-DD' });
    });
  };
  check(input.advances, 'advances', 1);
  check(input.payments, 'payments', 0);
  if (issues.length > 0) return issues;
  if (input.payments.every((p) => p.amount === 0)) {
    issues.push({ path: 'payments', message: 'at least one payment must be more than zero' });
    return issues;
  }

  const first = input.advances.map((a) => a.date).reduce(minDate);
  const start = input.termStart ?? first;
  if (input.termStart !== undefined && compareDates(input.termStart, first) > 0) {
    issues.push({ path: 'term_start', message: 'must not be after the first advance' });
  }
  input.payments.forEach((p, i) => {
    if (compareDates(p.date, start) < 0) {
      issues.push({ path: `payments.${i}.date`, message: 'must not be before the beginning of the term' });
    }
  });
  return issues;
}

export interface DisclosureInput {
  /** Date the amount financed is advanced (consummation). */
  consummationDate: CalendarDate;
  /** Face amount of the obligation (principal loan amount). */
  principal: Minor;
  /** Finance charges paid at or before consummation or withheld from the proceeds (points, origination fee). */
  prepaidFinanceCharge?: Minor;
  /**
   * Advances after consummation (a loan disbursed in tranches): the amount financed is advanced in parts, these on
   * their dates and the rest at consummation; each is placed at its own distance from the beginning of the term
   * (Appendix J (b)(5), (b)(8): the general equation's multiple advances).
   */
  laterAdvances?: readonly AprFlow[];
  payments: readonly AprFlow[];
}

export interface FinanceChargeDisclosure {
  amountFinanced: Minor;
  financeCharge: Minor;
  totalOfPayments: Minor;
  apr: AprResult;
}

/**
 * The Truth in Lending box of a closed-end loan repaid on a schedule (1026.18):
 *  - amount financed = principal − prepaid finance charge (1026.18(b));
 *  - total of payments = Σ scheduled payments (1026.18(h));
 *  - finance charge = total of payments − amount financed (1026.18(d));
 *  - APR = Appendix J rate of the amount financed advanced at consummation (or in parts on their dates, a loan in
 *    tranches) against the payments (1026.18(e)).
 */
export function financeChargeDisclosure(input: DisclosureInput): Result<FinanceChargeDisclosure> {
  const prepaid = input.prepaidFinanceCharge ?? 0;
  if (!Number.isSafeInteger(input.principal) || input.principal <= 0) {
    return err(
      failure('unprocessable', 'validation_failed', 'invalid principal', {
        fields: [{ path: 'principal', message: 'must be a positive integer amount in minor units' }],
      }),
    );
  }
  if (!Number.isSafeInteger(prepaid) || prepaid < 0 || prepaid >= input.principal) {
    return err(
      failure('unprocessable', 'validation_failed', 'invalid prepaid finance charge', {
        fields: [
          { path: 'prepaid_finance_charge', message: 'must be at least 0 and less than the principal' },
        ],
      }),
    );
  }
  const amountFinanced = input.principal - prepaid;
  const later = input.laterAdvances ?? [];
  const atConsummation = amountFinanced - later.reduce((sum, a) => sum + a.amount, 0);
  if (atConsummation <= 0)
    return err(
      failure('unprocessable', 'validation_failed', 'invalid advances', {
        fields: [
          { path: 'later_advances', message: 'must leave part of the amount financed at consummation' },
        ],
      }),
    );
  const apr = computeApr({
    advances: [{ amount: atConsummation, date: input.consummationDate }, ...later],
    payments: input.payments,
    termStart: input.consummationDate,
  });
  if (!apr.ok) return apr;
  const totalOfPayments = input.payments.reduce((sum, p) => sum + p.amount, 0);
  return ok({
    amountFinanced,
    financeCharge: totalOfPayments - amountFinanced,
    totalOfPayments,
    apr: apr.value,
  });
}
