import type { Card } from '../cards.js';
import type { ExpenseCategory } from '../categories.js';
import type { LineOfCredit } from '../lines.js';
import type { AuthorizationRequest, AuthorizationRequestDetail } from '../requests.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const categoryJson = (c: ExpenseCategory) => ({
  id: c.id,
  code: c.code,
  name: c.name,
  description: c.description,
  reference: c.reference,
  created_at: c.createdAt.toISOString(),
  terminated_at: iso(c.terminatedAt),
});

export const lineJson = (l: LineOfCredit) => ({
  id: l.id,
  expense_category_id: l.expenseCategoryId,
  owner_type: l.ownerType,
  owner_ref: l.ownerRef,
  currency: l.currency,
  credits_limit: l.creditsLimit,
  expensed_credits: l.expensedCredits,
  available_credits: l.availableCredits,
  created_at: l.createdAt.toISOString(),
  terminated_at: iso(l.terminatedAt),
});

export const cardJson = (c: Card) => ({
  id: c.id,
  card_id: c.cardId,
  owner_type: c.ownerType,
  owner_ref: c.ownerRef,
  status: c.status,
  created_at: c.createdAt.toISOString(),
  updated_at: c.updatedAt.toISOString(),
});

export const requestJson = (r: AuthorizationRequest) => ({
  id: r.id,
  provider: r.provider,
  external_id: r.externalId,
  provider_config_id: r.providerConfigId,
  card_id: r.cardId,
  owner_type: r.ownerType,
  owner_ref: r.ownerRef,
  currency: r.currency,
  status: r.status,
  decline_reason: r.declineReason,
  amount_authorized: r.amountAuthorized,
  amount_held: r.amountHeld,
  amount_cleared: r.amountCleared,
  amount_released: r.amountReleased,
  amount_refunded: r.amountRefunded,
  amount_forced: r.amountForced,
  force_posted: r.forcePosted,
  expense_category_ids: r.expenseCategoryIds,
  merchant: r.merchant,
  metadata: r.metadata,
  expires_at: r.expiresAt.toISOString(),
  created_at: r.createdAt.toISOString(),
  updated_at: r.updatedAt.toISOString(),
});

export const requestDetailJson = (d: AuthorizationRequestDetail) => ({
  ...requestJson(d.request),
  messages: d.messages.map((m) => ({
    id: m.id,
    message_id: m.messageId,
    kind: m.kind,
    amount: m.amount,
    currency: m.currency,
    approved: m.approved,
    reason_code: m.reasonCode,
    approved_amount: m.approvedAmount,
    answered_by_fallback: m.answeredByFallback,
    engine_reason: m.engineReason,
    detail: m.detail,
    received_at: m.receivedAt.toISOString(),
  })),
  holds: d.holds.map((h) => ({
    line_of_credit_id: h.lineOfCreditId,
    held: h.held,
    reserved: h.reserved,
    cleared: h.cleared,
    released: h.released,
    refunded: h.refunded,
    forced: h.forced,
  })),
  funding: d.funding.map((f) => ({
    loan_id: f.loanId,
    kind: f.kind,
    amount: f.amount,
    currency: f.currency,
    reference: f.reference,
    status: f.status,
    attempts: f.attempts,
    last_error: f.lastError,
    processed_at: iso(f.processedAt),
  })),
});
