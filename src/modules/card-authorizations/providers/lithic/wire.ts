import { z } from 'zod';
import { optBoolean, optNumber, optObject, optString } from '../../domain/lenient.js';

/**
 * The parts of Lithic's payloads the relay reads, after Lithic's API reference and the `lithic` SDK's types:
 * the Auth Stream Access request (`card_authorization.approval_request`, the `CardAuthorization` schema) and
 * the `card_transaction.updated` event (the `Transaction` schema with its `events`).
 * Amounts are minor units; countries ISO 3166-1 alpha-3 (plus QZZ for Kosovo, ANT for the Netherlands Antilles).
 */
const amountPart = optObject({ amount: optNumber, currency: optString });

export const lithicMerchantSchema = optObject({
  acceptor_id: optString,
  acquiring_institution_id: optString,
  city: optString,
  country: optString,
  descriptor: optString,
  mcc: optString,
  state: optString,
  postal_code: optString,
});

/** The ASA request statuses Lithic documents for `CardAuthorization.status`. */
export const ASA_STATUSES = [
  'AUTHORIZATION',
  'CREDIT_AUTHORIZATION',
  'FINANCIAL_AUTHORIZATION',
  'FINANCIAL_CREDIT_AUTHORIZATION',
  'BALANCE_INQUIRY',
] as const;

export const lithicAsaRequestSchema = z.looseObject({
  token: optString,
  event_type: optString,
  /** Only for programs in Lithic's beta; the `webhook-id` header is the message id otherwise. */
  event_token: optString,
  status: optString,
  /** Deprecated flat amounts, still sent; `amounts` is preferred. */
  amount: optNumber,
  authorization_amount: optNumber,
  cardholder_currency: optString,
  merchant_amount: optNumber,
  merchant_currency: optString,
  amounts: optObject({
    cardholder: amountPart,
    merchant: amountPart,
    hold: amountPart,
    settlement: amountPart,
  }),
  card: optObject({ token: optString, state: optString, type: optString, last_four: optString }),
  merchant: lithicMerchantSchema,
  created: optString,
  network: optString,
  transaction_initiator: optString,
  pos: optObject({ terminal: optObject({ partial_approval_capable: optBoolean }) }),
  /** Earlier events of the transaction, in the older ASA format; used to spot incremental authorizations. */
  events: z.array(z.unknown()).nullish().catch(undefined),
});
export type LithicAsaRequest = z.infer<typeof lithicAsaRequestSchema>;

export const lithicTransactionEventSchema = z.looseObject({
  token: optString,
  type: optString,
  /** Deprecated; `amounts.cardholder` is preferred. */
  amount: optNumber,
  amounts: optObject({ cardholder: amountPart, merchant: amountPart, settlement: amountPart }),
  created: optString,
  result: optString,
  effective_polarity: optString,
});
export type LithicTransactionEvent = z.infer<typeof lithicTransactionEventSchema>;

export const lithicTransactionSchema = z.looseObject({
  token: optString,
  event_type: optString,
  status: optString,
  card_token: optString,
  created: optString,
  merchant: lithicMerchantSchema,
  amounts: optObject({
    cardholder: amountPart,
    merchant: amountPart,
    hold: amountPart,
    settlement: amountPart,
  }),
  merchant_currency: optString,
  events: z.array(lithicTransactionEventSchema).nullish().catch(undefined),
});
export type LithicTransaction = z.infer<typeof lithicTransactionSchema>;

/** The `result` values an ASA answer may carry; anything else Lithic treats as a decline (CUSTOM_ASA_RESULT). */
export const ASA_RESULTS = [
  'APPROVED',
  'AVS_INVALID',
  'CARD_PAUSED',
  'INSUFFICIENT_FUNDS',
  'UNAUTHORIZED_MERCHANT',
  'VELOCITY_EXCEEDED',
  'DRIVER_NUMBER_INVALID',
  'VEHICLE_NUMBER_INVALID',
  'SUSPECTED_FRAUD',
  'CHALLENGE',
] as const;
export type AsaResult = (typeof ASA_RESULTS)[number];

/** The ASA answer: `token` echoes the request; `approved_amount` only for a partial approval. */
export interface AsaAnswer {
  token?: string;
  result: AsaResult;
  approved_amount?: number;
}
