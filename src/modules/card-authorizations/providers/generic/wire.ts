import { z } from 'zod';
import { optBoolean, optNumber, optObject, optString } from '../../domain/lenient.js';

/** Plinth's generic relay contract (docs/card-relay-generic.md). */
export const GENERIC_MESSAGE_TYPES = [
  'authorization',
  'incremental_authorization',
  'reversal',
  'clearing',
  'refund',
  'expiry',
] as const;
export type GenericMessageType = (typeof GENERIC_MESSAGE_TYPES)[number];

/** Types the platform waits on for a decision; the others are notifications. */
export const GENERIC_DECISION_TYPES: ReadonlySet<string> = new Set([
  'authorization',
  'incremental_authorization',
]);

export const genericRequestSchema = z.looseObject({
  type: optString,
  /** Unique per message (redeliveries keep it). */
  id: optString,
  /** Stable across the authorization's lifecycle. */
  authorization_id: optString,
  amount: optNumber,
  currency: optString,
  card_id: optString,
  merchant: optObject({
    id: optString,
    acquirer_id: optString,
    mcc: optString,
    name: optString,
    /** ISO 3166-1 alpha-3. */
    country: optString,
    postal_code: optString,
    city: optString,
  }),
  occurred_at: optString,
  partial_allowed: optBoolean,
  force_post: optBoolean,
  settlement_id: optString,
});
export type GenericRequest = z.infer<typeof genericRequestSchema>;

export interface GenericDecisionAnswer {
  decision: 'approved' | 'declined';
  reason: string;
  /** The amount approved (the full amount, a partial amount, or 0 when declined). */
  approved_amount: number;
  authorization_id: string | null;
}
