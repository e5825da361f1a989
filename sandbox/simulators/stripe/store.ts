import { randomBytes } from 'node:crypto';
import type { BankOutcome, CardDecline } from './test-methods.js';

/** The simulator's memory of Stripe objects. Wire shapes are rendered from these by `objects.ts`. */
export type Metadata = Record<string, string>;

export interface CustomerRec {
  id: string;
  created: number;
  email: string | null;
  name: string | null;
  phone: string | null;
  description: string | null;
  metadata: Metadata;
}

export interface BillingDetails {
  name: string | null;
  email: string | null;
  phone: string | null;
  address: Record<string, string | null> | null;
}

export interface CardDetails {
  brand: string;
  funding: string;
  last4: string;
  expMonth: number;
  expYear: number;
  fingerprint: string;
  decline?: CardDecline;
  /** Attaching to a customer succeeds (declining cards fail the attach check, except Stripe's 0341). */
  attachable: boolean;
  dispute?: string;
}

export interface BankDetails {
  last4: string;
  routingNumber: string;
  accountHolderType: 'individual' | 'company';
  accountType: 'checking' | 'savings';
  fingerprint: string;
  outcome: BankOutcome;
}

export interface PaymentMethodRec {
  id: string;
  created: number;
  type: 'card' | 'us_bank_account';
  customer: string | null;
  billing: BillingDetails;
  metadata: Metadata;
  card?: CardDetails;
  bank?: BankDetails;
}

export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_capture'
  | 'processing'
  | 'succeeded'
  | 'canceled';

export interface PaymentErrorRec {
  type: string;
  code: string;
  declineCode?: string;
  message: string;
  param?: string;
  paymentMethod: string;
  charge?: string;
}

export interface PaymentIntentRec {
  id: string;
  created: number;
  amount: number;
  currency: string;
  customer: string | null;
  paymentMethod: string | null;
  paymentMethodTypes: string[];
  allowedPaymentMethodTypes: string[] | null;
  captureMethod: 'automatic' | 'automatic_async' | 'manual';
  status: PaymentIntentStatus;
  amountCapturable: number;
  amountReceived: number;
  latestCharge: string | null;
  description: string | null;
  metadata: Metadata;
  canceledAt: number | null;
  cancellationReason: string | null;
  lastPaymentError: PaymentErrorRec | null;
  mandate: string | null;
  offSession: boolean;
  /** Successful captures, for the ledger (a second one would be a double charge). */
  captureCount: number;
}

export interface ChargeRec {
  id: string;
  created: number;
  amount: number;
  amountCaptured: number;
  amountRefunded: number;
  captured: boolean;
  status: 'succeeded' | 'pending' | 'failed';
  failureCode: string | null;
  failureMessage: string | null;
  /** The NACHA return code behind a failed bank debit (Stripe shows only `failure_code`). */
  returnCode: string | null;
  outcome: Record<string, unknown>;
  paymentIntent: string;
  paymentMethod: string;
  customer: string | null;
  currency: string;
  description: string | null;
  metadata: Metadata;
  dispute: string | null;
  balanceTransaction: string | null;
}

export interface RefundRec {
  id: string;
  created: number;
  amount: number;
  charge: string;
  paymentIntent: string;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed' | 'canceled';
  reason: string | null;
  metadata: Metadata;
}

export interface DisputeRec {
  id: string;
  created: number;
  amount: number;
  charge: string;
  paymentIntent: string;
  currency: string;
  reason: string;
  status: 'needs_response' | 'under_review' | 'won' | 'lost';
}

export interface MandateRec {
  id: string;
  paymentMethod: string;
  customerAcceptance: Record<string, unknown>;
}

export interface StripeStore {
  customers: Map<string, CustomerRec>;
  paymentMethods: Map<string, PaymentMethodRec>;
  paymentIntents: Map<string, PaymentIntentRec>;
  charges: Map<string, ChargeRec>;
  refunds: Map<string, RefundRec>;
  disputes: Map<string, DisputeRec>;
  mandates: Map<string, MandateRec>;
}

export const createStore = (): StripeStore => ({
  customers: new Map(),
  paymentMethods: new Map(),
  paymentIntents: new Map(),
  charges: new Map(),
  refunds: new Map(),
  disputes: new Map(),
  mandates: new Map(),
});

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function stripeId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALNUM[b % ALNUM.length];
  return `${prefix}_${out}`;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
