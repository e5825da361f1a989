import type { IncomingHttpHeaders } from 'node:http';
import type { Minor } from '../../../kernel/money.js';
import type { Failure, Result } from '../../../kernel/result.js';
import type { ProviderDefinition, ProviderMetadata } from '../../../providers/index.js';
import type { Decline } from './declines.js';

/**
 * The `payment_processor` capability (the seed's PaymentProcessorProtocol: authorize, capture, void, refund),
 * with what collecting loan payments needs beyond it: stored payment methods, bank debits that settle or come
 * back days later, `retrieve` (the processor's view of a payment, which is what reconciles an unknown outcome),
 * and signed webhooks.
 *
 * Outcomes the processor decides (approved, declined, pending) are values. Failures to get an answer are
 * thrown `ProviderError`s of the kernel's kinds: `rejected` (the request was refused as invalid: nothing moved),
 * `authentication`, `configuration`, and the transient `unavailable` / `rate_limited`, after which the outcome
 * is unknown unless the processor says otherwise.
 *
 * Every money-moving call carries the payment's `reference`: the processor's idempotency key (Stripe) or the
 * invoice number its duplicate check keys on (Authorize.Net), so sending the same call again never moves money
 * twice within `metadata.replayWindowSeconds`.
 */

export const METHOD_KINDS = ['card', 'bank_account'] as const;
export type MethodKind = (typeof METHOD_KINDS)[number];

/** What Plinth keeps of a payment method: the processor's references and a masked description, never a number. */
export interface VendorMethod {
  kind: MethodKind;
  /** The processor's customer (Stripe customer, Authorize.Net customer profile). */
  customerRef: string;
  /** The processor's stored method (Stripe PaymentMethod, Authorize.Net payment profile). */
  methodRef: string;
  brand: string | null;
  last4: string | null;
  expMonth: number | null;
  expYear: number | null;
  bankName: string | null;
  /** Bank accounts: the routing number (public; Authorize.Net names it when refunding an eCheck). */
  routingNumber: string | null;
}

/** The account holder's authorization of bank debits, as the lender's front end collected it. */
export interface MandateAcceptance {
  ipAddress: string;
  userAgent: string;
}

export interface AttachRequest {
  customer: { id: string; name: string; email: string | null };
  /** The processor's customer made earlier for this Plinth customer under this config, if any. */
  customerRef: string | null;
  /** A vendor token (Stripe `pm_`/`tok_`, an Accept.js nonce) or a stored vendor profile. */
  source:
    | { token: string; kind?: MethodKind }
    | { customerRef: string; methodRef: string; routingNumber?: string };
  /** Unique per attach request: idempotency for the calls it makes. */
  reference: string;
}

export type AttachResult =
  | { outcome: 'attached'; method: VendorMethod }
  | { outcome: 'declined'; decline: Decline };

export interface ChargeRequest {
  /** Unique per payment, at most 20 characters of [A-Za-z0-9]. */
  reference: string;
  amount: Minor;
  currency: string;
  method: VendorMethod;
  /** false: authorize only (cards); true: authorize and capture, or initiate the bank debit. */
  capture: boolean;
  /** Bank debits: the holder's authorization, when no mandate exists yet for the method. */
  mandate: MandateAcceptance | null;
  description: string | null;
  /** Plinth's ids, stored with the processor's record for support. */
  metadata: Record<string, string>;
}

/** Where a payment is at the processor after a call, or as `retrieve` sees it. */
export type ProcessorStatus =
  | 'authorized'
  | 'captured'
  /** A bank debit initiated and not settled yet. */
  | 'processing'
  /** A bank debit settled. */
  | 'succeeded'
  /** A bank debit the receiving bank sent back (R01, R02, ...). */
  | 'returned'
  | 'declined'
  | 'voided';

export type AuthResult =
  | {
      outcome: 'approved';
      status: 'authorized' | 'captured' | 'processing';
      processorId: string;
      amountAuthorized: Minor;
      amountCaptured: Minor;
    }
  | { outcome: 'declined'; processorId: string | null; decline: Decline };

