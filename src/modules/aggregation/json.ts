import type { CustomerCashFlow } from './cash-flow.js';
import type { Connection } from './connections.js';
import type { FinancialProviderDefinition } from './domain/provider.js';
import type { ImportResult } from './imports.js';
import type { IngestCounts } from './ingest.js';
import type { AccountRow, HoldingRow, SnapshotRow, SyncRunRow, TransactionRow } from './store.js';

/** The module's wire format: snake_case, amounts in minor units with their currency, dates as YYYY-MM-DD. */

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const providerJson = (d: FinancialProviderDefinition) => ({
  provider_key: d.key,
  display_name: d.displayName,
  category: d.metadata.category,
  auth_type: d.metadata.authType,
  capabilities: d.metadata.capabilities,
  required_settings: d.metadata.requiredSettings,
  secret_fields: d.secretFields,
  file_formats: d.metadata.fileFormats ?? null,
  documentation: d.metadata.documentation,
  tested_with: d.metadata.testedWith,
});

export const connectionJson = (c: Connection) => ({
  id: c.id,
  customer_id: c.customerId,
  provider: c.providerKey,
  auth_type: c.authType,
  provider_config_id: c.providerConfigId,
  status: c.status,
  status_reason: c.statusReason,
  connected_at: iso(c.connectedAt),
  last_sync_at: iso(c.lastSyncAt),
  next_sync_at: iso(c.nextSyncAt),
  created_at: c.createdAt.toISOString(),
  updated_at: c.updatedAt.toISOString(),
});

export const countsJson = (c: IngestCounts) => ({
  accounts_imported: c.accountsImported,
  accounts_updated: c.accountsUpdated,
  transactions_imported: c.transactionsImported,
  transactions_updated: c.transactionsUpdated,
  transactions_skipped: c.transactionsSkipped,
  transactions_flagged: c.transactionsFlagged,
  transactions_replaced: c.transactionsReplaced,
  pending_settled: c.pendingSettled,
  pending_cancelled: c.pendingCancelled,
  holdings_imported: c.holdingsImported,
  balance_snapshots: c.balanceSnapshots,
});

export const syncRunJson = (r: SyncRunRow) => {
  const result = r.result as (IngestCounts & Record<string, unknown>) | null;
  return {
    id: r.id,
    connection_id: r.connectionId,
    trigger: r.trigger,
    scope: r.scope,
    snapshot_source: r.source,
    status: r.status,
    window: r.windowStart ? { start_date: r.windowStart, end_date: r.windowEnd } : null,
    started_at: r.startedAt.toISOString(),
    finished_at: iso(r.finishedAt),
    result: result
      ? {
          ...countsJson(result),
          skipped_records: result.skippedRecords ?? 0,
          token_refreshed: result.tokenRefreshed ?? false,
          refresh_token_rotated: result.refreshTokenRotated ?? false,
        }
      : null,
    error: r.errorCode
      ? {
          kind: r.errorKind,
          code: r.errorCode,
          message: r.errorMessage,
          retry_after_seconds: r.retryAfterSeconds,
        }
      : null,
  };
};

export const importJson = (r: ImportResult) => ({
  id: r.id,
  provider_slug: r.provider,
  connection_id: r.connectionId,
  customer_id: r.customerId,
  file_format: r.fileFormat,
  statements: r.statements,
  ...countsJson(r),
  message: r.message,
  warnings: r.warnings,
});

export const accountJson = (a: AccountRow) => ({
  id: a.id,
  connection_id: a.connectionId,
  customer_id: a.customerId,
  provider_account_id: a.providerAccountId,
  account_number_masked: a.accountNumberMasked,
  name: a.name,
  account_type: a.accountType,
  currency: a.currency,
  balance: a.balance,
  available_balance: a.availableBalance,
  cash_balance: a.cashBalance,
  balance_as_of: iso(a.balanceAsOf),
  institution: a.institutionName || a.institutionId ? { name: a.institutionName, id: a.institutionId } : null,
  is_active: a.isActive,
  last_synced_at: a.lastSyncedAt.toISOString(),
  created_at: a.createdAt.toISOString(),
  updated_at: a.updatedAt.toISOString(),
});

