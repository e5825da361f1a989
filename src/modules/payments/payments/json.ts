import { type Failure, failure } from '../../../kernel/result.js';
import type { PaymentRow, RefundRow, TransitionRow } from '../tables.js';

export const paymentJson = (p: PaymentRow) => ({
  id: p.id,
  state: p.state,
  customer_id: p.customerId,
  payment_method_id: p.paymentMethodId,
  provider_config_id: p.providerConfigId,
  provider_key: p.providerKey,
  type: p.kind,
  amount: p.amount,
  currency: p.currency,
  capture: p.capture,
  amount_authorized: p.amountAuthorized,
  amount_captured: p.amountCaptured,
  amount_refunded: p.amountRefunded,
  dispute: p.dispute,
  processor_id: p.processorId,
  reference: p.reference,
  decline: p.declineCode
    ? { code: p.declineCode, processor_code: p.declineVendorCode, message: p.declineMessage }
    : null,
  return_code: p.returnCode,
  pending_operation: p.operation,
  error: p.error,
  loan: p.loanId
    ? {
        id: p.loanId,
        applied: p.loanApplied,
        event_id: p.loanEventId,
        returned_payment_fee_charged: p.loanFeeCharged,
        error: p.loanError,
      }
    : null,
  source: p.source,
  autopay_due_date: p.autopayDueDate,
  description: p.description,
  created_at: p.createdAt.toISOString(),
  updated_at: p.updatedAt.toISOString(),
});

export const refundJson = (r: RefundRow) => ({
  id: r.id,
  payment_id: r.paymentId,
  amount: r.amount,
  status: r.status,
  reference: r.reference,
  processor_refund_id: r.processorRefundId,
  error: r.error,
  created_at: r.createdAt.toISOString(),
});

export const transitionJson = (t: TransitionRow) => ({
  seq: t.seq,
  from: t.fromState,
  to: t.toState,
  source: t.source,
  detail: t.detail,
  loan_event_id: t.loanEventId,
  at: t.at.toISOString(),
});

/**
 * A payment the API answers as a failure: declined (402, with the taxonomy's code), or with its outcome unknown
 * (503, not stored with the Idempotency-Key, so the client's retry with the same key resumes the payment).
 */
export function paymentFailure(p: PaymentRow): Failure | null {
  if (p.state === 'declined')
    return failure(
      'payment_required',
      'payment_declined',
      `the payment was declined (${p.declineCode ?? 'declined'})`,
      {
        extra: { payment_id: p.id, decline_code: p.declineCode, processor_code: p.declineVendorCode },
      },
    );
  if (p.operation)
    return failure(
      'unavailable',
      'processor_unavailable',
      'the payment processor did not answer; the outcome is not known yet: retry with the same Idempotency-Key, or read the payment later',
      { extra: { payment_id: p.id, payment_state: p.state } },
    );
  if (p.state === 'failed')
    return failure(
      'unprocessable',
      'processor_rejected',
      `the processor refused the payment (${p.error ?? 'no code'})`,
      {
        extra: { payment_id: p.id },
      },
    );
  return null;
}
