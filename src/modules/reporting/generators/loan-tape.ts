import { z } from 'zod';
import type { ReportGenerator } from '../domain/index.js';
import { balanceOf, moneyColumn as money, programParam, type ReportSource } from './source.js';

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
      for await (const l of source.lending.tape(source.tenantId, { programId: params.program_id })) {
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
          annual_rate_percent: l.ratePercent,
          days_past_due: l.daysPastDue,
          bucket: l.bucket,
          principal: l.principal,
          interest: l.interest,
          fees: l.fees,
          penalties: l.penalties,
          past_due: l.pastDue,
          payoff: balanceOf(l),
          per_diem_interest: l.perDiem,
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