export interface PaymentRef {
  /** The processor's id for the payment; null when the first call's answer never arrived. */
  processorId: string | null;
  reference: string;
  kind: MethodKind;
  method: VendorMethod;
}

export interface CaptureResult {
  amountCaptured: Minor;
}

export interface VoidResult {
  voided: true;
}

export interface RefundRequest {
  /** Unique per refund, at most 20 characters of [A-Za-z0-9]. */
  reference: string;
  amount: Minor;
  currency: string;
  /** The refund returns everything captured (no earlier refund): a processor may void an unsettled payment instead. */
  whole: boolean;
}

export interface RefundResult {
  refundId: string;
  /** Bank refunds are pending until the next settlement; the money is committed either way. */
  status: 'succeeded' | 'pending';
}

export type DisputeStatus = 'open' | 'won' | 'lost';

/** The processor's view of a payment. */
export interface ProcessorView {
  status: ProcessorStatus;
  processorId: string;
  amountAuthorized: Minor;
  amountCaptured: Minor;
  /** Refunded so far, whoever refunded (Plinth, or the processor's dashboard). */
  amountRefunded: Minor;
  dispute: DisputeStatus | null;
  decline: Decline | null;
  /** Bank debits sent back: the NACHA code. */
  returnCode: string | null;
}

/** A verified webhook, normalized: which payment it concerns; the payment's state is then read with `retrieve`. */
export interface ProcessorEvent {
  /** The processor's event id: deliveries of one event are recorded once. */
  id: string;
  type: string;
  /** The payment it concerns (PaymentIntent id, transaction id); null for events about nothing Plinth tracks. */
  processorId: string | null;
  /** Disputes: the dispute's status as the event carries it (Stripe's API has no other way to learn it). */
  dispute: DisputeStatus | null;
}

export interface PaymentProcessor {
  /** ISO 4217 codes (upper case) the processor accepts for this config. */
  readonly currencies: readonly string[];
  /**
   * How long re-sending a call with the same `reference` is answered with the first call's outcome (Stripe's
   * idempotency keys: 24 hours; Authorize.Net: the configured duplicate window). Beyond it, an unknown outcome is
   * not resolved by sending again.
   */
  readonly replayWindowSeconds: number;
  attachPaymentMethod(request: AttachRequest): Promise<AttachResult>;
  /** Authorizes (capture false) or authorizes and captures / initiates a bank debit (capture true). */
  authorize(request: ChargeRequest): Promise<AuthResult>;
  /** Captures an authorization, all of it or part (`amount`). Safe to repeat. */
  capture(ref: PaymentRef, amount: Minor): Promise<CaptureResult>;
  /** Releases an authorization (or cancels an unsettled payment). Safe to repeat. */
  void(ref: PaymentRef): Promise<VoidResult>;
  /** Refunds part or all of a captured or settled payment; several partial refunds are allowed. */
  refund(ref: PaymentRef, request: RefundRequest): Promise<RefundResult>;
  /**
   * The processor's view of a payment; null when the processor has no payment for `ref` (the first call never
   * reached it). With no `processorId`, a processor that can look payments up by reference does.
   */
  retrieve(ref: PaymentRef): Promise<ProcessorView | null>;
  /** Verifies the vendor's signature over the raw body: a verified event, or 401 `invalid_signature`. */
  parseWebhook(rawBody: Buffer, headers: IncomingHttpHeaders, now: Date): Result<ProcessorEvent, Failure>;
  close(): Promise<void>;
}

export interface PaymentProcessorMetadata extends ProviderMetadata {
  methods: readonly MethodKind[];
}

// biome-ignore lint/suspicious/noExplicitAny: each processor has its own config type.
export type PaymentProcessorDefinition<C = any> = ProviderDefinition<C, PaymentProcessor> & {
  serviceType: 'payment_processor';
  metadata: PaymentProcessorMetadata;
};
