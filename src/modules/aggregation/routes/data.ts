import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateSchema } from '../../../kernel/dates.js';
import { currencySchema } from '../../../kernel/money.js';
import { unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import { TRANSACTION_STATUSES } from '../domain/types.js';
import {
  accountJson,
  cashFlowJson,
  holdingJson,
  providerJson,
  snapshotJson,
  transactionJson,
} from '../json.js';
import type { Aggregation } from '../module.js';

const idParams = z.object({ id: z.string() });

/** The registry, and the normalized data: accounts, transactions, holdings, snapshots, the cash-flow summary. */
export const dataRoutes: FastifyPluginAsyncZod<{ aggregation: Aggregation }> = async (
  app,
  { aggregation },
) => {
  const { reads, cashFlow } = aggregation;

  app.get(
    '/v1/financial-providers',
    { schema: { tags: ['aggregation'], summary: 'Financial-data providers and their registry metadata' } },
    async () => ({
      data: aggregation.connections.providers().map(providerJson),
    }),
  );

  app.get(
    '/v1/accounts',
    {
      schema: {
        tags: ['aggregation'],
        summary: "A customer's linked accounts",
        querystring: z.strictObject({ customer_id: z.string() }),
      },
    },
    async (req) => ({
      data: unwrap(await reads.listAccounts(scopeOf(req), req.query.customer_id)).map(accountJson),
    }),
  );

  app.get(
    '/v1/accounts/:id',
    { schema: { tags: ['aggregation'], summary: 'Get an account', params: idParams } },
    async (req) => accountJson(unwrap(await reads.account(scopeOf(req), req.params.id))),
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
      },
    },
    async (req) => {
      const q = req.query;
      const page = unwrap(
        await reads.transactions(scopeOf(req), req.params.id, {
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
    { schema: { tags: ['aggregation'], summary: "An account's current holdings", params: idParams } },
    async (req) => ({ data: unwrap(await reads.holdings(scopeOf(req), req.params.id)).map(holdingJson) }),
  );

  app.get(
    '/v1/accounts/:id/balance-snapshots',
    {
      schema: {
        tags: ['aggregation'],
        summary: "An account's balance snapshots (one per sync or import), newest first",
        params: idParams,
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      },
    },
    async (req) => ({
      data: unwrap(await reads.snapshots(scopeOf(req), req.params.id, req.query.limit)).map(snapshotJson),
    }),
  );

  app.get(
    '/v1/customers/:id/cash-flow',
    {
      schema: {
        tags: ['aggregation'],
        summary: 'Underwriting summary of the linked deposit accounts (the ability-to-repay input)',
        params: idParams,
        querystring: z.strictObject({
          months: z.coerce.number().int().min(1).max(24).default(6),
          end_date: dateSchema.optional(),
          currency: currencySchema.optional(),
        }),
      },
    },
    async (req) =>
      cashFlowJson(
        unwrap(
          await cashFlow.summary(scopeOf(req), req.params.id, {
            months: req.query.months,
            endDate: req.query.end_date,
            currency: req.query.currency,
          }),
        ),
      ),
  );
};
