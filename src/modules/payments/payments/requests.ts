import { type Scope, SYSTEM_ACTOR } from '../../../kernel/audit.js';
import type { ChargeRequest, PaymentRef, VendorMethod } from '../domain/processor.js';
import type { PaymentMethodRow, PaymentRow } from '../tables.js';

/** What a processor call needs of a payment. */
export const refOf = (p: PaymentRow, m: PaymentMethodRow): PaymentRef => ({
  processorId: p.processorId,
  reference: p.reference,
  kind: p.kind,
  method: vendorMethodOf(m),
});

export const vendorMethodOf = (m: PaymentMethodRow): VendorMethod => ({
  kind: m.kind,
  customerRef: m.customerRef,
  methodRef: m.methodRef,
  brand: m.brand,
  last4: m.last4,
  expMonth: m.expMonth,
  expYear: m.expYear,
  bankName: m.bankName,
  routingNumber: m.routingNumber,
});

/** The charge a payment sends, the same every time it is sent. */
export function chargeOf(p: PaymentRow, m: PaymentMethodRow): ChargeRequest {
  return {
    reference: p.reference,
    amount: p.amount,
    currency: p.currency,
    method: vendorMethodOf(m),
    capture: p.capture,
    mandate:
      p.withMandate && m.mandate
        ? { ipAddress: m.mandate.ip_address, userAgent: m.mandate.user_agent }
        : null,
    description: p.description,
    metadata: {
      plinth_payment_id: p.id,
      ...(p.loanId ? { plinth_loan_id: p.loanId } : {}),
    },
  };
}

/** Work done for a tenant by Plinth itself (the reconciler, webhooks, autopay). */
export const systemScope = (tenantId: string): Scope => ({ tenantId, actor: SYSTEM_ACTOR });
