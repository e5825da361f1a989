import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import { roundRatio, toMinor, YEAR_UNITS, yearFractionUnits } from '../exact.js';
import { type Installment, outstandingOf } from './installments.js';
import { accruedInterestTo, type InterestBasis } from './interest.js';
import { compounded, type Joining, joining, joiningUnits, paidEarning } from './recalculation-compounding.js';
import {
  earnedBefore,
  keepInstallmentsFrom,
  keepsInstallments,
  openStretch,
  overduePrincipalLines,
  periodEarning,
  restretch,
} from './recalculation-progressive.js';
import { pendingUnits, restPending } from './recalculation-rest.js';
import type { InterestRecalculation } from './recalculation-terms.js';
import type { PaymentRecord } from './servicing.js';
import type { LoanTerms } from './terms.js';

/**
 * Interest recalculation on early and late payments (Fineract `isInterestRecalculationEnabled` with rest frequency
 * DAILY and no compounding). The loan earns interest on its daily principal balance P: the principal disbursed
 * less what was paid or waived. See the README ("Interest recalculation") for the design; in short:
 *
 * - A row's period [period_start, due_date) earns on P as it stands each day, by the day count: a payment lowers
 *   P from its date, so the period it falls in earns less (early), and principal left unpaid after its due date
 *   stays in P, so the next period earns on it (late).
 * - A row not yet started is projected on the principal scheduled to remain (its own and later rows'
 *   outstanding principal); when its period starts it is re-projected on P, which holds any overdue principal.
 * - Interest is never paid ahead of being earned: a payment in advance pays the running row's interest earned so
 *   far (its `accrued`), then principal (allocation.ts).
 *
 * Accrual is counted back from the due date, accrued(row, E) = interest_accrual − round(P × R × yf(E, due_date)),
 * and at each change of P on D the running row's interest_accrual is set to what it earned to D plus
 * round(P × R × yf(D, due_date)): so the close of business needs only P (a sum over the loan's rows) and the row,
 * and a recalculation on a day with no change gives the row back unchanged.
 *
 * With `interest_calculation: period_days` (Fineract's progressive loan) a stretch is counted by the period's rate
 * factor prorated by days instead of the day count, and each stretch is rounded on its own
 * (recalculation-progressive.ts: `stretchInterest`, `earnedBefore`).
 */

/** The loans column close of business branches on (loans.interest_calculation) for a recalculating loan. */
export const RECALCULATED_DAILY = 'daily_recalculated';

/** The loan's recalculation, null when off (terms stored before the option existed have none). */
export const recalculationOf = (terms: LoanTerms): InterestRecalculation | null =>
  terms.options.interestRecalculation ?? null;

/**
 * The basis with the principal paid on or before `date` that still earns until its rest date (recalculation-rest.ts),
 * set at each change so that accrual, period starts and payoff count it as close of business does.
 */
export function withRestPending(
  b: InterestBasis,
  terms: LoanTerms,
  rows: readonly Installment[],
  payments: readonly PaymentRecord[],
  date: CalendarDate,
): InterestBasis {
  const rule = recalculationOf(terms);
  const dueDates = rows.map((r) => r.dueDate);
  // On the progressive schedule only overdue principal waits for its rest date (recalculation-progressive.ts).
  const paid = b.periodFactors ? overduePrincipalLines(payments) : payments;
  const pending = rule
    ? restPending(rule, terms.disbursementDate, dueDates, paid, date, (l, paidOn) =>
        paidEarning(rule, rows, l, paidOn),
      )
    : null;
  return pending || b.restPending ? { ...b, restPending: pending } : b;
}

/** P: the principal outstanding over every row, due or not. */
export function principalOutstanding(rows: readonly Installment[]): Minor {
  let p = 0;
  for (const r of rows) p += outstandingOf(r, 'principal');
  return p;
}

/** accrued(row, E) for a recalculating loan with balance P (see above); E exclusive. */
export function recalculatedAccrual(
  b: InterestBasis,
  row: Pick<Installment, 'number' | 'periodStart' | 'dueDate' | 'interestAccrual'>,
  end: CalendarDate,
  balance: Minor,
  joins: Joining | null = null,
): Minor {
  if (end >= row.dueDate) return row.interestAccrual;
  if (end <= row.periodStart || row.interestAccrual === 0) return 0;
  return Math.max(0, row.interestAccrual - earning(b, row, balance, end, row.dueDate, joins));
}

