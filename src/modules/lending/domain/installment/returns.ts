import { addDays, type CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import type { LoanEvent } from './events.js';

/**
 * Returned payments. A bank debit that comes back, or a card payment charged back, is reversed like any payment
 * reversal: the history is restated as if the payment had never been received (later payments pay what it would
 * have paid, interest accrues on the balance it did not reduce). What close of business assessed on days already
 * closed stays as it was, though: a late-fee check an installment passed while the payment stood is not failed
 * retroactively, and the loan is not charged off on a closed day. Both are assessed from the business date the
 * return was processed on (the reversal's `assessFrom`): that day's close of business checks those installments
 * again (a late fee on each one still overdue then) and charges the loan off if it is past the charge-off days.
 *
 * Which checks a return puts off is read from the loan as it was known when the return came: the events recorded
 * before the reversal, replayed through the close of business of the day before (`known`).
 */
export interface Deferrals {
  /** Installment number → the business date whose close of business checks its late fee. */
  lateFees: Map<number, CalendarDate>;
  /** Close of business charges off no earlier than this date; null when no return puts it off. */
  chargeOffFrom: CalendarDate | null;
}

/** The loan as it was known before a return: its late-fee checks (the fee charged, 0 for none) and whether charged off. */
export interface KnownLoan {
  lateFeeChecks: ReadonlyMap<number, Minor>;
  chargedOff: boolean;
}

export const noDeferrals = (): Deferrals => ({ lateFees: new Map(), chargeOffFrom: null });

/** The business dates returns were processed on (days whose close of business has their work). */
export const returnDates = (events: readonly LoanEvent[]): CalendarDate[] =>
  events.flatMap((e) => (e.type === 'payment_reversal' && e.assessFrom ? [e.assessFrom] : []));

export function deferrals(
  events: readonly LoanEvent[],
  known: (throughSequence: number, asOf: CalendarDate) => KnownLoan | null,
): Deferrals {
  const out = noDeferrals();
  for (const e of events) {
    if (e.type !== 'payment_reversal' || !e.assessFrom) continue;
    const from = e.assessFrom;
    const before = known(e.sequence - 1, addDays(from, -1));
    if (!before) continue;
    for (const [installment, fee] of before.lateFeeChecks)
      if (fee === 0 && (out.lateFees.get(installment) ?? from) <= from) out.lateFees.set(installment, from);
    if (!before.chargedOff && (out.chargeOffFrom === null || out.chargeOffFrom < from))
      out.chargeOffFrom = from;
  }
  return out;
}
