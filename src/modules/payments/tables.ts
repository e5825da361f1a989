// The payments module's tables (migrations/0005_payments.sql). Queries live in each feature's store.ts; no other
// module touches these tables.
import { boolean, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { dateColumn, minorColumn } from '../../kernel/db.js';
import type { DeclineCode } from './domain/declines.js';
import type { DisputeStatus, MethodKind } from './domain/processor.js';
import type { PaymentState, Stage } from './domain/states.js';

export const paymentProgramSettings = pgTable(
  'payment_program_settings',
  {
    tenantId: uuid('tenant_id').notNull(),
    programId: uuid('program_id').notNull(),
    returnedPaymentFee: minorColumn('returned_payment_fee').notNull().default(0),
    overpayment: text('overpayment').$type<'reject' | 'credit'>().notNull().default('reject'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.programId] })],
);

export const processorCustomers = pgTable(
  'processor_customers',
  {
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    providerConfigId: uuid('provider_config_id').notNull(),
    customerRef: text('customer_ref').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.customerId, t.providerConfigId] })],
);

export interface MandateRecord {
  ip_address: string;
  user_agent: string;
  accepted_at: string;
}

export const paymentMethods = pgTable(
  'payment_methods',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id').notNull(),
    providerConfigId: uuid('provider_config_id').notNull(),
    providerKey: text('provider_key').notNull(),
    kind: text('kind').$type<MethodKind>().notNull(),
    customerRef: text('customer_ref').notNull(),
    methodRef: text('method_ref').notNull(),
    brand: text('brand'),
    last4: text('last4'),
    expMonth: integer('exp_month'),
    expYear: integer('exp_year'),
    bankName: text('bank_name'),
    routingNumber: text('routing_number'),
    mandate: jsonb('mandate').$type<MandateRecord>(),
    mandateUsed: boolean('mandate_used').notNull().default(false),
    status: text('status').$type<'active' | 'detached'>().notNull().default('active'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export type PaymentSource = 'api' | 'collection' | 'autopay';
export type TransitionSource = 'api' | 'webhook' | 'reconciler' | 'autopay';
export type Operation = 'authorize' | 'capture' | 'void';

export const payments = pgTable(
  'payments',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    reference: text('reference').notNull(),
    idempotencyKey: text('idempotency_key'),
    customerId: uuid('customer_id').notNull(),
    paymentMethodId: uuid('payment_method_id').notNull(),
    providerConfigId: uuid('provider_config_id').notNull(),
    providerKey: text('provider_key').notNull(),
    loanId: uuid('loan_id'),
    programId: uuid('program_id'),
    source: text('source').$type<PaymentSource>().notNull(),
    autopayDueDate: dateColumn('autopay_due_date'),
    kind: text('kind').$type<MethodKind>().notNull(),
    currency: text('currency').notNull(),
    amount: minorColumn('amount').notNull(),
    capture: boolean('capture').notNull(),
    withMandate: boolean('with_mandate').notNull().default(false),
    description: text('description'),
    state: text('state').$type<PaymentState>().notNull(),
    stage: text('stage').$type<Stage>().notNull(),
    amountAuthorized: minorColumn('amount_authorized').notNull().default(0),
    amountCaptured: minorColumn('amount_captured').notNull().default(0),
    amountRefunded: minorColumn('amount_refunded').notNull().default(0),
    dispute: text('dispute').$type<DisputeStatus>(),
    operation: text('operation').$type<Operation>(),
    operationAmount: minorColumn('operation_amount'),
    operationStartedAt: timestamp('operation_started_at', { withTimezone: true }),
    processorId: text('processor_id'),
    declineCode: text('decline_code').$type<DeclineCode>(),
    declineVendorCode: text('decline_vendor_code'),
    declineMessage: text('decline_message'),
    returnCode: text('return_code'),
    error: text('error'),
    loanApplied: minorColumn('loan_applied').notNull().default(0),
    loanEventId: uuid('loan_event_id'),
    loanFeeCharged: boolean('loan_fee_charged').notNull().default(false),
    loanError: text('loan_error'),
    version: integer('version').notNull().default(1),
    nextCheckAt: timestamp('next_check_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const paymentTransitions = pgTable(
  'payment_transitions',
  {
    tenantId: uuid('tenant_id').notNull(),
    paymentId: uuid('payment_id').notNull(),
    seq: integer('seq').notNull(),
    fromState: text('from_state').$type<PaymentState>(),
    toState: text('to_state').$type<PaymentState>().notNull(),
    source: text('source').$type<TransitionSource>().notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    loanEventId: uuid('loan_event_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.paymentId, t.seq] })],
);

export type RefundStatus = 'requested' | 'pending' | 'succeeded' | 'failed';

export const paymentRefunds = pgTable(
  'payment_refunds',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    paymentId: uuid('payment_id').notNull(),
    reference: text('reference').notNull(),
    idempotencyKey: text('idempotency_key'),
    amount: minorColumn('amount').notNull(),
    status: text('status').$type<RefundStatus>().notNull(),
    processorRefundId: text('processor_refund_id'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const paymentWebhookEvents = pgTable(
  'payment_webhook_events',
  {
    tenantId: uuid('tenant_id').notNull(),
    providerConfigId: uuid('provider_config_id').notNull(),
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    processorId: text('processor_id'),
    paymentId: uuid('payment_id'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.providerConfigId, t.eventId] })],
);

export const loanAutopay = pgTable(
  'loan_autopay',
  {
    tenantId: uuid('tenant_id').notNull(),
    loanId: uuid('loan_id').notNull(),
    paymentMethodId: uuid('payment_method_id').notNull(),
    enabled: boolean('enabled').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.loanId] })],
);

export const autopayDays = pgTable(
  'autopay_days',
  {
    tenantId: uuid('tenant_id').notNull(),
    businessDate: dateColumn('business_date').notNull(),
    loans: integer('loans').notNull(),
    queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.businessDate] })],
);

export type PaymentMethodRow = typeof paymentMethods.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;
export type TransitionRow = typeof paymentTransitions.$inferSelect;
export type RefundRow = typeof paymentRefunds.$inferSelect;
export type SettingsRow = typeof paymentProgramSettings.$inferSelect;
