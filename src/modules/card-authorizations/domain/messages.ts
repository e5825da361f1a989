import { isAlpha3 } from '../../../kernel/countries.js';
import { isCurrencyCode, type Minor } from '../../../kernel/money.js';

/**
 * The normalized contract between relay adapters (one per card-issuing platform) and the decision engine.
 * An adapter turns the platform's webhook into a CardMessage, the engine answers with a Decision, and the adapter
 * renders that Decision in the platform's own response format.
 *
 * Amounts are positive minor units in the card's (cardholder billing) currency; the direction is in `kind`.
 */
export const CARD_MESSAGE_KINDS = [
  /** A new hold is requested. */
  'authorization',
  /** More is requested on an existing authorization; `amount` is the additional amount. */
  'incremental_authorization',
  /** The cardholder asks for a balance; nothing is held. */
  'balance_inquiry',
  /** The merchant released part or all of a hold; `amount` is the released part. */
  'reversal',
  /** Money moved to the merchant (capture). `forcePost` when no authorization preceded it. */
  'clearing',
  /** Money came back to the card (refund, return, credit correction). */
  'refund',
  /** The platform dropped what was left of a hold; `amount` is what it released, when it says. */
  'expiry',
  /** Information only (a platform-side decision, a stand-in approval, a status change); nothing to answer. */
  'advice',
] as const;
export type CardMessageKind = (typeof CARD_MESSAGE_KINDS)[number];

/** Kinds whose amount may legitimately be zero. Every other kind needs a positive amount. */
const ZERO_AMOUNT_KINDS: ReadonlySet<CardMessageKind> = new Set(['balance_inquiry', 'expiry', 'advice']);

export interface CardMerchant {
  /** Card acceptor id assigned by the acquirer / network. */
  merchantId: string;
  /** Acquiring institution id, when the platform passes it on. */
  acquirerId: string | null;
  /** ISO 18245 merchant category code, four digits. */
  mcc: string;
  name: string | null;
  /** ISO 3166-1 alpha-3. Always present on messages that need a decision; may be null on notifications. */
  country: string | null;
  postalCode: string | null;
  city: string | null;
}

export interface CardMessage {
  kind: CardMessageKind;
  /** The platform key (`stripe_issuing`, `lithic`, `generic`). */
  provider: string;
  /** The platform's authorization id: stable across the authorization's lifecycle, unique per provider. */
  externalId: string;
  /** Unique per delivered message, stable across the platform's redeliveries, so replays are detectable. */
  messageId: string;
  /** True when the platform waits for an approve/decline answer (the relay's deadline applies). */
  requiresDecision: boolean;
  amount: Minor;
  /** ISO 4217 alpha code, upper case. */
  currency: string;
  cardId: string;
  merchant: CardMerchant;
  /** ISO 8601 instant (UTC). */
  occurredAt: string;
  /** The terminal can take less than requested. */
  isPartialAllowed: boolean;
  /** Authorization and settlement in one message (ATM/PIN debit): no clearing will follow. */
  singleMessage: boolean;
  /** A clearing that arrived without any prior authorization. */
  forcePost: boolean;
  /** The platform's id of the settled record (Stripe `ipi_…`, Lithic event token), for clearings and refunds. */
  settlementId: string | null;
  /** The amount the merchant presented, in its own currency, when the platform reports it. */
  merchantAmount: { amount: Minor; currency: string } | null;
  /** Platform details kept for audit and debugging (wire event type, API version, raw status…). */
  extras: Readonly<Record<string, string | number | boolean | null>>;
}

export const DECISION_REASONS = [
  'approved',
  'no_category',
  'no_line_of_credit',
  'insufficient_credits',
  'card_inactive',
  'category_terminated',
  'invalid_request',
  'unknown_card',
  'invalid_amount',
  'invalid_currency',
  'invalid_merchant',
  /** Text the database cannot store (a NUL character, an unpaired UTF-16 surrogate) in any field of the message. */
  'invalid_characters',
  /** The lines of credit are kept in another currency than the payment's. */
  'currency_mismatch',
  /** The tenant has no expense-category or line-of-credit resolver configured. */
  'resolver_not_configured',
  'resolver_failed',
  /** The relay's provider config is inactive: it still books lifecycle messages but approves nothing new. */
  'relay_disabled',
  'timeout_fallback',
  'over_reversal',
  'unsupported_message',
] as const;
export type DecisionReason = (typeof DECISION_REASONS)[number];