export const transactionJson = (t: TransactionRow) => ({
  id: t.id,
  account_id: t.accountId,
  provider_transaction_id: t.providerTransactionId,
  variant: t.variant,
  transaction_type: t.transactionType,
  subtype: t.subtype,
  status: t.status,
  amount: t.amount,
  currency: t.currency,
  description: t.description,
  memo: t.memo,
  transaction_date: t.transactionDate,
  settlement_date: t.settlementDate,
  pending_transaction_id: t.pendingTransactionId,
  check_number: t.checkNumber,
  symbol: t.symbol,
  quantity: t.quantity,
  unit_price: t.unitPrice,
  commission: t.commission,
  needs_review: t.needsReview,
  review_reason: t.reviewReason,
  created_at: t.createdAt.toISOString(),
  updated_at: t.updatedAt.toISOString(),
});

export const holdingJson = (h: HoldingRow) => ({
  id: h.id,
  account_id: h.accountId,
  provider_holding_id: h.providerHoldingId,
  symbol: h.symbol,
  security_name: h.securityName,
  asset_type: h.assetType,
  quantity: h.quantity,
  cost_basis: h.costBasis,
  market_value: h.marketValue,
  currency: h.currency,
  average_price: h.averagePrice,
  current_price: h.currentPrice,
  as_of: iso(h.asOf),
  updated_at: h.updatedAt.toISOString(),
});

export const snapshotJson = (s: SnapshotRow) => ({
  id: s.id,
  account_id: s.accountId,
  source: s.source,
  balance: s.balance,
  available_balance: s.availableBalance,
  cash_balance: s.cashBalance,
  holdings_value: s.holdingsValue,
  currency: s.currency,
  as_of: s.asOf.toISOString(),
  sync_run_id: s.syncRunId,
  import_id: s.importId,
  created_at: s.createdAt.toISOString(),
});

export const cashFlowJson = (c: CustomerCashFlow) => ({
  customer_id: c.customerId,
  currency: c.currency,
  period: { start_date: c.period.start, end_date: c.period.end, days: c.period.days },
  accounts: { included: c.accounts.included, without_balance: c.accounts.withoutBalance },
  months: c.months.map((m) => ({
    month: m.month,
    start_date: m.start,
    end_date: m.end,
    partial: m.partial,
    inflow: m.inflow,
    outflow: m.outflow,
    net: m.net,
    transactions: m.transactions,
  })),
  totals: c.totals,
  average_daily_balance: c.averageDailyBalance,
  nsf_overdraft: {
    count: c.nsfOverdraft.count,
    nsf_fees: c.nsfOverdraft.nsfFees,
    overdraft_fees: c.nsfOverdraft.overdraftFees,
    negative_balance_episodes: c.nsfOverdraft.negativeBalanceEpisodes,
    negative_balance_days: c.nsfOverdraft.negativeBalanceDays,
  },
  income: {
    regularity: c.income.regularity,
    monthly_average: c.income.monthlyAverage,
    streams: c.income.streams.map((s) => ({
      payer: s.payer,
      kind: s.kind,
      cadence: s.cadence,
      deposits: s.deposits,
      total: s.total,
      typical_amount: s.typicalAmount,
      monthly_equivalent: s.monthlyEquivalent,
      interval_variation: s.intervalVariation,
      amount_variation: s.amountVariation,
      first_date: s.firstDate,
      last_date: s.lastDate,
    })),
  },
  recurring_debits: c.recurringDebits.map((d) => ({
    payee: d.payee,
    category: d.category,
    cadence: d.cadence,
    occurrences: d.occurrences,
    typical_amount: d.typicalAmount,
    monthly_equivalent: d.monthlyEquivalent,
    amount_variation: d.amountVariation,
    last_date: d.lastDate,
    next_expected_date: d.nextExpectedDate,
    active: d.active,
  })),
  internal_transfers_excluded: c.internalTransfersExcluded,
});
