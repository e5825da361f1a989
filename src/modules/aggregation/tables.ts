import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { bytea, minorColumn } from '../../kernel/db.js';

/**
 * The aggregation module's tables (migrations/0004_aggregation.sql). Queries live in each feature's store
 * (connections/store.ts, ingest/transactions-store.ts, accounts/store.ts, …); every one of them filters by tenant,
 * except the few noted there that run before a tenant is known or across tenants.
 */

const tz = (name: string) => timestamp(name, { withTimezone: true });

export const connections = pgTable(
  'financial_connections',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id').notNull(),
    providerKey: text('provider_key').notNull(),
    authType: text('auth_type').notNull(),
    providerConfigId: uuid('provider_config_id').notNull(),
    status: text('status').notNull(),
    statusReason: text('status_reason'),
    credentials: text('credentials'),
    connectedAt: tz('connected_at'),
    lastSyncAt: tz('last_sync_at'),
    nextSyncAt: tz('next_sync_at'),
    createdAt: tz('created_at').notNull().defaultNow(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const oauthStates = pgTable(
  'financial_oauth_states',
  {
    tenantId: uuid('tenant_id').notNull(),
    stateHash: bytea('state_hash').notNull(),
    connectionId: uuid('connection_id').notNull(),
    providerKey: text('provider_key').notNull(),
    redirectUri: text('redirect_uri').notNull(),
    returnUrl: text('return_url'),
    expiresAt: tz('expires_at').notNull(),
    usedAt: tz('used_at'),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.stateHash] })],
);

export const accounts = pgTable(
  'financial_accounts',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    connectionId: uuid('connection_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    providerAccountId: text('provider_account_id').notNull(),
    accountNumberMasked: text('account_number_masked'),
    name: text('name').notNull(),
    accountType: text('account_type').notNull(),
    currency: text('currency').notNull(),
    balance: minorColumn('balance'),
    availableBalance: minorColumn('available_balance'),
    cashBalance: minorColumn('cash_balance'),
    balanceAsOf: tz('balance_as_of'),
    institutionName: text('institution_name'),
    institutionId: text('institution_id'),
    isActive: boolean('is_active').notNull().default(true),
    /** The staging import that holds the account (imports of one account run one at a time). */
    stagedBy: uuid('staged_by'),
    lastSyncedAt: tz('last_synced_at').notNull().defaultNow(),
    createdAt: tz('created_at').notNull().defaultNow(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const transactions = pgTable(
  'financial_transactions',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    accountId: uuid('account_id').notNull(),
    providerTransactionId: text('provider_transaction_id').notNull(),
    variant: smallint('variant').notNull().default(0),
    transactionType: text('transaction_type').notNull(),
    subtype: text('subtype').notNull(),
    status: text('status').notNull(),
    amount: minorColumn('amount').notNull(),
    currency: text('currency').notNull(),
    description: text('description').notNull(),
    memo: text('memo'),
    transactionDate: date('transaction_date').notNull(),
    settlementDate: date('settlement_date'),
    pendingTransactionId: text('pending_transaction_id'),
    checkNumber: text('check_number'),
    symbol: text('symbol'),
    quantity: numeric('quantity'),
    unitPrice: numeric('unit_price'),
    commission: minorColumn('commission'),
    needsReview: boolean('needs_review').notNull().default(false),
    reviewReason: text('review_reason'),
    observedThrough: date('observed_through'),
    /** The import that brought the row; null for synced rows. Invisible while that import is staging. */
    importId: uuid('import_id'),
    createdAt: tz('created_at').notNull().defaultNow(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const holdings = pgTable(
  'financial_holdings',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    accountId: uuid('account_id').notNull(),
    providerHoldingId: text('provider_holding_id').notNull(),
    symbol: text('symbol').notNull(),
    securityName: text('security_name').notNull(),
    assetType: text('asset_type').notNull(),
    quantity: numeric('quantity').notNull(),
    costBasis: minorColumn('cost_basis'),
    marketValue: minorColumn('market_value'),
    currency: text('currency').notNull(),
    averagePrice: numeric('average_price'),
    currentPrice: numeric('current_price'),
    asOf: tz('as_of'),
    createdAt: tz('created_at').notNull().defaultNow(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const syncRuns = pgTable(
  'financial_sync_runs',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    connectionId: uuid('connection_id').notNull(),
    trigger: text('trigger').notNull(),
    scope: text('scope').notNull(),
    source: text('source').notNull(),
    status: text('status').notNull(),
    windowStart: date('window_start'),
    windowEnd: date('window_end'),
    startedAt: tz('started_at').notNull(),
    finishedAt: tz('finished_at'),
    result: jsonb('result').$type<Record<string, unknown>>(),
    errorKind: text('error_kind'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    retryAfterSeconds: integer('retry_after_seconds'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const imports = pgTable(
  'financial_imports',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    connectionId: uuid('connection_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    providerKey: text('provider_key').notNull(),
    fileName: text('file_name'),
    fileFormat: text('file_format').notNull(),
    byteSize: integer('byte_size').notNull(),
    sha256: text('sha256').notNull(),
    result: jsonb('result').$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<'staging' | 'published' | 'abandoned'>().notNull().default('published'),
    heartbeatAt: tz('heartbeat_at'),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/**
 * Whether a transaction row is visible: synced rows always, imported ones once their import is published (a file
 * import stages its rows first: imports/staging.ts). Every read of transactions outside ingestion filters by it.
 */
export const visibleTransaction = sql`(${transactions.importId} IS NULL OR EXISTS (
  SELECT 1 FROM financial_imports i
   WHERE i.tenant_id = ${transactions.tenantId} AND i.id = ${transactions.importId} AND i.status = 'published'))`;

/**
 * Whether an account is visible: every account but one a file import created and has not yet published (the
 * import creates it bare in its first transaction, which stamps the import and the account with one `now()`).
 */
export const visibleAccount = sql`(${accounts.stagedBy} IS NULL OR NOT EXISTS (
  SELECT 1 FROM financial_imports i
   WHERE i.tenant_id = ${accounts.tenantId} AND i.id = ${accounts.stagedBy} AND i.status <> 'published'
     AND i.created_at = ${accounts.createdAt}))`;

export const balanceSnapshots = pgTable(
  'financial_balance_snapshots',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    accountId: uuid('account_id').notNull(),
    source: text('source').notNull(),
    balance: minorColumn('balance'),
    availableBalance: minorColumn('available_balance'),
    cashBalance: minorColumn('cash_balance'),
    holdingsValue: minorColumn('holdings_value'),
    currency: text('currency').notNull(),
    asOf: tz('as_of').notNull(),
    syncRunId: uuid('sync_run_id'),
    importId: uuid('import_id'),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const tenantKeys = pgTable(
  'financial_tenant_keys',
  {
    tenantId: uuid('tenant_id').notNull(),
    purpose: text('purpose').notNull(),
    sealed: text('sealed').notNull(),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.purpose] })],
);

export type ConnectionRow = typeof connections.$inferSelect;
export type AccountRow = typeof accounts.$inferSelect;
export type TransactionRow = typeof transactions.$inferSelect;
export type HoldingRow = typeof holdings.$inferSelect;
export type SnapshotRow = typeof balanceSnapshots.$inferSelect;
export type SyncRunRow = typeof syncRuns.$inferSelect;
export type ImportRow = typeof imports.$inferSelect;
export type TenantKeyRow = typeof tenantKeys.$inferSelect;
