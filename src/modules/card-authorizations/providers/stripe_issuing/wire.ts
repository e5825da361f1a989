import { z } from 'zod';
import { optBoolean, optIdRef, optNumber, optObject, optString } from '../../domain/lenient.js';

/**
 * The parts of Stripe's webhook payloads the relay reads: the Event envelope, the Issuing Authorization
 * (`issuing_authorization.request|created|updated`) and the Issuing Transaction (`issuing_transaction.created`).
 * Field names and meanings follow Stripe's API reference and the `stripe` SDK's type definitions.
 */
export const stripeMerchantDataSchema = optObject({
  category: optString,
  category_code: optString,
  city: optString,
  /** ISO 3166-1 alpha-2. */
  country: optString,
  name: optString,
  network_id: optString,
  postal_code: optString,
  state: optString,
});

export const stripeAuthorizationSchema = z.looseObject({
  id: optString,
  object: optString,
  /** Held so far (0 during the first request); card currency, minor units. */
  amount: optNumber,
  /** Lower case ISO 4217. */
  currency: optString,
  approved: optBoolean,
  /** pending | closed | reversed | expired */
  status: optString,
  card: optIdRef,
  created: optNumber,
  merchant_amount: optNumber,
  merchant_currency: optString,
  merchant_data: stripeMerchantDataSchema,
  network_data: optObject({ acquiring_institution_id: optString, transaction_id: optString }),
  /** Only during `issuing_authorization.request`. */
  pending_request: optObject({
    /** The additional amount Stripe will hold if approved. */
    amount: optNumber,
    currency: optString,
    is_amount_controllable: optBoolean,
    merchant_amount: optNumber,
    merchant_currency: optString,
  }),
  /** Earlier decided requests on this authorization: non-empty means an incremental request. */
  request_history: z.array(z.unknown()).nullish().catch(undefined),
});
export type StripeAuthorization = z.infer<typeof stripeAuthorizationSchema>;

export const stripeTransactionSchema = z.looseObject({
  id: optString,
  object: optString,
  /** Stripe's sign: negative for a capture (money out of the balance), positive for a refund. */
  amount: optNumber,
  currency: optString,
  /** capture | refund */
  type: optString,
  /** Null for a force capture (no prior authorization) and for unlinked refunds. */
  authorization: optIdRef,
  card: optIdRef,
  created: optNumber,
  merchant_amount: optNumber,
  merchant_currency: optString,
  merchant_data: stripeMerchantDataSchema,
});
export type StripeTransaction = z.infer<typeof stripeTransactionSchema>;

export const stripeEventSchema = z.looseObject({
  id: optString,
  object: optString,
  type: optString,
  api_version: optString,
  created: optNumber,
  data: z.looseObject({
    object: z.record(z.string(), z.unknown()),
    previous_attributes: z.record(z.string(), z.unknown()).nullish().catch(undefined),
  }),
});
export type StripeEvent = z.infer<typeof stripeEventSchema>;

/** The synchronous answer to `issuing_authorization.request` (Stripe: "Issuing real-time authorizations"). */
export interface StripeAuthorizationAnswer {
  approved: boolean;
  /** Only when `pending_request.is_amount_controllable`; must be positive. */
  amount?: number;
  metadata?: Record<string, string>;
}
