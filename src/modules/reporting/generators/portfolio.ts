import { z } from 'zod';
import { AgingAccumulator, agingChart, ParAccumulator, type ReportGenerator } from '../domain/index.js';
import {
  balanceOf,
  currencyParam,
  inCurrency,
  moneyColumn as money,
  programParam,
  type ReportSource,
} from './source.js';

/** Reports over the loan book on the tenant's business date: the tape, its aggregates by program and bucket. */

const aggregateParams = z.strictObject({ ...programParam, ...currencyParam });
type AggregateParams = z.output<typeof aggregateParams>;

export const delinquencyAging: ReportGenerator<AggregateParams, ReportSource> = {
  key: 'delinquency_aging',
  displayName: 'Delinquency aging',
  description: 'Loans, principal, past due and balance by days-past-due bucket (every bucket listed)',
  paramsSchema: aggregateParams,
  run(params, source) {
    const aging = new AgingAccumulator();
    const skipped = { n: 0 };
    const loans = inCurrency(
      source.lending.loans(source.tenantId, { programId: params.program_id }),
      params.currency,
      skipped,
    );
    async function* rows() {
      for await (const l of loans)
        aging.add({
          daysPastDue: l.daysPastDue,
          principal: l.principal,
          pastDue: l.pastDue,
          balance: balanceOf(l),
        });
      for (const r of aging.rows())
        yield {
          bucket: r.bucket,
          loans: r.loans,
          principal: r.principal,
          past_due: r.pastDue,
          balance: r.balance,
          principal_share: r.principalShare,
        };
    }
    const cur = { code: params.currency };
    return {
      columns: [
        { key: 'bucket', label: 'Bucket', type: 'string' },
        { key: 'loans', label: 'Loans', type: 'integer' },
        { key: 'principal', label: 'Principal', type: 'money', currency: cur },
        { key: 'past_due', label: 'Past due', type: 'money', currency: cur },
        { key: 'balance', label: 'Balance', type: 'money', currency: cur },
        { key: 'principal_share', label: 'Share of principal', type: 'percent' },
      ],
      rows: rows(),
      summary: () => {
        const t = aging.totals();
        return {
          rows: aging.buckets.length,
          figures: [
            { label: 'Loans', value: t.loans, type: 'integer' },
            { label: 'Principal', value: t.principal, type: 'money', currency: params.currency },
            { label: 'Past due', value: t.pastDue, type: 'money', currency: params.currency },
            { label: 'Loans in other currencies (left out)', value: skipped.n, type: 'integer' },
          ],
        };
      },
      chart: () => agingChart(aging.rows()),
    };
  },
};

export const portfolioAtRisk: ReportGenerator<AggregateParams, ReportSource> = {
  key: 'portfolio_at_risk',
  displayName: 'Portfolio at risk',
  description:
    'PAR30, PAR60, PAR90: outstanding principal of loans more than N days past due over all principal',
  paramsSchema: aggregateParams,
  run(params, source) {
    const par = new ParAccumulator();
    const skipped = { n: 0 };
    async function* rows() {
      const loans = source.lending.loans(source.tenantId, { programId: params.program_id });
      for await (const l of inCurrency(loans, params.currency, skipped))
        par.add({ daysPastDue: l.daysPastDue, principal: l.principal });
      for (const r of par.rows())
        yield {
          measure: r.label,
          loans: r.loans,
          principal_at_risk: r.principalAtRisk,
          total_principal: r.totalPrincipal,
          ratio: r.ratio,
        };
    }
    const cur = { code: params.currency };
    return {
      columns: [
        { key: 'measure', label: 'Measure', type: 'string' },
        { key: 'loans', label: 'Loans', type: 'integer' },
        { key: 'principal_at_risk', label: 'Principal at risk', type: 'money', currency: cur },
        { key: 'total_principal', label: 'Total principal', type: 'money', currency: cur },
        { key: 'ratio', label: 'Ratio', type: 'percent' },
      ],
      rows: rows(),
      summary: () => ({
        rows: 3,
        figures: [{ label: 'Loans in other currencies (left out)', value: skipped.n, type: 'integer' }],
      }),
    };
  },
};

const summaryParams = z.strictObject({ ...programParam });

export const portfolioSummary: ReportGenerator<z.output<typeof summaryParams>, ReportSource> = {
  key: 'portfolio_summary',
  displayName: 'Portfolio summary',
  description: 'Loans and receivable balances by program, status and currency',
  paramsSchema: summaryParams,
  run(params, source) {
    type Group = {
      programId: string;
      status: string;
      currency: string;
      loans: number;
      amount: number;
      principal: number;
      balance: number;
      pastDue: number;
    };
    const groups = new Map<string, Group>();
    async function* rows() {
      for await (const l of source.lending.loans(source.tenantId, { programId: params.program_id })) {
        const key = `${l.programId}|${l.status}|${l.currency}`;
        const g = groups.get(key) ?? {
          programId: l.programId,
          status: l.status,
          currency: l.currency,
          loans: 0,
          amount: 0,
          principal: 0,
          balance: 0,
          pastDue: 0,
        };
        g.loans++;
        g.amount += l.amount;
        g.principal += l.principal;
        g.balance += balanceOf(l);
        g.pastDue += l.pastDue;
        groups.set(key, g);
      }
      const names = new Map((await source.lending.programs(source.tenantId)).map((p) => [p.id, p.name]));
      const sorted = [...groups.values()].sort((a, b) =>
        `${a.programId}|${a.status}|${a.currency}` < `${b.programId}|${b.status}|${b.currency}` ? -1 : 1,
      );
      for (const g of sorted)
        yield {
          program_id: g.programId,
          program: names.get(g.programId) ?? null,
          status: g.status,
          currency: g.currency,
          loans: g.loans,
          amount: g.amount,
          principal: g.principal,
          past_due: g.pastDue,
          balance: g.balance,
        };
    }
    return {
      columns: [
        { key: 'program_id', label: 'Program id', type: 'string' },
        { key: 'program', label: 'Program', type: 'string' },
        { key: 'status', label: 'Status', type: 'string' },
        { key: 'currency', label: 'Currency', type: 'string' },
        { key: 'loans', label: 'Loans', type: 'integer' },
        money('amount', 'Amount'),
        money('principal', 'Principal'),
        money('past_due', 'Past due'),
        money('balance', 'Balance'),
      ],
      rows: rows(),
      summary: () => ({
        rows: groups.size,
        figures: [
          { label: 'Loans', value: [...groups.values()].reduce((s, g) => s + g.loans, 0), type: 'integer' },
        ],
      }),
    };
  },
};
