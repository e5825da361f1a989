import { z } from 'zod';
import { calendarDate, instant, minor } from '../../kernel/responses.js';

/** The response schemas of the aggregation routes (see kernel/responses.ts). */

export const accountOut = z.object({
  id: z.string(),
  connection_id: z.string().nullable(),
  customer_id: z.string(),
  provider_account_id: z.string(),
  account_number_masked: z.string().nullable(),
  name: z.string().nullable(),
  account_type: z.string(),
  currency: z.string(),
  balance: minor.nullable(),
  available_balance: minor.nullable(),
  cash_balance: minor.nullable(),
  balance_as_of: instant.nullable(),
  institution: z.object({ name: z.string().nullable(), id: z.string().nullable() }).nullable(),
  is_active: z.boolean(),
  last_synced_at: instant,
  created_at: instant,
  updated_at: instant,
});

export const transactionOut = z.object({
  id: z.string(),
  account_id: z.string(),
  provider_transaction_id: z.string(),
  variant: z.number().int(),
  transaction_type: z.string().nullable(),
  subtype: z.string().nullable(),
  status: z.string(),
  amount: minor,
  currency: z.string(),
  description: z.string().nullable(),
  memo: z.string().nullable(),
  transaction_date: calendarDate,
  settlement_date: calendarDate.nullable(),
  pending_transaction_id: z.string().nullable(),
  check_number: z.string().nullable(),
  symbol: z.string().nullable(),
  quantity: z.string().nullable(),
  unit_price: z.string().nullable(),
  commission: minor.nullable(),
  needs_review: z.boolean(),
  review_reason: z.string().nullable(),
  created_at: instant,
  updated_at: instant,
});

export const holdingOut = z.object({
  id: z.string(),
  account_id: z.string(),
  provider_holding_id: z.string(),
  symbol: z.string().nullable(),
  security_name: z.string().nullable(),
  asset_type: z.string().nullable(),
  quantity: z.string(),
  cost_basis: minor.nullable(),
  market_value: minor.nullable(),
  currency: z.string(),
  average_price: z.string().nullable(),
  current_price: z.string().nullable(),
  as_of: instant.nullable(),
  updated_at: instant,
});

export const snapshotOut = z.object({
  id: z.string(),
  account_id: z.string(),
  source: z.string(),
  balance: minor.nullable(),
  available_balance: minor.nullable(),
  cash_balance: minor.nullable(),
  holdings_value: minor.nullable(),
  currency: z.string(),
  as_of: instant,
  sync_run_id: z.string().nullable(),
  import_id: z.string().nullable(),
  created_at: instant,
});

const flows = { inflow: minor, outflow: minor, net: minor };

export const cashFlowOut = z.object({
  customer_id: z.string(),
  currency: z.string().nullable().describe('null when the customer has no linked deposit account'),
  period: z.object({ start_date: calendarDate, end_date: calendarDate, days: z.number().int() }),
  accounts: z.object({ included: z.array(z.string()), without_balance: z.array(z.string()) }),
  months: z.array(
    z.object({
      month: z.string(),
      start_date: calendarDate,
      end_date: calendarDate,
      partial: z.boolean(),
      ...flows,
      transactions: z.number().int(),
    }),
  ),
  totals: z.object(flows),
  average_daily_balance: minor.nullable(),
  nsf_overdraft: z.object({
    count: z.number().int(),
    nsf_fees: minor,
    overdraft_fees: minor,
    negative_balance_episodes: z.number().int(),
    negative_balance_days: z.number().int(),
  }),
  income: z.object({
    regularity: z.string(),
    monthly_average: minor,
    streams: z.array(
      z.object({
        payer: z.string(),
        kind: z.string(),
        cadence: z.string().nullable(),
        deposits: z.number().int(),
        total: minor,
        typical_amount: minor,
        monthly_equivalent: minor.nullable().describe('null without a cadence'),
        interval_variation: z.string(),
        amount_variation: z.string(),
        first_date: calendarDate,
        last_date: calendarDate,
      }),
    ),
  }),
  recurring_debits: z.array(
    z.object({
      payee: z.string(),
      category: z.string(),
      cadence: z.string(),
      occurrences: z.number().int(),
      typical_amount: minor,
      monthly_equivalent: minor,
      amount_variation: z.string(),
      last_date: calendarDate,
      next_expected_date: calendarDate,
      active: z.boolean(),
    }),
  ),
  internal_transfers_excluded: z.number().int(),
});

export const providerOut = z.object({
  provider_key: z.string(),
  display_name: z.string(),
  category: z.string(),
  auth_type: z.string(),
  capabilities: z.array(z.string()).readonly(),
  required_settings: z.array(z.string()).readonly(),
  secret_fields: z.array(z.string()).readonly(),
  file_formats: z.array(z.string()).readonly().nullable(),
  documentation: z.string(),
  tested_with: z.string(),
});

export const connectionOut = z.object({
  id: z.string(),
  customer_id: z.string(),
  provider: z.string(),
  auth_type: z.string(),
  provider_config_id: z.string().nullable(),
  status: z.string(),
  status_reason: z.string().nullable(),
  connected_at: instant.nullable(),
  last_sync_at: instant.nullable(),
  next_sync_at: instant.nullable(),
  created_at: instant,
  updated_at: instant,
});

/** A connection just started or asked again: the URL to send the customer to (OAuth), else null. */
export const startedOut = z.object({ connection: connectionOut, authorization_url: z.string().nullable() });

export const countsOut = {
  accounts_imported: z.number().int(),
  accounts_updated: z.number().int(),
  transactions_imported: z.number().int(),
  transactions_updated: z.number().int(),
  transactions_skipped: z.number().int(),
  transactions_flagged: z.number().int(),
  transactions_replaced: z.number().int(),
  pending_settled: z.number().int(),
  pending_cancelled: z.number().int(),
  holdings_imported: z.number().int(),
  balance_snapshots: z.number().int(),
};

export const importOut = z.object({
  id: z.string(),
  provider_slug: z.string(),
  connection_id: z.string(),
  customer_id: z.string(),
  file_format: z.string(),
  statements: z.number().int(),
  ...countsOut,
  message: z.string(),
  warnings: z.array(
    z.object({
      code: z.string(),
      message: z.string(),
      line: z.number().int(),
      column: z.number().int(),
      element: z.string(),
      path: z.string(),
    }),
  ),
});

export const syncRunOut = z.object({
  id: z.string(),
  connection_id: z.string(),
  trigger: z.string(),
  scope: z.string(),
  snapshot_source: z.string(),
  status: z.string(),
  window: z.object({ start_date: calendarDate, end_date: calendarDate.nullable() }).nullable(),
  started_at: instant,
  finished_at: instant.nullable(),
  result: z
    .object({
      ...countsOut,
      skipped_records: z.number().int(),
      token_refreshed: z.boolean(),
      refresh_token_rotated: z.boolean(),
    })
    .nullable(),
  error: z
    .object({
      kind: z.string().nullable(),
      code: z.string(),
      message: z.string().nullable(),
      retry_after_seconds: z.number().nullable(),
    })
    .nullable(),
});
