import { toAlpha3 } from '../../../../kernel/countries.js';
import { unixToIso } from '../../domain/lenient.js';
import {
  type CardMessageDraft,
  type DraftRules,
  finalizeDraft,
  type ParseResult,
  parseFailure,
} from '../../domain/messages.js';
import { mccForCategory } from './categories.js';
import {
  type StripeAuthorization,
  type StripeEvent,
  stripeAuthorizationSchema,
  stripeEventSchema,
  stripeTransactionSchema,
} from './wire.js';

export const STRIPE_PROVIDER = 'stripe_issuing';

export const STRIPE_RULES: DraftRules = { cardIdPattern: /^ic_[A-Za-z0-9]+$/ };

/** Event types whose sender waits for the approve/decline answer. */
const REQUEST_EVENT = 'issuing_authorization.request';

type MerchantData = StripeAuthorization['merchant_data'];

/** Stripe sends alpha-2; an unknown code is kept as is so validation rejects it as a bad country. */
const country = (raw: string | null | undefined): string | null | undefined =>
  typeof raw === 'string' && raw.trim().length === 2 ? (toAlpha3(raw) ?? raw) : raw;

function merchant(md: MerchantData, acquirerId: string | null | undefined): CardMessageDraft['merchant'] {
  return {
    merchantId: md?.network_id,
    acquirerId,
    // The real MCC when Stripe gives it; the category's documented MCC otherwise.
    mcc: md?.category_code ?? (md?.category ? mccForCategory(md.category) : undefined),
    name: md?.name,
    country: country(md?.country),
    postalCode: md?.postal_code,
    city: md?.city,
  };
}

const baseExtras = (event: StripeEvent, md: MerchantData) => ({
  eventId: event.id ?? null,
  eventType: event.type ?? null,
  apiVersion: event.api_version ?? null,
  stripeCategory: md?.category ?? null,
  merchantState: md?.state ?? null,
});

// The draft is built once and then adjusted field by field: spreading an object and overriding some of its keys
// sends V8 down a slow path, and this runs on every real-time request.
function authorizationDraft(event: StripeEvent, auth: StripeAuthorization): CardMessageDraft {
  const draft: CardMessageDraft = {
    kind: 'advice',
    provider: STRIPE_PROVIDER,
    externalId: auth.id,
    messageId: event.id,
    requiresDecision: false,
    amount: auth.amount,
    currency: auth.currency,
    cardId: auth.card,
    merchant: merchant(auth.merchant_data, auth.network_data?.acquiring_institution_id),
    occurredAt: unixToIso(event.created) ?? unixToIso(auth.created),
    wireVersion: event.api_version,
    extras: { ...baseExtras(event, auth.merchant_data), status: auth.status ?? null },
    merchantAmount:
      typeof auth.merchant_amount === 'number' && auth.merchant_currency
        ? { amount: auth.merchant_amount, currency: auth.merchant_currency }
        : null,
  };

  if (event.type === REQUEST_EVENT) {
    const pending = auth.pending_request;
    const step = auth.request_history?.length ?? 0;
    draft.kind = step > 0 ? 'incremental_authorization' : 'authorization';
    // A request is named by its step in the authorization's request_history, not by its event: the same step sent
    // again under a new event id is a replay, and gets the answer already given (its id is in extras.eventId).
    if (auth.id) draft.messageId = `${auth.id}:request:${step}`;
    draft.requiresDecision = true;
    draft.amount = pending?.amount;
    draft.currency = pending?.currency;
    draft.isPartialAllowed = pending?.is_amount_controllable ?? false;
    draft.merchantAmount =
      typeof pending?.merchant_amount === 'number' && pending.merchant_currency
        ? { amount: pending.merchant_amount, currency: pending.merchant_currency }
        : null;
    return draft;
  }

  if (event.type === 'issuing_authorization.created') {
    // Stripe's record of the decision (ours, or its own on timeout / spending controls).
    draft.extras = { ...draft.extras, approved: auth.approved ?? null };
    return draft;
  }

  // issuing_authorization.updated: a lower amount or a final status means part of the hold was released.
  const previous = event.data.previous_attributes ?? {};
  const current = auth.amount ?? 0;
  const released = typeof previous.amount === 'number' ? previous.amount - current : current;
  if (auth.status === 'expired' || auth.status === 'closed') {
    // Expired, or closed after its capture: whatever is still held is dropped (a capture that arrives after
    // this still posts in full).
    draft.kind = 'expiry';
    draft.amount = Math.max(released, 0);
  } else if (released > 0 && (auth.status === 'reversed' || typeof previous.amount === 'number')) {
    draft.kind = 'reversal';
    draft.amount = released;
  } else {
    draft.amount = current;
  }
  return draft;
}

function transactionDraft(event: StripeEvent): CardMessageDraft {
  const tx = stripeTransactionSchema.parse(event.data.object);
  const isRefund = tx.type === 'refund';
  // Stripe signs amounts from the balance's side: captures are negative, refunds positive.
  const amount = typeof tx.amount === 'number' ? (isRefund ? tx.amount : -tx.amount) : undefined;
  return {
    kind: isRefund ? 'refund' : 'clearing',
    provider: STRIPE_PROVIDER,
    externalId: tx.authorization ?? tx.id,
    messageId: event.id,
    requiresDecision: false,
    amount,
    currency: tx.currency,
    cardId: tx.card,
    merchant: merchant(tx.merchant_data, null),
    occurredAt: unixToIso(tx.created) ?? unixToIso(event.created),
    forcePost: !isRefund && !tx.authorization,
    settlementId: tx.id ?? null,
    merchantAmount:
      typeof tx.merchant_amount === 'number' && tx.merchant_currency
        ? { amount: tx.merchant_amount, currency: tx.merchant_currency }
        : null,
    wireVersion: event.api_version,
    extras: { ...baseExtras(event, tx.merchant_data), transactionType: tx.type ?? null },
  };
}

/** Reads a Stripe webhook payload (already JSON-decoded) into a validated message or a decline reason. */
export function parseStripeEvent(json: Record<string, unknown> | undefined): ParseResult {
  const envelope = stripeEventSchema.safeParse(json);
  // Anything unreadable counts as a request: declining it is the safe answer on the synchronous endpoint.
  if (!envelope.success) return parseFailure('invalid_request', 'not a Stripe event', true);
  const event = envelope.data;
  const ids = { messageId: event.id ?? null, wireVersion: event.api_version ?? null };

  switch (event.type) {
    case REQUEST_EVENT:
    case 'issuing_authorization.created':
    case 'issuing_authorization.updated': {
      const auth = stripeAuthorizationSchema.parse(event.data.object);
      if (event.type === REQUEST_EVENT && !auth.pending_request)
        return parseFailure('invalid_request', 'authorization request without pending_request', true, {
          ...ids,
          externalId: auth.id ?? null,
          cardId: auth.card ?? null,
        });
      return finalizeDraft(authorizationDraft(event, auth), STRIPE_RULES);
    }
    case 'issuing_transaction.created':
      return finalizeDraft(transactionDraft(event), STRIPE_RULES);
    default:
      return parseFailure(
        'unsupported_message',
        `unhandled event type ${event.type ?? '(none)'}`,
        false,
        ids,
      );
  }
}
