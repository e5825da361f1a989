import { boolean, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { minorColumn } from '../../kernel/db.js';

/**
 * The card-authorization tables (migrations/0003_card_authorizations.sql explains each). Queries live in each
 * feature's store.ts; no other module touches these tables. The decision path writes through the
 * `card_apply_batch` function (sql/card_apply_batch.sql).
 */
const amount = (name: string) => minorColumn(name).notNull().default(0);
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const expenseCategories = pgTable(
  'card_expense_categories',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    reference: text('reference'),
    createdAt: createdAt(),
    terminatedAt: timestamp('terminated_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const linesOfCredit = pgTable(
  'card_lines_of_credit',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    expenseCategoryId: uuid('expense_category_id').notNull(),
    ownerType: text('owner_type').notNull(),
    ownerRef: uuid('owner_ref').notNull(),
    currency: text('currency').notNull(),
    createdAt: createdAt(),
    terminatedAt: timestamp('terminated_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const expenseTrackers = pgTable(
  'card_expense_trackers',
  {
    tenantId: uuid('tenant_id').notNull(),
    lineOfCreditId: uuid('line_of_credit_id').notNull(),
    creditsLimit: amount('credits_limit'),
    expensedCredits: amount('expensed_credits'),
    terminated: boolean('terminated').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.lineOfCreditId] })],
);

export const cards = pgTable(
  'card_cards',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    cardId: text('card_id').notNull(),
    ownerType: text('owner_type').notNull(),
    ownerRef: uuid('owner_ref').notNull(),
    status: text('status').notNull().default('active'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const authorizationRequests = pgTable(
  'card_authorization_requests',
  {
    tenantId: uuid('tenant_id').notNull(),
    provider: text('provider').notNull(),
    externalId: text('external_id').notNull(),
    id: uuid('id').notNull(),
    providerConfigId: uuid('provider_config_id'),
    cardId: text('card_id').notNull(),
    ownerType: text('owner_type'),
    ownerRef: uuid('owner_ref'),
    currency: text('currency').notNull(),
    status: text('status').notNull(),
    declineReason: text('decline_reason'),
    amountAuthorized: amount('amount_authorized'),
    amountHeld: amount('amount_held'),
    amountCleared: amount('amount_cleared'),
    amountReleased: amount('amount_released'),
    amountRefunded: amount('amount_refunded'),
    amountForced: amount('amount_forced'),
    forcePosted: boolean('force_posted').notNull().default(false),
    expenseCategoryIds: uuid('expense_category_ids').array().notNull().default([]),
    merchant: jsonb('merchant').$type<Record<string, unknown>>().notNull(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.provider, t.externalId] })],
);

export const authorizationMessages = pgTable(
  'card_authorization_messages',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    provider: text('provider').notNull(),
    messageId: text('message_id').notNull(),
    requestId: uuid('request_id'),
    externalId: text('external_id'),
    providerConfigId: uuid('provider_config_id'),
    kind: text('kind').notNull(),
    amount: amount('amount'),
    currency: text('currency'),
    approved: boolean('approved').notNull(),
    reasonCode: text('reason_code').notNull(),
    approvedAmount: amount('approved_amount'),
    answeredByFallback: boolean('answered_by_fallback').notNull().default(false),
    engineReason: text('engine_reason'),
    detail: text('detail'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.provider, t.messageId] })],
);

export const authorizationHolds = pgTable(
  'card_authorization_holds',
  {
    tenantId: uuid('tenant_id').notNull(),
    requestId: uuid('request_id').notNull(),
    lineOfCreditId: uuid('line_of_credit_id').notNull(),
    held: amount('held'),
    reserved: amount('reserved'),
    cleared: amount('cleared'),
    released: amount('released'),
    refunded: amount('refunded'),
    forced: amount('forced'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.requestId, t.lineOfCreditId] })],
);

export const fundingOutbox = pgTable(
  'card_funding_outbox',
  {
    tenantId: uuid('tenant_id').notNull(),
    reference: uuid('reference').notNull(),
    loanId: uuid('loan_id').notNull(),
    kind: text('kind').notNull(),
    amount: minorColumn('amount').notNull(),
    currency: text('currency').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    requestId: uuid('request_id').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    result: jsonb('result').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.reference, t.loanId] })],
);

export type ExpenseCategoryRow = typeof expenseCategories.$inferSelect;
export type LineOfCreditRow = typeof linesOfCredit.$inferSelect;
export type CardRow = typeof cards.$inferSelect;
export type AuthorizationRequestRow = typeof authorizationRequests.$inferSelect;
export type AuthorizationMessageRow = typeof authorizationMessages.$inferSelect;
export type AuthorizationHoldRow = typeof authorizationHolds.$inferSelect;
export type FundingOutboxRow = typeof fundingOutbox.$inferSelect;
