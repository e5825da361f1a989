import { addDays, type CalendarDate } from '../../../../kernel/dates.js';
import type { StoredEvent } from '../../product.js';

/**
 * Returned payments on a line (see domain/installment/returns.ts for installment loans). A returned payment is
 * reversed like any other: the line is restated as if it had never been received. But a statement whose minimum
 * payment the line had met while the payment stood is not charged its late fee on a day already closed: the check
 * is put off until the business date the return was processed on (the reversal's `assessFrom`), whose close of
 * business charges the fee if the minimum is still unpaid then (and the statement is still the last one).
 */
export interface LineReturn {
  /** The business date the return was processed on. */
  from: CalendarDate;
  /** Due dates of the statements charged a late fee in the line as it was known before the return. */
  charged: ReadonlySet<CalendarDate>;
}

/** The returned payments among `events`, each with what was known before it (`known`: events through a sequence). */
export function lineReturns(
  events: readonly StoredEvent[],
  known: (throughSequence: number, asOf: CalendarDate) => ReadonlySet<CalendarDate> | null,
): LineReturn[] {
  const out: LineReturn[] = [];
  for (const e of events) {
    const from =
      e.type === 'payment_reversal' ? (e.payload.assessFrom as CalendarDate | undefined) : undefined;
    if (!from) continue;
    const charged = known(e.sequence - 1, addDays(from, -1));
    if (charged) out.push({ from, charged });
  }
  return out;
}

/** Whether the late fee of the statement due on `dueDate` waits, on `day`, for the business date of a return. */
export const lateFeeWaits = (
  returns: readonly LineReturn[],
  dueDate: CalendarDate,
  day: CalendarDate,
): boolean => returns.some((r) => day < r.from && !r.charged.has(dueDate));
