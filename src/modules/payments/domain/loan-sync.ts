import type { Minor } from '../../../kernel/money.js';
import { loanShare, type PaymentFacts, stateOf } from './states.js';

/**
 * How a payment's loan catches up with the payment. The loan holds at most one application of the payment at a
 * time (a loan `payment` event of `applied` minor units); what it should hold is `loanShare(facts)`. When they
 * differ, the application is reversed (lending's payment reversal: later events are reprocessed) and, if anything
 * is left, the remainder applied again. A returned bank debit is also charged the program's returned-payment fee,
 * once. Each step is one loan write that also records the payment's change (its transition), so the loan and the
 * payment never disagree; steps are taken one at a time until `nextLoanStep` answers null.
 */
export interface LoanLink {
  /** Minor units the loan's current application of this payment holds (0: none). */
  applied: Minor;
  /** The loan event of that application. */
  eventId: string | null;
  /** Whether the returned-payment fee was charged. */
  feeCharged: boolean;
}

export type LoanStep =
  | { step: 'apply'; amount: Minor }
  | { step: 'reverse'; eventId: string }
  | { step: 'fee'; amount: Minor };

export function nextLoanStep(f: PaymentFacts, link: LoanLink, returnedPaymentFee: Minor): LoanStep | null {
  const target = loanShare(f);
  if (link.applied !== target) {
    if (link.applied > 0 && link.eventId) return { step: 'reverse', eventId: link.eventId };
    if (target > 0) return { step: 'apply', amount: target };
  }
  if (stateOf(f) === 'returned' && !link.feeCharged && returnedPaymentFee > 0 && link.applied === 0)
    return { step: 'fee', amount: returnedPaymentFee };
  return null;
}
