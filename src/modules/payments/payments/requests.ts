import { type Scope, SYSTEM_ACTOR } from '../../../kernel/audit.js';
import type { Db, RawQuery } from '../../../kernel/db.js';
import type { ChargeRequest, PaymentProcessor, PaymentRef, VendorMethod } from '../domain/processor.js';
import type { PaymentMethodService } from '../payment-methods/service.js';
import type { Processors } from '../processors.js';
import type { PaymentMethodRow, PaymentRow } from '../tables.js';
import type { PaymentRecorder } from './recorder.js';

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

/** What a call on a stored payment needs: the processor it was made at, and its payment method. */
export async function callContext(
  deps: { processors: Processors; methods: PaymentMethodService },
  scope: Scope,
  p: PaymentRow,
): Promise<{ processor: PaymentProcessor; method: PaymentMethodRow }> {
  const processor = await deps.processors.of(p.tenantId, p.providerConfigId);
  const method = await deps.methods.get(scope, p.paymentMethodId);
  if (!method.ok) throw new Error(`payment ${p.id}: its payment method ${p.paymentMethodId} is gone`);
  return { processor, method: method.value };
}

/** What the services that call processors on payments share. */
export interface CallDeps {
  db: Db;
  /** Hand-written statements (kernel/statement.ts): a collection's record (claim.ts). */
  raw: RawQuery;
  processors: Processors;
  methods: PaymentMethodService;
  recorder: PaymentRecorder;
  now: () => Date;
}
