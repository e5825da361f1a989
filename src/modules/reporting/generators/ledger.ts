import { z } from 'zod';
import { dateSchema } from '../../../kernel/dates.js';
import type { ReportGenerator } from '../domain/index.js';
import { moneyColumn as money, periodParams, programParam, type ReportSource } from './source.js';

/** Reports from the journal: the trial balance, cash received by payments and cash lent out. */

const trialBalanceParams = z.strictObject({ as_of: dateSchema });

export const glTrialBalance: ReportGenerator<z.output<typeof trialBalanceParams>, ReportSource> = {
  key: 'gl_trial_balance',
  displayName: 'GL trial balance',
  description:
    'Debits, credits and the balance of every journal account over entries dated on or before a date; debits equal credits',
  paramsSchema: trialBalanceParams,
  run(params, source) {
    const totals = { accounts: 0, debits: 0, credits: 0 };
    async function* rows() {
      for (const line of await source.lending.trialBalance(source.tenantId, params.as_of)) {
        totals.accounts++;
        totals.debits += line.debits;
        totals.credits += line.credits;
        yield {
          account: line.account,
          debits: line.debits,
          credits: line.credits,
          balance: line.debits - line.credits,
        };
      }
    }
    // The journal holds one currency per tenant in practice; amounts are minor units of the loans' currency.
    return {
      columns: [
        { key: 'account', label: 'Account', type: 'string' },
        { key: 'debits', label: 'Debits (minor units)', type: 'integer' },
        { key: 'credits', label: 'Credits (minor units)', type: 'integer' },
        { key: 'balance', label: 'Balance (debit +)', type: 'integer' },
      ],
      rows: rows(),
      summary: () => ({
        rows: totals.accounts,
        figures: [
          { label: 'Debits', value: totals.debits, type: 'integer' },
          { label: 'Credits', value: totals.credits, type: 'integer' },
          { label: 'Debits − credits (always 0)', value: totals.debits - totals.credits, type: 'integer' },
        ],
      }),
    };
  },
};

const periodProgram = periodParams(programParam);
type PeriodProgram = z.output<typeof periodProgram>;

export const paymentsReceived: ReportGenerator<PeriodProgram, ReportSource> = {
  key: 'payments_received',
  displayName: 'Payments received',
  description:
    'Cash received by loan payments in a period (journal payment postings debiting cash) with the waterfall allocation',
  paramsSchema: periodProgram,
  run(params, source) {
    const totals = { payments: 0, amount: 0 };
    async function* rows() {
      const period = { from: params.from, to: params.to };
      for await (const p of source.lending.payments(source.tenantId, period, {
        programId: params.program_id,
      })) {
        totals.payments++;
        totals.amount += p.amount;
        yield {
          date: p.date,
          loan_id: p.loanId,
          program_id: p.programId,
          event_id: p.eventId,
          currency: p.currency,
          amount: p.amount,
          principal: p.principal,
          interest: p.interest,
          fees: p.fees,
          penalties: p.penalties,
          overpayment: p.overpayment,
          // The payments module (issue 17) will name the processor; lending's payments have none.
          processor: null,
        };
      }
    }
    return {
      columns: [
        { key: 'date', label: 'Date', type: 'date' },
        { key: 'loan_id', label: 'Loan', type: 'string' },
        { key: 'program_id', label: 'Program', type: 'string' },
        { key: 'event_id', label: 'Payment', type: 'string' },
        { key: 'currency', label: 'Currency', type: 'string' },
        money('amount', 'Amount'),
        money('principal', 'Principal'),
        money('interest', 'Interest'),
        money('fees', 'Fees'),
        money('penalties', 'Penalties'),
        money('overpayment', 'Overpayment'),
        { key: 'processor', label: 'Processor', type: 'string' },
      ],
      rows: rows(),
      summary: () => ({
        rows: totals.payments,
        figures: [
          { label: 'Payments', value: totals.payments, type: 'integer' },
          { label: 'Received (minor units, all currencies)', value: totals.amount, type: 'integer' },
        ],
      }),
    };
  },
};

export const disbursements: ReportGenerator<PeriodProgram, ReportSource> = {
  key: 'disbursements',
  displayName: 'Disbursements',
  description: 'Money lent out in a period (journal disbursement postings crediting cash)',
  paramsSchema: periodProgram,
  run(params, source) {
    const totals = { n: 0, amount: 0 };
    async function* rows() {
      const period = { from: params.from, to: params.to };
      for await (const d of source.lending.disbursements(source.tenantId, period, {
        programId: params.program_id,
      })) {
        totals.n++;
        totals.amount += d.amount;
        yield {
          date: d.date,
          loan_id: d.loanId,
          program_id: d.programId,
          event_id: d.eventId,
          currency: d.currency,
          amount: d.amount,
        };
      }
    }
    return {
      columns: [
        { key: 'date', label: 'Date', type: 'date' },
        { key: 'loan_id', label: 'Loan', type: 'string' },
        { key: 'program_id', label: 'Program', type: 'string' },
        { key: 'event_id', label: 'Event', type: 'string' },
        { key: 'currency', label: 'Currency', type: 'string' },
        money('amount', 'Amount'),
      ],
      rows: rows(),
      summary: () => ({
        rows: totals.n,
        figures: [
          { label: 'Disbursements', value: totals.n, type: 'integer' },
          { label: 'Disbursed (minor units, all currencies)', value: totals.amount, type: 'integer' },
        ],
      }),
    };
  },
};
