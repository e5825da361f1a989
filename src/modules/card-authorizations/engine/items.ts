import { uuidv7 } from '../../../kernel/ids.js';
import type { CardMessage, DecisionReason, ParseFailure } from '../domain/messages.js';
import type { Resolved } from '../resolution.js';

/**
 * One message as `card_apply_batch` (migrations/0201) reads it: snake_case, because the function reads the batch
 * with jsonb_to_recordset. Everything the decision needs from the caches is in it, so the transaction touches
 * only the trackers and the request log.
 */
export type ItemKind = CardMessage['kind'] | 'invalid' | 'reconcile';

export interface BatchItem {
  /** Position in its batch; set when the batch is sent. */
  seq: number;
  tenant_id: string;
  /** The recorded provider: the relay's key, scoped to its config when its ids are (see CardRelay.idScope). */
  provider: string;
  external_id: string | null;
  message_id: string;
  provider_config_id: string | null;
  kind: ItemKind;
  amount: number;
  currency: string | null;
  card_id: string | null;
  owner_type: string | null;
  owner_ref: string | null;
  lines: string[];
  category_ids: string[];
  card_decline: DecisionReason | null;
  lines_decline: DecisionReason | null;
  invalid_reason: DecisionReason | null;
  detail: string | null;
  partial_allowed: boolean;
  single_message: boolean;
  requires_decision: boolean;
  /** The answer the relay already gave on its fallback, when it gave one before the batch was sent. */
  told: 'approve' | 'decline' | null;
  /** On an advice: whether the platform says the authorization was approved, when it says. */
  advice_approved: boolean | null;
  new_request_id: string;
  message_row_id: string;
  expires_at: string;
  occurred_at: string;
  merchant: Record<string, unknown>;
  metadata: Record<string, unknown>;
  payload: Record<string, unknown>;
}

export interface BatchResult {
  replay: boolean;
  approved: boolean;
  reasonCode: DecisionReason;
  approvedAmount: number;
  requestId: string | null;
  /** A draw or credit on a loan was queued in the funding outbox. */
  funded: boolean;
}

/** Where a message is recorded: its tenant, provider scope, config and hold expiry. */
export interface Binding {
  tenantId: string;
  provider: string;
  providerConfigId: string | null;
  holdExpiryDays: number;
  /** Decline every message that needs a decision with this reason (an inactive relay). */
  declineRequests?: DecisionReason | null;
}

/** Kinds that reserve credits: the card must be active for them. */
export const RESERVING_KINDS: ReadonlySet<ItemKind> = new Set([
  'authorization',
  'incremental_authorization',
  'balance_inquiry',
]);

const DAY_MS = 86_400_000;

function base(b: Binding, now: Date): Omit<BatchItem, 'kind' | 'message_id' | 'external_id'> {
  return {
    seq: 0,
    tenant_id: b.tenantId,
    provider: b.provider,
    provider_config_id: b.providerConfigId,
    amount: 0,
    currency: null,
    card_id: null,
    owner_type: null,
    owner_ref: null,
    lines: [],
    category_ids: [],
    card_decline: null,
    lines_decline: null,
    invalid_reason: null,
    detail: null,
    partial_allowed: false,
    single_message: false,
    requires_decision: false,
    told: null,
    advice_approved: null,
    new_request_id: uuidv7(),
    message_row_id: uuidv7(),
    expires_at: new Date(now.getTime() + b.holdExpiryDays * DAY_MS).toISOString(),
    occurred_at: now.toISOString(),
    merchant: {},
    metadata: {},
    payload: {},
  };
}

export function messageItem(b: Binding, m: CardMessage, r: Resolved, now: Date): BatchItem {
  const merchant = {
    merchant_id: m.merchant.merchantId,
    acquirer_id: m.merchant.acquirerId,
    mcc: m.merchant.mcc,
    name: m.merchant.name,
    country: m.merchant.country,
    postal_code: m.merchant.postalCode,
    city: m.merchant.city,
  };
  return {
    ...base(b, now),
    kind: m.kind,
    external_id: m.externalId,
    message_id: m.messageId,
    amount: m.amount,
    currency: m.currency,
    card_id: m.cardId,
    owner_type: r.card?.ownerType ?? null,
    owner_ref: r.card?.ownerRef ?? null,
    lines: r.lines,
    category_ids: r.categoryIds,
    card_decline: RESERVING_KINDS.has(m.kind) ? (b.declineRequests ?? r.cardDecline) : r.cardDecline,
    lines_decline: r.linesDecline,
    detail: r.detail,
    partial_allowed: m.isPartialAllowed,
    single_message: m.singleMessage,
    requires_decision: m.requiresDecision,
    advice_approved: typeof m.extras.approved === 'boolean' ? m.extras.approved : null,
    occurred_at: m.occurredAt,
    merchant,
    metadata: { expense_category_codes: r.categoryCodes, platform: m.extras },
    payload: {
      merchant,
      occurred_at: m.occurredAt,
      settlement_id: m.settlementId,
      merchant_amount: m.merchantAmount,
      force_post: m.forcePost,
      single_message: m.singleMessage,
      partial_allowed: m.isPartialAllowed,
      extras: m.extras,
    },
  };
}

/** A message that failed validation: recorded and declined, with whatever ids could be read. */
export function invalidItem(b: Binding, f: ParseFailure, now: Date): BatchItem {
  return {
    ...base(b, now),
    kind: 'invalid',
    external_id: f.partialIds.externalId,
    // Without an id of its own, a message cannot be recognised when replayed; it is recorded under a new one.
    message_id: f.partialIds.messageId ?? `unidentified:${uuidv7()}`,
    card_id: f.partialIds.cardId,
    invalid_reason: f.declineReason,
    detail: f.detail,
    requires_decision: f.requiresDecision,
    payload: { partial_ids: f.partialIds },
  };
}

/** Plinth's own expiry of a hold nobody released: an idempotent message per request. */
export function expiryItem(
  b: Binding,
  request: {
    id: string;
    externalId: string;
    currency: string;
    cardId: string;
    ownerType: string | null;
    ownerRef: string | null;
    amountAuthorized: number;
  },
  now: Date,
): BatchItem {
  return {
    ...base(b, now),
    kind: 'expiry',
    external_id: request.externalId,
    // Replays of the same expiry are no-ops; a request that reserved again since gets a new one.
    message_id: `plinth:expiry:${request.id}:${request.amountAuthorized}`,
    currency: request.currency,
    card_id: request.cardId,
    owner_type: request.ownerType,
    owner_ref: request.ownerRef,
    detail: 'released by Plinth after the configured hold expiry',
  };
}

/** The key under which two items may not share a batch: their authorization request. */
export const requestKey = (i: BatchItem): string =>
  `${i.tenant_id}|${i.provider}|${i.external_id ?? `#${i.message_id}`}`;

/** Items of one card owner go to the same shard, so a hot line's decisions gather in the same batches. */
export const shardKey = (i: BatchItem): string =>
  i.owner_ref
    ? `${i.tenant_id}|${i.owner_type}|${i.owner_ref}`
    : `${i.tenant_id}|${i.card_id ?? i.message_id}`;
