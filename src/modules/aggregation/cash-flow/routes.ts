import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateSchema } from '../../../kernel/dates.js';
import { currencySchema } from '../../../kernel/money.js';
import { unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import { cashFlowOut } from '../responses.js';
import type { CashFlowService, CustomerCashFlow } from './service.js';

const idParams = z.object({ id: z.string() });

const cashFlowJson = (c: CustomerCashFlow) => ({
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

/** The underwriting summary of a customer's linked deposit accounts. */
export const cashFlowRoutes: FastifyPluginAsyncZod<{ cashFlow: CashFlowService }> = async (
  app,
  { cashFlow },
) => {
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
        response: { 200: cashFlowOut },
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
