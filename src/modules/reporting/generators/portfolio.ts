import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { LoanTapeRecord } from '../../lending/index.js';
import { AgingAccumulator, agingChart, ParAccumulator, type ReportGenerator } from '../domain/index.js';
import { currencyParam, programParam, type ReportSource } from './source.js';

/** Reports over the loan book on the tenant's business date: the tape, its aggregates by program and bucket. */

const money = (key: string, label: string) =>
  ({ key, label, type: 'money', currency: { column: 'currency' } }) as const;

/** Loans of the report's currency; the others are counted so the summary says what was left out. */
async function* inCurrency(
  loans: AsyncIterable<LoanTapeRecord>,
  currency: string,
  skipped: { n: number },
): AsyncIterable<LoanTapeRecord> {
  for await (const l of loans) {
    if (l.currency === currency) yield l;
    else skipped.n++;
  }
}

const balanceOf = (l: LoanTapeRecord) => l.principal + l.interest + l.fees + l.penalties;

/** Interest one day earns on the outstanding principal at the rate in force, by the loan's day count, half-even. */
export function perDiem(l: LoanTapeRecord): number {
  if (l.principal <= 0) return 0;
  const year = l.dayCount === '30/360' || l.dayCount === 'actual/360' ? 360 : 365;
  return new Decimal(l.principal)
    .mul(l.rateNum)
    .div(new Decimal(l.rateDen).mul(year))
    .toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN)
    .toNumber();
}

const ratePercent = (l: LoanTapeRecord) =>
  new Decimal(l.rateNum).div(l.rateDen).mul(100).toDecimalPlaces(6).toString();

const loanTapeParams = z.strictObject({ ...programParam });

export const loanTape: ReportGenerator<z.output<typeof loanTapeParams>, ReportSource> = {
  key: 'loan_tape',
  displayName: 'Loan tape',
  description:
    'One row per loan on the business date: terms, receivable balances, past due, payoff (the receivables as of the last close of business) and per-diem interest',
  paramsSchema: loanTapeParams,
  run(params, source) {
    const totals = { loans: 0, principal: 0, pastDue: 0 };
    async function* rows() {
      for await (const l of source.lending.loans(source.tenantId, { programId: params.program_id })) {
        totals.loans++;
        totals.principal += l.principal;
        totals.pastDue += l.pastDue;
        yield {
          loan_id: l.id,
          external_ref: l.externalRef,
          program_id: l.programId,
          product: l.product,
          customer_id: l.customerId,
          status: l.status,
          currency: l.currency,
          amount: l.amount,
          start_date: l.startDate,
          maturity_date: l.maturityDate,
          annual_rate_percent: ratePercent(l),
          days_past_due: l.daysPastDue,
          bucket: l.bucket,
          principal: l.principal,
          interest: l.interest,
          fees: l.fees,
          penalties: l.penalties,
          past_due: l.pastDue,
          payoff: balanceOf(l),
          per_diem_interest: perDiem(l),
        };
      }
    }
    return {
      columns: [
        { key: 'loan_id', label: 'Loan', type: 'string' },
        { key: 'external_ref', label: 'External ref', type: 'string' },
        { key: 'program_id', label: 'Program', type: 'string' },
        { key: 'product', label: 'Product', type: 'string' },
        { key: 'customer_id', label: 'Customer', type: 'string' },
        { key: 'status', label: 'Status', type: 'string' },
        { key: 'currency', label: 'Currency', type: 'string' },
        money('amount', 'Amount'),
        { key: 'start_date', label: 'Start', type: 'date' },
        { key: 'maturity_date', label: 'Maturity', type: 'date' },
        { key: 'annual_rate_percent', label: 'Rate %', type: 'decimal' },
        { key: 'days_past_due', label: 'Days past due', type: 'integer' },
        { key: 'bucket', label: 'Bucket', type: 'string' },
        money('principal', 'Principal'),
        money('interest', 'Interest receivable'),
        money('fees', 'Fees receivable'),
        money('penalties', 'Penalties receivable'),
        money('past_due', 'Past due'),
        money('payoff', 'Payoff'),
        money('per_diem_interest', 'Per-diem interest'),
      ],
      rows: rows(),
      summary: () => ({
        rows: totals.loans,
        figures: [
          { label: 'Loans', value: totals.loans, type: 'integer' },
          { label: 'Principal (all currencies)', value: totals.principal, type: 'integer' },
          { label: 'Past due (all currencies)', value: totals.pastDue, type: 'integer' },
        ],
      }),
    };
  },
};

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

const cashFlowParams = z.strictObject({ ...programParam, ...currencyParam });

/** Scheduled receipts still owed, by due date (past-due amounts under the business date's row are not included). */
export const expectedCashFlow: ReportGenerator<z.output<typeof cashFlowParams>, ReportSource> = {
  key: 'expected_cash_flow',
  displayName: 'Expected cash flow',
  description: 'Scheduled receipts (installments due on or after the business date, unpaid) by due date',
  paramsSchema: cashFlowParams,
  run(params, source) {
    const total = { amount: 0, days: 0 };
    async function* rows() {
      for await (const r of source.lending.scheduledReceipts(source.tenantId, {
        programId: params.program_id,
        currency: params.currency,
      })) {
        total.amount += r.amount;
        total.days++;
        yield {
          due_date: r.date,
          installments: r.installments,
          principal: r.principal,
          interest: r.interest,
          fees: r.fees,
          amount: r.amount,
        };
      }
    }
    const cur = { code: params.currency };
    return {
      columns: [
        { key: 'due_date', label: 'Due', type: 'date' },
        { key: 'installments', label: 'Installments', type: 'integer' },
        { key: 'principal', label: 'Principal', type: 'money', currency: cur },
        { key: 'interest', label: 'Interest', type: 'money', currency: cur },
        { key: 'fees', label: 'Fees and penalties', type: 'money', currency: cur },
        { key: 'amount', label: 'Total', type: 'money', currency: cur },
      ],
      rows: rows(),
      summary: () => ({
        rows: total.days,
        figures: [{ label: 'Expected', value: total.amount, type: 'money', currency: params.currency }],
      }),
    };
  },
};
