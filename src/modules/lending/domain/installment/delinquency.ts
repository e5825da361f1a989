import { type CalendarDate, daysBetween } from '../../../../kernel/dates.js';
import { type Installment, outstandingOf } from './installments.js';

/**
 * Delinquency. Days past due at the close of business of `date`: days since the due date of the oldest
 * installment that still owes principal or interest (fees and penalties alone do not make a loan delinquent).
 * An installment due on `date` itself is not past due yet, so the count is 1 on the day after the due date.
 *
 * SQL: date − MIN(due_date) over installments with due_date < date and principal + interest outstanding > 0.
 */
export function daysPastDue(installments: readonly Installment[], date: CalendarDate): number {
  for (const i of installments) {
    if (i.dueDate >= date) return 0;
    if (outstandingOf(i, 'principal') + outstandingOf(i, 'interest') > 0) return daysBetween(i.dueDate, date);
  }
  return 0;
}

export const DEFAULT_DELINQUENCY_BUCKETS: readonly number[] = [30, 60, 90, 120];

/**
 * The aging bucket of a days-past-due count. `upperBounds` are each bucket's last day (default 30, 60, 90, 120),
 * giving 'current', '1-30', '31-60', '61-90', '91-120' and '121+'.
 */
export function delinquencyBucket(
  dpd: number,
  upperBounds: readonly number[] = DEFAULT_DELINQUENCY_BUCKETS,
): string {
  if (dpd <= 0) return 'current';
  let lower = 1;
  for (const upper of upperBounds) {
    if (dpd <= upper) return `${lower}-${upper}`;
    lower = upper + 1;
  }
  return `${lower}+`;
}
