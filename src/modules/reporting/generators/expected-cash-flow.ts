import { z } from 'zod';
import type { ReportGenerator } from '../domain/index.js';
import { currencyParam, programParam, type ReportSource } from './source.js';

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
