import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import type { Installment } from './installments.js';
import type { InterestBasis } from './interest.js';
import { earning, principalOutstanding, recalculationOf } from './recalculation.js';
import { compounded } from './recalculation-compounding.js';
import { isProgressiveRecalculation } from './recalculation-progressive.js';
import type { LoanTerms } from './terms.js';

/**
 * Interest after maturity on a recalculating loan with daily interest (Fineract's cumulative schedule with interest
 * recalculation: AbstractCumulativeLoanScheduleGenerator.addInterestOnlyRepaymentScheduleForCurrentDate adds, past
 * the last due date, an interest-only installment (`recalculatedInterestComponent`, principal 0) from the last due
 * date to each transaction date and one to the business date, each earning on the balance outstanding over it, so
 * the interest on overdue principal grows daily and is due at once).
 *
 * Plinth keeps the installments and lets the last one carry that interest: past its due date T, its interest earned
 * and due follow accrual,
 *
 *   accrued(last, E) = earned + round(balance × R × yf(since, E))          for E > since ≥ T
 *
 * over the stretch running since the last change (`AfterMaturity`): opened at T with what the period earned and the
 * balance then (P plus, with compounding, what is overdue), and re-anchored at every event after it (a payment,
 * a waiver, a fee) with what was earned to that day and the balance after it: Fineract's interest-only installment
 * to each transaction date, each stretch rounded on its own. With a rest frequency, principal paid but pending its
 * rest date earns over the stretch too (recalculation-rest.ts). The close of business reads the stretch from the
 * loan's `after_maturity_*` columns (recalculation-maturity.sql.ts), the replay from the interest basis.
 *
 * The progressive schedule (`period_days`, recalculation-progressive.ts) charges nothing after maturity, as
 * Fineract's ProgressiveEMICalculator does (ProgressiveEMICalculatorTest …add_balance_correction_on0215: 0.10
 * payable on 07-01 and still on 07-15; e2e "Interest recalculation - S1" as of 15 July 2024: 0.58 each period).
 */
export interface AfterMaturity {
  /** The last installment's number. */
  readonly row: number;
  /** Since when the stretch runs (the last due date or the last change after it). */
  readonly since: CalendarDate;
  /** What the last installment earned before `since` (its period and the stretches before). */
  readonly earned: Minor;
  /** The balance earning over the stretch. */
  readonly balance: Minor;
}

/** Whether the loan earns interest after maturity (daily recalculation; not the progressive schedule). */
export const accruesAfterMaturity = (terms: LoanTerms): boolean =>
  recalculationOf(terms) !== null && !isProgressiveRecalculation(terms);

function stretchFrom(terms: LoanTerms, rows: readonly Installment[], since: CalendarDate): AfterMaturity {
  const last = rows[rows.length - 1]!;
  const balance = principalOutstanding(rows) + compounded(recalculationOf(terms), rows, since);
  return { row: last.number, since, earned: last.interestAccrual, balance };
}

/**
 * As accrual reaches the last due date (`end` ≥ it): the stretch opens there with what the period earned (its
 * interest_accrual, final from its due date) and the balance outstanding then.
 */
export function openAfterMaturity(
  terms: LoanTerms,
  b: InterestBasis,
  rows: readonly Installment[],
  end: CalendarDate,
): InterestBasis {
  const last = rows[rows.length - 1];
  if (b.afterMaturity || !last || end < last.dueDate || !accruesAfterMaturity(terms)) return b;
  return { ...b, afterMaturity: stretchFrom(terms, rows, last.dueDate) };
}

/**
 * After an event on `date` past maturity: a new stretch from `date`, with what the last installment earned to it
 * (accrual ran at the start of the day) and the balance the event left.
 */
export function reanchorAfterMaturity(
  terms: LoanTerms,
  b: InterestBasis,
  rows: readonly Installment[],
  date: CalendarDate,
): InterestBasis {
  return b.afterMaturity ? { ...b, afterMaturity: stretchFrom(terms, rows, date) } : b;
}

/** accrued(last, end) past maturity (above); null for another row or before the stretch runs. */
export function maturityAccrual(
  b: InterestBasis,
  row: Pick<Installment, 'number' | 'periodStart' | 'dueDate'>,
  end: CalendarDate,
): Minor | null {
  const s = b.afterMaturity;
  if (!s || row.number !== s.row || end <= s.since) return null;
  return s.earned + earning(b, row, s.balance, s.since, end);
}

/** The last installment's interest earned and due follow its accrual (keeping what reschedule.ts deferred to it). */
export function owePastMaturity(row: Installment, accrued: Minor): void {
  row.due.interest += accrued - row.interestAccrual;
  row.interestAccrual = accrued;
}
