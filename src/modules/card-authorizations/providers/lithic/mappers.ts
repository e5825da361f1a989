import {
  type CardMessageDraft,
  type CardMessageKind,
  type DraftRules,
  finalizeDraft,
  type ParseResult,
  parseFailure,
} from '../../domain/messages.js';
import { headerValue, type RelayHeaders } from '../../domain/relay.js';
import {
  ASA_STATUSES,
  type LithicAsaRequest,
  type LithicTransaction,
  type LithicTransactionEvent,
  lithicAsaRequestSchema,
  lithicTransactionSchema,
} from './wire.js';

export const LITHIC_PROVIDER = 'lithic';

export const LITHIC_RULES: DraftRules = {
  cardIdPattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
};

/** Lithic's country field allows QZZ for Kosovo; Plinth uses the common user-assigned XKX. */
const country = (raw: string | null | undefined) => (raw?.trim().toUpperCase() === 'QZZ' ? 'XKX' : raw);

type Merchant = LithicAsaRequest['merchant'];
const merchant = (m: Merchant): CardMessageDraft['merchant'] => ({
  merchantId: m?.acceptor_id,
  acquirerId: m?.acquiring_institution_id,
  mcc: m?.mcc,
  name: m?.descriptor,
  country: country(m?.country),
  postalCode: m?.postal_code,
  city: m?.city,
});

const asaKind: Record<(typeof ASA_STATUSES)[number], CardMessageKind> = {
  AUTHORIZATION: 'authorization',
  FINANCIAL_AUTHORIZATION: 'authorization',
  CREDIT_AUTHORIZATION: 'refund',
  FINANCIAL_CREDIT_AUTHORIZATION: 'refund',
  BALANCE_INQUIRY: 'balance_inquiry',
};
const isAsaStatus = (s: string | null | undefined): s is (typeof ASA_STATUSES)[number] =>
  (ASA_STATUSES as readonly string[]).includes(s ?? '');

/** An earlier authorization event on the same transaction makes this request an increment. */
function hasPriorAuthorization(events: unknown[] | null | undefined): boolean {
  return (events ?? []).some(
    (e) =>
      typeof e === 'object' &&
      e !== null &&
      ['AUTHORIZATION', 'FINANCIAL_AUTHORIZATION'].includes(String((e as { type?: unknown }).type)),
  );
}

function asaDraft(req: LithicAsaRequest, headers: RelayHeaders): CardMessageDraft {
  const status = req.status;
  // AUTHORIZATION_ADVICE on the ASA channel: Lithic informs, the answer is a plain approval of receipt.
  const advice = status === 'AUTHORIZATION_ADVICE';
  let kind: CardMessageKind = advice ? 'advice' : isAsaStatus(status) ? asaKind[status] : 'authorization';
  if (kind === 'authorization' && hasPriorAuthorization(req.events)) kind = 'incremental_authorization';
  const cardholder = req.amounts?.cardholder;
  const merchantAmount = req.amounts?.merchant;
  return {
    kind,
    provider: LITHIC_PROVIDER,
    externalId: req.token,
    // `webhook-id` is unique per message and kept across Lithic's redeliveries.
    messageId: headerValue(headers, 'webhook-id') ?? req.event_token,
    requiresDecision: !advice,
    amount: cardholder?.amount ?? req.authorization_amount ?? req.amount,
    currency: cardholder?.currency ?? req.cardholder_currency,
    cardId: req.card?.token,
    merchant: merchant(req.merchant),
    occurredAt: req.created,
    isPartialAllowed: req.pos?.terminal?.partial_approval_capable ?? false,
    singleMessage: status === 'FINANCIAL_AUTHORIZATION' || status === 'FINANCIAL_CREDIT_AUTHORIZATION',
    merchantAmount:
      typeof merchantAmount?.amount === 'number' && merchantAmount.currency
        ? { amount: merchantAmount.amount, currency: merchantAmount.currency }
        : typeof req.merchant_amount === 'number' && req.merchant_currency
          ? { amount: req.merchant_amount, currency: req.merchant_currency }
          : null,
    extras: {
      channel: 'asa',
      eventType: req.event_type ?? null,
      lithicStatus: status ?? null,
      cardState: req.card?.state ?? null,
      network: req.network ?? null,
      merchantState: req.merchant?.state ?? null,
    },
  };
}

