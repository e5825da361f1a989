import { uuidv7 } from '../../../kernel/ids.js';
import type { CardMessage, DecisionReason, ParseFailure } from '../domain/messages.js';
import type { Resolved } from './resolution.js';

/**
 * One message as `card_apply_batch` (sql/card_apply_batch.sql) reads it: the fields of its `card_batch_item` type,
 * in snake_case. Everything the decision needs from the caches is in it, so the transaction touches only the
 * trackers and the request log.
 */
export type ItemKind = CardMessage['kind'] | 'invalid' | 'reconcile';

export interface BatchItem {
  /** Position in its batch; set when the batch is sent. */
  seq: number;
  tenant_id: string;
  /** The recorded provider: the relay's key, scoped to its config when its ids are (see CardRelay.idScope). */
  provider: string;
  message_id: string;
  kind: ItemKind;
  amount: number;
  lines: string[];
  new_request_id: string;
  message_row_id: string;
  expires_at: string;
  occurred_at: string;
  // Optional fields are left out rather than null: the batch is smaller, and the function reads a missing
  // field as NULL (booleans as not true).
  external_id?: string;
  provider_config_id?: string;
  currency?: string;
  card_id?: string;
  owner_type?: string;
  owner_ref?: string;
  category_ids?: string[];
  card_decline?: DecisionReason;
  lines_decline?: DecisionReason;
  invalid_reason?: DecisionReason;
  detail?: string;
  partial_allowed?: true;
  single_message?: true;
  requires_decision?: true;
  /** The answer the relay already gave on its fallback, when it gave one before the batch was sent. */
  told?: 'approve' | 'decline';
  /** On an advice: whether the platform says the authorization was approved, when it says. */
  advice_approved?: boolean;
  // Stored as they are, into jsonb columns (the batch is read as jsonb).
  merchant?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  payload?: Record<string, unknown>;
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

const some = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);
const flag = (v: boolean): true | undefined => (v ? true : undefined);

// Items are built field by field: an object spread followed by overriding keys sends V8 down a slow path
// (tens of microseconds per item, on every decision).
function base(b: Binding, now: Date, kind: ItemKind, messageId: string, occurredAt?: string): BatchItem {
  return {
    seq: 0,
    tenant_id: b.tenantId,
    provider: b.provider,
    message_id: messageId,
    kind,
    amount: 0,
    lines: [],
    new_request_id: uuidv7(),
    message_row_id: uuidv7(),
    expires_at: new Date(now.getTime() + b.holdExpiryDays * DAY_MS).toISOString(),
    occurred_at: occurredAt ?? now.toISOString(),
    provider_config_id: some(b.providerConfigId),
  };
}

export function messageItem(b: Binding, m: CardMessage, r: Resolved, now: Date): BatchItem {
  const item = base(b, now, m.kind, m.messageId, m.occurredAt);
  const reserving = RESERVING_KINDS.has(m.kind);
  item.external_id = m.externalId;
  item.amount = m.amount;
  item.currency = m.currency;
  item.card_id = m.cardId;
  item.owner_type = r.card?.ownerType;
  item.owner_ref = r.card?.ownerRef;
  item.lines = r.lines;
  if (r.categoryIds.length > 0) item.category_ids = r.categoryIds;
  item.card_decline = some(reserving ? (b.declineRequests ?? r.cardDecline) : r.cardDecline);
  item.lines_decline = some(r.linesDecline);
  item.detail = some(r.detail);
  item.partial_allowed = flag(m.isPartialAllowed);
  item.single_message = flag(m.singleMessage);
  item.requires_decision = flag(m.requiresDecision);
  if (typeof m.extras.approved === 'boolean') item.advice_approved = m.extras.approved;
  // Null members are left out: as undefined, JSON.stringify skips them.
  const mm = m.merchant;
  item.merchant = {
    merchant_id: mm.merchantId,
    acquirer_id: some(mm.acquirerId),
    mcc: mm.mcc,
    name: some(mm.name),
    country: some(mm.country),
    postal_code: some(mm.postalCode),
    city: some(mm.city),
  };
  if (r.categoryCodes.length > 0) item.metadata = { expense_category_codes: r.categoryCodes };
  // What is specific to this message (the merchant is on its request).
  item.payload = {
    occurred_at: m.occurredAt,
    settlement_id: some(m.settlementId),
    merchant_amount: some(m.merchantAmount),
    force_post: m.forcePost || undefined,
    extras: m.extras,
  };
  return item;
}

/** A message that failed validation: recorded and declined, with whatever ids could be read. */
export function invalidItem(b: Binding, f: ParseFailure, now: Date): BatchItem {
  // Without an id of its own, a message cannot be recognised when replayed; it is recorded under a new one.
  const item = base(b, now, 'invalid', f.partialIds.messageId ?? `unidentified:${uuidv7()}`);
  item.external_id = some(f.partialIds.externalId);
  item.card_id = some(f.partialIds.cardId);
  item.invalid_reason = f.declineReason;
  item.detail = f.detail;
  item.requires_decision = flag(f.requiresDecision);
  item.payload = { partial_ids: f.partialIds };
  return item;
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
  // Replays of the same expiry are no-ops; a request that reserved again since gets a new one.
  const item = base(b, now, 'expiry', `plinth:expiry:${request.id}:${request.amountAuthorized}`);
  item.external_id = request.externalId;
  item.currency = request.currency;
  item.card_id = request.cardId;
  item.owner_type = some(request.ownerType);
  item.owner_ref = some(request.ownerRef);
  item.detail = 'released by Plinth after the configured hold expiry';
  return item;
}

/** The key under which two items may not share a batch: their authorization request. */
export const requestKey = (i: BatchItem): string =>
  `${i.tenant_id}|${i.provider}|${i.external_id ?? `#${i.message_id}`}`;

/** Items of one card owner go to the same shard, so a hot line's decisions gather in the same batches. */
export const shardKey = (i: BatchItem): string =>
  i.owner_ref
    ? `${i.tenant_id}|${i.owner_type}|${i.owner_ref}`
    : `${i.tenant_id}|${i.card_id ?? i.message_id}`;
