import { type DraftRules, finalizeDraft, type ParseResult, parseFailure } from '../../domain/messages.js';
import {
  GENERIC_DECISION_TYPES,
  GENERIC_MESSAGE_TYPES,
  type GenericMessageType,
  genericRequestSchema,
} from './wire.js';

export const GENERIC_PROVIDER = 'generic';

export const GENERIC_RULES: DraftRules = { cardIdPattern: /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,254}$/ };

const isType = (t: string | null | undefined): t is GenericMessageType =>
  (GENERIC_MESSAGE_TYPES as readonly string[]).includes(t ?? '');

/** Reads a generic relay message (already JSON-decoded). Countries must already be alpha-3 on this contract. */
export function parseGenericPayload(json: Record<string, unknown> | undefined): ParseResult {
  if (!json) return parseFailure('invalid_request', 'not a JSON object', true);
  const req = genericRequestSchema.parse(json);
  const ids = {
    externalId: req.authorization_id ?? null,
    messageId: req.id ?? null,
    cardId: req.card_id ?? null,
  };
  if (!isType(req.type)) {
    // An unknown type may be a request we cannot read: decline it rather than acknowledge.
    return parseFailure('invalid_request', `unknown type ${req.type ?? '(none)'}`, true, ids);
  }
  return finalizeDraft(
    {
      kind: req.type,
      provider: GENERIC_PROVIDER,
      externalId: req.authorization_id,
      messageId: req.id,
      requiresDecision: GENERIC_DECISION_TYPES.has(req.type),
      amount: req.amount,
      currency: req.currency,
      cardId: req.card_id,
      merchant: {
        merchantId: req.merchant?.id,
        acquirerId: req.merchant?.acquirer_id,
        mcc: req.merchant?.mcc,
        name: req.merchant?.name,
        country: req.merchant?.country,
        postalCode: req.merchant?.postal_code,
        city: req.merchant?.city,
      },
      occurredAt: req.occurred_at,
      isPartialAllowed: req.partial_allowed ?? false,
      forcePost: req.type === 'clearing' && (req.force_post ?? false),
      settlementId: req.settlement_id ?? null,
      extras: { genericType: req.type },
    },
    GENERIC_RULES,
  );
}
