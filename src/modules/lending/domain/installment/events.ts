import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import { err, type Failure, failure, ok, type Result } from '../../../../kernel/result.js';

/**
 * Loan events and the lifecycle. A loan is the ordered list of its events: state is always replay(events), so a
 * backdated event or a reversal is handled by inserting it and replaying. Events apply in (effectiveDate,
 * sequence) order; `sequence` is unique per loan and is the order the events were recorded in.
 *
 *   application ─approve→ approved ─disburse→ active ⇄ delinquent ─(all paid)→ paid_off ─close→ closed
 *        │                   │                   │            │             ⇅ (credit / refund)
 *        ├─reject→ rejected  └─withdraw→ withdrawn  └─charge_off→ charged_off ─close→ closed
 *        └─withdraw→ withdrawn                                         (recovery)   overpaid
 *
 * active, delinquent, paid_off and overpaid are derived after every step from the balances and days past due.
 * What the close of business derives (accruals, late fees, charge-off after N days past due) is not an event:
 * replay derives it the same way, so a backdated payment also removes a late fee it makes undeserved.
 */

export const LOAN_STATUSES = [
  'application',
  'approved',
  'rejected',
  'withdrawn',
  'active',
  'delinquent',
  'paid_off',
  'overpaid',
  'charged_off',
  'closed',
] as const;
export type LoanStatus = (typeof LOAN_STATUSES)[number];

interface EventBase {
  id: string;
  sequence: number;
  effectiveDate: CalendarDate;
}

export type LoanEvent = EventBase &
  (
    | { type: 'approve' }
    | { type: 'reject' }
    | { type: 'withdraw' }
    /** Disburses the amount financed; effectiveDate must be the terms' disbursement date. */
    | { type: 'disburse' }
    /** Disburses one more tranche of the amount financed (tranche-disbursement.ts); the schedule re-amortized. */
    | { type: 'disburse_tranche'; amount: Minor }
    | { type: 'payment'; amount: Minor }
    /** A payment meant to close the loan: settles per the payoff rules; fails if it does not cover the payoff. */
    | { type: 'payoff'; amount: Minor }
    /**
     * A returned or cancelled payment (or payoff): the loan is replayed as if it had never been applied.
     * `assessFrom` (a payment returned by the bank or charged back, processed on that business date): the late
     * fees and charge-off that restated history would assess on earlier, already closed days are assessed from
     * that date instead (returns.ts).
     */
    | { type: 'payment_reversal'; paymentId: string; assessFrom?: CalendarDate }
    /** A manual charge on an installment (default: the next one due on or after the date). */
    | { type: 'fee'; component: 'fees' | 'penalties'; amount: Minor; installment?: number }
    /** Waives outstanding charges (default: all of them), oldest first; interest only once it is due. */
    | { type: 'waive'; component: 'penalties' | 'fees' | 'interest'; amount?: Minor; installment?: number }
    | { type: 'charge_off' }
    | { type: 'recovery'; amount: Minor }
    /** Pays the credit balance back to the borrower (default: all of it). */
    | { type: 'refund'; amount?: Minor }
    /** The annual rate from the effective date on (rate-change.ts); `reason`: why (`scra`, `reset`). */
    | { type: 'rate_change'; annualInterestRate: string; reason?: string }
    | { type: 'close' }
  );
export type LoanEventType = LoanEvent['type'];

const SERVICING: readonly LoanStatus[] = ['active', 'delinquent'];

export const ALLOWED_FROM: Record<LoanEventType, readonly LoanStatus[]> = {
  approve: ['application'],
  reject: ['application'],
  withdraw: ['application', 'approved'],
  disburse: ['approved'],
  disburse_tranche: SERVICING,
  payment: [...SERVICING, 'paid_off', 'overpaid'],
  payoff: SERVICING,
  payment_reversal: [...SERVICING, 'paid_off', 'overpaid', 'charged_off'],
  fee: SERVICING,
  waive: SERVICING,
  charge_off: SERVICING,
  recovery: ['charged_off'],
  refund: ['overpaid'],
  rate_change: SERVICING,
  close: ['paid_off', 'charged_off'],
};

/** The status an event moves to, where the event itself decides it (the rest are derived from balances). */
export const TARGET: Partial<Record<LoanEventType, LoanStatus>> = {
  approve: 'approved',
  reject: 'rejected',
  withdraw: 'withdrawn',
  disburse: 'active',
  charge_off: 'charged_off',
  close: 'closed',
};

export function checkTransition(status: LoanStatus, event: LoanEvent): Result<void, Failure> {
  if (ALLOWED_FROM[event.type].includes(status)) return ok(undefined);
  return err(
    failure('conflict', 'invalid_state_transition', `cannot ${event.type} a loan that is ${status}`, {
      extra: { event_id: event.id, event_type: event.type, loan_status: status },
    }),
  );
}

export const compareEvents = (a: LoanEvent, b: LoanEvent): number =>
  a.effectiveDate < b.effectiveDate ? -1 : a.effectiveDate > b.effectiveDate ? 1 : a.sequence - b.sequence;

export const invalidEvent = (
  event: LoanEvent,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
) => failure('unprocessable', code, message, { extra: { event_id: event.id, ...extra } });
