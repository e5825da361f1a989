import { addDays, type CalendarDate } from '../../../../kernel/dates.js';
import type { Minor, RoundingMode } from '../../../../kernel/money.js';
import { type LateFeeTerms, lateFeeAmount } from '../common-terms.js';
import { type Installment, outstandingOf } from './installments.js';

/**
 * Late fees. An installment that still owes principal, interest or fees at the close of business of its due date
 * plus `graceDays` is charged one late fee (a penalty), effective that day. A payment received on or before the
 * last grace day avoids it. The fee is flat, or a percent of that overdue amount, rounded with the program's mode
 * and kept within the optional min and max. Each installment is checked once (`lateFeeAssessed` then stays true,
 * charged or not), so a fee charged on an old installment later does not draw a late fee of its own.
 *
 * SQL for business date D, on loans that are active or delinquent: installments with NOT late_fee_assessed AND
 * due_date + grace_days <= D get a fee when (principal + interest + fees due − paid − waived) > 0, and all of them
 * get late_fee_assessed = true.
 */

/** The business date whose close of business charges the late fee of an installment due on `dueDate`. */
export const lateFeeAssessmentDate = (dueDate: CalendarDate, fee: LateFeeTerms): CalendarDate =>
  addDays(dueDate, fee.graceDays);

/** What a late fee counts as overdue: the installment's outstanding principal, interest and fees. */
export const overdueForLateFee = (i: Installment): Minor =>
  outstandingOf(i, 'principal') + outstandingOf(i, 'interest') + outstandingOf(i, 'fees');

export interface LateFeeAssessment {
  installment: number;
  amount: Minor;
}

/**
 * The late-fee checks the close of business of `date` runs, one per installment; amount 0 means no fee.
 * `deferredUntil`: installments whose check a returned payment put off until that business date (returns.ts).
 */
export function lateFeesDue(
  installments: readonly Installment[],
  fee: LateFeeTerms | null,
  date: CalendarDate,
  mode: RoundingMode,
  deferredUntil?: ReadonlyMap<number, CalendarDate>,
): LateFeeAssessment[] {
  if (fee === null) return [];
  const out: LateFeeAssessment[] = [];
  for (const i of installments) {
    if (i.lateFeeAssessed) continue;
    if (lateFeeAssessmentDate(i.dueDate, fee) > date) break; // installments are in due-date order
    if ((deferredUntil?.get(i.number) ?? date) > date) continue;
    out.push({ installment: i.number, amount: lateFeeAmount(fee, overdueForLateFee(i), mode) });
  }
  return out;
}
