import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateSchema } from '../../../kernel/dates.js';
import { listOf } from '../../../kernel/responses.js';
import { unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import { TRANSACTION_STATUSES } from '../domain/types.js';
import { accountOut, holdingOut, snapshotOut, transactionOut } from '../responses.js';
import type { AccountRow, HoldingRow, SnapshotRow, TransactionRow } from '../tables.js';
import type { AccountService } from './service.js';

const idParams = z.object({ id: z.string() });

const accountJson = (a: AccountRow) => ({
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
  balance_as_of: a.balanceAsOf?.toISOString() ?? null,
  institution: a.institutionName || a.institutionId ? { name: a.institutionName, id: a.institutionId } : null,
  is_active: a.isActive,
  last_synced_at: a.lastSyncedAt.toISOString(),
  created_at: a.createdAt.toISOString(),
  updated_at: a.updatedAt.toISOString(),
});

const transactionJson = (t: TransactionRow) => ({
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

const holdingJson = (h: HoldingRow) => ({
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
  as_of: h.asOf?.toISOString() ?? null,
  updated_at: h.updatedAt.toISOString(),
});

const snapshotJson = (s: SnapshotRow) => ({
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

/** The normalized data: a customer's accounts, and an account's transactions, holdings and balance snapshots. */
export const accountRoutes: FastifyPluginAsyncZod<{ accounts: AccountService }> = async (
  app,
  { accounts },
) => {
  app.get(
    '/v1/accounts',
    {
      schema: {
        tags: ['aggregation'],
        summary: "A customer's linked accounts",
        querystring: z.strictObject({ customer_id: z.string() }),
        response: { 200: listOf(accountOut) },
      },
    },
    async (req) => ({
      data: unwrap(await accounts.listAccounts(scopeOf(req), req.query.customer_id)).map(accountJson),
    }),
  );

  app.get(
    '/v1/accounts/:id',
    {
      schema: {
        tags: ['aggregation'],
        summary: 'Get an account',
        params: idParams,
        response: { 200: accountOut },
      },
    },
    async (req) => accountJson(unwrap(await accounts.account(scopeOf(req), req.params.id))),
  );

  app.get(
    '/v1/accounts/:id/transactions',
    {
      schema: {
        tags: ['aggregation'],
        summary: "An account's transactions, newest first",
        params: idParams,
        querystring: z.strictObject({
          start_date: dateSchema.optional(),
          end_date: dateSchema.optional(),
          status: z.enum(TRANSACTION_STATUSES).optional(),
          needs_review: z.enum(['true', 'false']).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          cursor: z.string().max(200).optional(),
        }),
        response: {
          200: z.object({
            data: z.array(transactionOut),
            next_cursor: z.string().nullable().describe('the next page’s `cursor`; null on the last'),
          }),
        },
      },
    },
    async (req) => {
      const q = req.query;
      const page = unwrap(
        await accounts.transactions(scopeOf(req), req.params.id, {
          startDate: q.start_date,
          endDate: q.end_date,
          status: q.status,
          needsReview: q.needs_review === undefined ? undefined : q.needs_review === 'true',
          limit: q.limit,
          cursor: q.cursor,
        }),
      );
      return { data: page.rows.map(transactionJson), next_cursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/accounts/:id/holdings',
    {
      schema: {
        tags: ['aggregation'],
        summary: "An account's current holdings",
        params: idParams,
        response: { 200: listOf(holdingOut) },
      },
    },
    async (req) => ({ data: unwrap(await accounts.holdings(scopeOf(req), req.params.id)).map(holdingJson) }),
  );

  app.get(
    '/v1/accounts/:id/balance-snapshots',
    {
      schema: {
        tags: ['aggregation'],
        summary: "An account's balance snapshots (one per sync or import), newest first",
        params: idParams,
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
        response: { 200: listOf(snapshotOut) },
      },
    },
    async (req) => ({
      data: unwrap(await accounts.snapshots(scopeOf(req), req.params.id, req.query.limit)).map(snapshotJson),
    }),
  );
};
