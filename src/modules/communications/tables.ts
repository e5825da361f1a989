// The communications module's tables: the outbox (messages and their events), contact preferences and opt-outs,
// template overrides and settings. Queries live in each feature's store.ts; no other module touches these tables.
import {
  boolean,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { MessageStatus } from './domain/status.js';
import type { Channel, TemplateContent } from './domain/templates/definition.js';

const at = (name: string) => timestamp(name, { withTimezone: true });

export const messages = pgTable(
  'messages',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    channel: text('channel').$type<Channel>().notNull(),
    templateKey: text('template_key').notNull(),
    customerId: uuid('customer_id'),
    loanId: uuid('loan_id'),
    programId: uuid('program_id'),
    recipient: jsonb('recipient').$type<Record<string, unknown>>().notNull(),
    content: jsonb('content').$type<Record<string, string>>().notNull(),
    documentId: uuid('document_id'),
    attachmentIds: uuid('attachment_ids').array().notNull().default([]),
    status: text('status').$type<MessageStatus>().notNull(),
    statusReason: text('status_reason'),
    providerConfigId: uuid('provider_config_id'),
    providerKey: text('provider_key'),
    providerMessageId: text('provider_message_id'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: at('next_attempt_at'),
    /** The domain event (and template) that produced it: one message per event key (migration 0011). */
    eventKey: text('event_key'),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);
export type MessageRow = typeof messages.$inferSelect;

export const EVENT_SOURCES = ['api', 'dispatch', 'webhook', 'hook', 'event'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

export const messageEvents = pgTable(
  'message_events',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    messageId: uuid('message_id').notNull(),
    status: text('status').$type<MessageStatus>().notNull(),
    source: text('source').$type<EventSource>().notNull(),
    reason: text('reason'),
    providerEventId: text('provider_event_id'),
    occurredAt: at('occurred_at').notNull(),
    recordedAt: at('recorded_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);
export type MessageEventRow = typeof messageEvents.$inferSelect;

export const contactPreferences = pgTable(
  'contact_preferences',
  {
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    channel: text('channel').$type<Channel>().notNull(),
    allowed: boolean('allowed').notNull(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.customerId, t.channel] })],
);

export const optOuts = pgTable(
  'opt_outs',
  {
    tenantId: uuid('tenant_id').notNull(),
    channel: text('channel').$type<'email' | 'sms'>().notNull(),
    address: text('address').notNull(),
    source: text('source').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.channel, t.address] })],
);

export const templateOverrides = pgTable(
  'template_overrides',
  {
    tenantId: uuid('tenant_id').notNull(),
    templateKey: text('template_key').notNull(),
    content: jsonb('content').$type<TemplateContent>().notNull(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.templateKey] })],
);

export interface Lender {
  name: string;
  address: string;
  phone: string;
  email: string;
}

export const communicationSettings = pgTable('communication_settings', {
  tenantId: uuid('tenant_id').primaryKey(),
  lender: jsonb('lender').$type<Lender>().notNull(),
  ratePerSecond: integer('rate_per_second').notNull(),
  paymentReminderDays: integer('payment_reminder_days').notNull().default(5),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

/** A program's own reminder lead time (the tenant's `payment_reminder_days` otherwise). */
export const communicationProgramSettings = pgTable(
  'communication_program_settings',
  {
    tenantId: uuid('tenant_id').notNull(),
    programId: uuid('program_id').notNull(),
    paymentReminderDays: integer('payment_reminder_days').notNull(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.programId] })],
);

/**
 * The tenant's send rate as a token bucket shared by every worker process (migration 0016): the claim statement
 * (messages/store.ts `claimBatch`) refills it and takes a token per message it moves.
 */
export const messageRateBuckets = pgTable('message_rate_buckets', {
  tenantId: uuid('tenant_id').primaryKey(),
  tokens: doublePrecision('tokens').notNull(),
  /** What the latest claim took. */
  granted: integer('granted').notNull(),
  refilledAt: at('refilled_at').notNull(),
});
