import Stripe from 'stripe';
import { alpha2, type CardAuthOptions, nowSeconds, randomAlnum } from '../shared/card-client.js';
import { stripeCategoryOf } from './categories.js';

/**
 * Builders for the Stripe objects an Issuing integration receives, shaped after Stripe's API reference
 * (Issuing Authorization, Issuing Transaction, Event). Amounts are minor units, currencies lower case,
 * countries alpha-2, as Stripe sends them.
 */
export interface StripeSimAuthorization {
  id: string;
  cardId: string;
  currency: string;
  /** Held so far. */
  amount: number;
  status: 'pending' | 'closed' | 'reversed' | 'expired';
  approved: boolean;
  merchantData: Record<string, unknown>;
  acquirerId: string;
  requestHistory: Record<string, unknown>[];
  created: number;
  partialAllowed: boolean;
}

export const stripeId = (prefix: string): string => `${prefix}_${randomAlnum(24)}`;

export function merchantData(o: CardAuthOptions): Record<string, unknown> {
  const mcc = o.mcc ?? '5411';
  return {
    category: stripeCategoryOf(mcc),
    category_code: mcc,
    city: o.city ?? 'San Francisco',
    country: alpha2(o.country ?? 'US'),
    name: o.merchantName ?? 'Rocket Rides Grocery',
    network_id: o.merchantId ?? '1234567890',
    postal_code: o.postalCode === undefined ? '94103' : o.postalCode,
    state: o.state ?? 'CA',
    tax_id: null,
    terminal_id: '99999999',
    url: null,
  };
}

export function newAuthorization(o: CardAuthOptions): StripeSimAuthorization {
  return {
    id: stripeId('iauth'),
    cardId: o.cardId ?? stripeId('ic'),
    currency: (o.currency ?? 'usd').toLowerCase(),
    amount: 0,
    status: 'pending',
    approved: false,
    merchantData: merchantData(o),
    acquirerId: o.acquirerId ?? '000000123456',
    requestHistory: [],
    created: nowSeconds(),
    partialAllowed: o.partialAllowed ?? false,
  };
}

/** The Issuing Authorization object; `pendingAmount` set renders it as during `issuing_authorization.request`. */
export function authorizationObject(
  a: StripeSimAuthorization,
  pendingAmount?: number,
): Record<string, unknown> {
  return {
    id: a.id,
    object: 'issuing.authorization',
    amount: a.amount,
    amount_details: { atm_fee: null, cashback_amount: null },
    approved: a.approved,
    authorization_method: 'online',
    balance_transactions: [],
    card: {
      id: a.cardId,
      object: 'issuing.card',
      brand: 'Visa',
      cardholder: { id: 'ich_1MsKAB2eZvKYlo2C3eZ2BdvK', object: 'issuing.cardholder', type: 'individual' },
      currency: a.currency,
      exp_month: 8,
      exp_year: 2029,
      last4: '4242',
      livemode: false,
      status: 'active',
      type: 'virtual',
    },
    card_presence: 'not_present',
    cardholder: 'ich_1MsKAB2eZvKYlo2C3eZ2BdvK',
    created: a.created,
    currency: a.currency,
    fleet: null,
    fuel: null,
    livemode: false,
    merchant_amount: pendingAmount ?? a.amount,
    merchant_currency: a.currency,
    merchant_data: a.merchantData,
    metadata: {},
    network_data: {
      acquiring_institution_id: a.acquirerId,
      system_trace_audit_number: '123456',
      transaction_id: '380331569425587',
    },
    pending_request:
      pendingAmount === undefined
        ? null
        : {
            amount: pendingAmount,
            amount_details: { atm_fee: null, cashback_amount: null },
            currency: a.currency,
            is_amount_controllable: a.partialAllowed,
            merchant_amount: pendingAmount,
            merchant_currency: a.currency,
            network_risk_score: 12,
          },
    request_history: a.requestHistory,
    status: a.status,
    transactions: [],
    verification_data: {
      address_line1_check: 'not_provided',
      address_postal_code_check: 'match',
      authentication_exemption: null,
      cvc_check: 'match',
      expiry_check: 'match',
      postal_code: '94103',
      three_d_secure: null,
    },
    verified_by_fraud_challenge: null,
    wallet: null,
  };
}

export interface TransactionSpec {
  type: 'capture' | 'refund';
  /** Positive minor units; the builder applies Stripe's sign. */
  amount: number;
  currency: string;
  cardId: string;
  authorizationId: string | null;
  merchantData: Record<string, unknown>;
}

export function transactionObject(t: TransactionSpec): Record<string, unknown> {
  const signed = t.type === 'capture' ? -t.amount : t.amount;
  return {
    id: stripeId('ipi'),
    object: 'issuing.transaction',
    amount: signed,
    amount_details: { atm_fee: null, cashback_amount: null },
    authorization: t.authorizationId,
    balance_transaction: stripeId('txn'),
    card: t.cardId,
    cardholder: 'ich_1MsKAB2eZvKYlo2C3eZ2BdvK',
    created: nowSeconds(),
    currency: t.currency,
    dispute: null,
    livemode: false,
    merchant_amount: signed,
    merchant_currency: t.currency,
    merchant_data: t.merchantData,
    metadata: {},
    network_data: { authorization_code: 'S12345', processing_date: null, transaction_id: '380331569425587' },
    type: t.type,
    wallet: null,
  };
}

/** The Event envelope Stripe POSTs to webhook endpoints. */
export function eventEnvelope(
  type: string,
  object: Record<string, unknown>,
  opts: { apiVersion?: string; previousAttributes?: Record<string, unknown> } = {},
): Record<string, unknown> {
  return {
    id: stripeId('evt'),
    object: 'event',
    api_version: opts.apiVersion ?? Stripe.API_VERSION,
    created: nowSeconds(),
    data: opts.previousAttributes ? { object, previous_attributes: opts.previousAttributes } : { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}