export interface Decision {
  approved: boolean;
  reasonCode: DecisionReason;
  /** Less than the requested amount means a partial approval (only honoured when the terminal allows it). */
  approvedAmount?: Minor;
}

/** Whatever could be read from a message that failed validation, so the relay can still answer the network. */
export interface PartialIds {
  externalId: string | null;
  messageId: string | null;
  cardId: string | null;
  /** The platform's API version read from the payload, if any (Stripe answers must carry one). */
  wireVersion: string | null;
}

export type ParseFailure = {
  ok: false;
  declineReason: DecisionReason;
  /** Human-readable reason, for logs; never contains secrets. */
  detail: string;
  /** Whether the platform is waiting for a decision. Unknown payloads count as requests, so they get declined. */
  requiresDecision: boolean;
  partialIds: PartialIds;
};
export type ParseResult = { ok: true; message: CardMessage } | ParseFailure;

/** What an adapter has read off the wire before validation. Loose on purpose: validation decides. */
export interface CardMessageDraft {
  kind: CardMessageKind;
  provider: string;
  externalId: string | null | undefined;
  messageId: string | null | undefined;
  requiresDecision: boolean;
  amount: number | null | undefined;
  currency: string | null | undefined;
  cardId: string | null | undefined;
  merchant: {
    merchantId: string | null | undefined;
    acquirerId: string | null | undefined;
    mcc: string | null | undefined;
    name: string | null | undefined;
    /** Already converted to alpha-3 by the adapter when the platform sends alpha-2. */
    country: string | null | undefined;
    postalCode: string | null | undefined;
    city: string | null | undefined;
  };
  occurredAt: string | null | undefined;
  isPartialAllowed?: boolean;
  singleMessage?: boolean;
  forcePost?: boolean;
  settlementId?: string | null;
  merchantAmount?: { amount: number; currency: string } | null;
  extras?: Record<string, string | number | boolean | null>;
  wireVersion?: string | null;
}

export interface DraftRules {
  /** The platform's card id format (e.g. `ic_…` for Stripe, a UUID for Lithic). */
  cardIdPattern: RegExp;
}

const MCC_RE = /^\d{4}$/;
const blank = (s: string | null | undefined): s is null | undefined =>
  s === null || s === undefined || s.trim() === '';
const orNull = (s: string | null | undefined): string | null => (blank(s) ? null : s.trim());

export function parseFailure(
  declineReason: DecisionReason,
  detail: string,
  requiresDecision: boolean,
  ids: Partial<PartialIds> = {},
): ParseFailure {
  return {
    ok: false,
    declineReason,
    detail,
    requiresDecision,
    partialIds: {
      externalId: ids.externalId ?? null,
      messageId: ids.messageId ?? null,
      cardId: ids.cardId ?? null,
      wireVersion: ids.wireVersion ?? null,
    },
  };
}

/**
 * Validates a draft into a CardMessage, or into a decline reason. Never throws: a relay must always be able to
 * answer the network. Checks run from the most basic (ids) to the most specific (merchant), so the reason names
 * the first thing that is wrong.
 */
export function finalizeDraft(d: CardMessageDraft, rules: DraftRules): ParseResult {
  const ids: PartialIds = {
    externalId: orNull(d.externalId),
    messageId: orNull(d.messageId),
    cardId: orNull(d.cardId),
    wireVersion: d.wireVersion ?? null,
  };
  const checked = validate(d, rules, ids);
  return Array.isArray(checked)
    ? parseFailure(checked[0], checked[1], d.requiresDecision, ids)
    : { ok: true, message: checked };
}

type Problem = [DecisionReason, string];
// A plain function rather than a closure over the draft: a function created per message costs every decision.
const fail = (reason: DecisionReason, detail: string): Problem => [reason, detail];