/**
 * Interest `row` earns on `balance` over [start, end), with the principal paid but pending its rest date
 * (recalculation-rest.ts): on the progressive schedule by its period's rate factor (recalculation-progressive.ts),
 * by the day count otherwise.
 */
export function earning(
  b: InterestBasis,
  row: Pick<Installment, 'number' | 'periodStart' | 'dueDate'>,
  balance: Minor,
  start: CalendarDate,
  end: CalendarDate,
  joins: Joining | null = null,
): Minor {
  if (b.periodFactors) return periodEarning(b, row, balance, start, end);
  const units =
    BigInt(balance) * yearFractionUnits(b.dayCount, start, end) +
    pendingUnits(b.dayCount, b.restPending, start, end) +
    joiningUnits(b.dayCount, joins, start, end);
  return toMinor(roundRatio(units * b.rate.num, b.rate.den * YEAR_UNITS, b.mode));
}

/** Interest a row has earned by `end` (exclusive), whichever way the loan earns it: for accrual and payoff. */
export function interestEarnedTo(
  terms: LoanTerms,
  b: InterestBasis,
  rows: readonly Installment[],
  row: Installment,
  end: CalendarDate,
): Minor {
  if (b.periodFactors) return earnedBefore(b, row, end);
  const rule = recalculationOf(terms);
  return rule
    ? recalculatedAccrual(
        b,
        row,
        end,
        principalOutstanding(rows) + compounded(rule, rows, end),
        joining(rule, rows, end),
      )
    : accruedInterestTo(b, row, end);
}

/** Sets a row's interest (earned over its period, due with it). */
function setInterest(row: Installment, interest: Minor): void {
  row.interestAccrual = interest;
  row.due.interest = interest;
}

/**
 * A period starting on `start` (a due date passed): re-projected on P, which still holds the principal left
 * unpaid, so the overdue principal keeps earning interest. Called as accrual reaches `start`, before the day's
 * events; the close of business does the same as its accrual cursor moves on (interest.sql.ts).
 */
export function startPeriod(
  b: InterestBasis,
  rows: Installment[],
  start: CalendarDate,
  rule: InterestRecalculation | null = null,
): void {
  const k = rows.findIndex((r) => r.periodStart === start);
  if (k <= 0) return;
  const row = rows[k]!;
  const totals = rows.map((r) => r.due.principal + r.due.interest);
  const p = principalOutstanding(rows) + compounded(rule, rows, start);
  // Keeps what the row owes beyond or short of what it earns (reschedule.ts defers a settled row's interest).
  const offset = row.due.interest - row.interestAccrual;
  setInterest(row, earning(b, row, p, start, row.dueDate, joining(rule, rows, start)));
  row.due.interest += offset;
  openStretch(b, row, start, 0, p);
  if (b.periodFactors && keepsInstallments(rule)) keepInstallmentsFrom(b, rows, k, totals);
}

/**
 * After P changed on `date` (a payment, a waiver): the running row earns what it earned before `date` plus P
 * over the rest of its period; each later row is projected on the principal scheduled to remain at its start.
 * Rows due on or before `date` keep the interest they earned.
 */
export function recalculate(
  b: InterestBasis,
  rows: Installment[],
  date: CalendarDate,
  rule: InterestRecalculation | null = null,
): void {
  const p = principalOutstanding(rows);
  // The running row earns on what is overdue too (compounding); later rows are projected on principal only.
  const earningNow = p + compounded(rule, rows, date);
  const joins = joining(rule, rows, date);
  let remaining = p;
  for (const r of rows) if (r.dueDate <= date) remaining -= outstandingOf(r, 'principal');
  for (const row of rows) {
    if (row.dueDate <= date) continue;
    if (row.periodStart <= date) {
      // Progressive: earned to `date` stretch by stretch, each rounded (recalculation-progressive.ts).
      if (b.periodFactors) setInterest(row, restretch(b, row, date, earningNow));
      else setInterest(row, row.accrued + earning(b, row, earningNow, date, row.dueDate, joins));
    } else setInterest(row, projectPeriod(b, row, remaining));
    remaining -= outstandingOf(row, 'principal');
  }
}

/** A row whose period has not started: the interest its whole period earns on `balance` (its accrual projected). */
export function projectPeriod(b: InterestBasis, row: Installment, balance: Minor): Minor {
  row.interestAccrual = earning(b, row, balance, row.periodStart, row.dueDate);
  openStretch(b, row, row.periodStart, 0, balance);
  return row.interestAccrual;
}