/** What each transaction event type means for the hold. Debits that settle are clearings, credits refunds. */
const EVENT_KIND: Record<string, CardMessageKind> = {
  CLEARING: 'clearing',
  CORRECTION_DEBIT: 'clearing',
  RETURN_REVERSAL: 'clearing',
  RETURN: 'refund',
  CORRECTION_CREDIT: 'refund',
  AUTHORIZATION_REVERSAL: 'reversal',
  AUTHORIZATION_EXPIRY: 'expiry',
};
const AUTHORIZING_EVENTS = new Set(['AUTHORIZATION', 'FINANCIAL_AUTHORIZATION', 'AUTHORIZATION_ADVICE']);

/** The newest event: the one this `card_transaction.updated` delivery is about. */
function latestEvent(events: LithicTransactionEvent[]): LithicTransactionEvent | undefined {
  let latest: LithicTransactionEvent | undefined;
  for (const e of events) if (!latest || (e.created ?? '') >= (latest.created ?? '')) latest = e;
  return latest;
}

function transactionDraft(tx: LithicTransaction): CardMessageDraft | undefined {
  const events = tx.events ?? [];
  const event = latestEvent(events);
  if (!event) return undefined;
  const kind = EVENT_KIND[event.type ?? ''] ?? 'advice';
  const raw = event.amounts?.cardholder?.amount ?? event.amount;
  return {
    kind,
    provider: LITHIC_PROVIDER,
    externalId: tx.token,
    messageId: event.token,
    requiresDecision: false,
    // Direction comes from the event type (and effective_polarity); amounts are normalized to positive.
    amount: typeof raw === 'number' ? Math.abs(raw) : raw,
    currency: event.amounts?.cardholder?.currency ?? tx.amounts?.cardholder?.currency,
    cardId: tx.card_token,
    merchant: merchant(tx.merchant),
    occurredAt: event.created ?? tx.created,
    forcePost: kind === 'clearing' && !events.some((e) => AUTHORIZING_EVENTS.has(e.type ?? '')),
    settlementId: kind === 'clearing' || kind === 'refund' ? (event.token ?? null) : null,
    extras: {
      channel: 'webhook',
      eventType: tx.event_type ?? null,
      lithicEventType: event.type ?? null,
      lithicResult: event.result ?? null,
      polarity: event.effective_polarity ?? null,
      transactionStatus: tx.status ?? null,
    },
  };
}

/** Reads a Lithic ASA request or transaction event (already JSON-decoded). */
export function parseLithicPayload(
  json: Record<string, unknown> | undefined,
  headers: RelayHeaders,
): ParseResult {
  if (!json) return parseFailure('invalid_request', 'not a JSON object', true);
  const eventType = typeof json.event_type === 'string' ? json.event_type : undefined;
  const isTransaction =
    eventType === 'card_transaction.updated' ||
    (eventType === undefined && Array.isArray(json.events) && !json.card);

  if (isTransaction) {
    const tx = lithicTransactionSchema.parse(json);
    const draft = transactionDraft(tx);
    if (!draft)
      return parseFailure('invalid_request', 'transaction without events', false, {
        externalId: tx.token ?? null,
        cardId: tx.card_token ?? null,
      });
    return finalizeDraft(draft, LITHIC_RULES);
  }

  if (eventType !== undefined && eventType !== 'card_authorization.approval_request')
    return parseFailure('unsupported_message', `unhandled event type ${eventType}`, false);

  const req = lithicAsaRequestSchema.parse(json);
  if (!isAsaStatus(req.status) && req.status !== 'AUTHORIZATION_ADVICE')
    return parseFailure('invalid_request', `unknown ASA status ${req.status ?? '(none)'}`, true, {
      externalId: req.token ?? null,
      cardId: req.card?.token ?? null,
    });
  return finalizeDraft(asaDraft(req, headers), LITHIC_RULES);
}