function validate(d: CardMessageDraft, rules: DraftRules, ids: PartialIds): CardMessage | Problem {
  if (ids.externalId === null) return fail('invalid_request', 'missing authorization id');
  if (ids.messageId === null) return fail('invalid_request', 'missing message id');
  if (ids.cardId === null) return fail('unknown_card', 'missing card id');
  if (!rules.cardIdPattern.test(ids.cardId))
    return fail('unknown_card', 'card id is not in the platform format');

  const amount = d.amount;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount))
    return fail('invalid_amount', 'amount must be an integer of minor units');
  if (amount < 0 || (amount === 0 && !ZERO_AMOUNT_KINDS.has(d.kind)))
    return fail('invalid_amount', `amount must be positive for ${d.kind}`);

  const currency = orNull(d.currency)?.toUpperCase() ?? null;
  if (currency === null || !isCurrencyCode(currency))
    return fail('invalid_currency', 'currency must be an ISO 4217 code');

  const m = d.merchant;
  const mcc = orNull(m.mcc);
  if (mcc === null || !MCC_RE.test(mcc)) return fail('invalid_merchant', 'mcc must be four digits');
  const merchantId = orNull(m.merchantId);
  if (merchantId === null) return fail('invalid_merchant', 'missing merchant id');
  const country = orNull(m.country)?.toUpperCase() ?? null;
  if (country !== null && !isAlpha3(country))
    return fail('invalid_merchant', 'merchant country must be ISO 3166-1 alpha-3');
  if (country === null && d.requiresDecision) return fail('invalid_merchant', 'missing merchant country');

  const occurred = orNull(d.occurredAt);
  const occurredMs = occurred === null ? Number.NaN : Date.parse(occurred);
  if (Number.isNaN(occurredMs)) return fail('invalid_request', 'occurred_at must be an ISO 8601 instant');

  const ma = d.merchantAmount;
  const merchantAmount =
    ma && Number.isSafeInteger(ma.amount) && isCurrencyCode(ma.currency.toUpperCase())
      ? { amount: Math.abs(ma.amount), currency: ma.currency.toUpperCase() }
      : null;

  return {
    kind: d.kind,
    provider: d.provider,
    externalId: ids.externalId,
    messageId: ids.messageId,
    requiresDecision: d.requiresDecision,
    amount,
    currency,
    cardId: ids.cardId,
    merchant: {
      merchantId,
      acquirerId: orNull(m.acquirerId),
      mcc,
      name: orNull(m.name),
      country,
      postalCode: orNull(m.postalCode),
      city: orNull(m.city),
    },
    occurredAt: new Date(occurredMs).toISOString(),
    isPartialAllowed: d.isPartialAllowed ?? false,
    singleMessage: d.singleMessage ?? false,
    forcePost: d.forcePost ?? false,
    settlementId: d.settlementId ?? null,
    merchantAmount,
    extras: { ...(d.extras ?? {}) },
  };
}

/** Whether the platform is waiting for an approve/decline answer to this (possibly invalid) message. */
export const awaitsDecision = (parsed: ParseResult): boolean =>
  parsed.ok ? parsed.message.requiresDecision : parsed.requiresDecision;

/** The decision the relay gives when the engine does not answer within the deadline. */
export function fallbackDecision(fallback: 'approve' | 'decline', parsed: ParseResult): Decision {
  // An invalid message is never approved, whatever the configured fallback.
  if (!parsed.ok) return { approved: false, reasonCode: parsed.declineReason };
  return { approved: fallback === 'approve', reasonCode: 'timeout_fallback' };
}

/**
 * The decision as the network can carry it. A partial approval is only possible when the terminal accepts one;
 * otherwise approving less than requested is a decline. Approving more than requested is a full approval.
 */
export function effectiveDecision(decision: Decision, parsed: ParseResult): Decision {
  if (!parsed.ok) return { approved: false, reasonCode: parsed.declineReason };
  if (!decision.approved) return { approved: false, reasonCode: decision.reasonCode };
  const requested = parsed.message.amount;
  const granted = decision.approvedAmount;
  if (granted === undefined || granted >= requested)
    return { approved: true, reasonCode: decision.reasonCode };
  if (granted > 0 && Number.isSafeInteger(granted) && parsed.message.isPartialAllowed)
    return { approved: true, reasonCode: decision.reasonCode, approvedAmount: granted };
  return {
    approved: false,
    reasonCode: decision.reasonCode === 'approved' ? 'insufficient_credits' : decision.reasonCode,
  };
}
