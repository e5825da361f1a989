import type { z } from 'zod';
import type { ReportGenerator } from '../domain/index.js';
import { moneyColumn as money, periodParams, programParam, type ReportSource } from './source.js';

/** Reports that sum the journal's postings of some kinds per day and program. */

const params = periodParams(programParam);
type Params = z.output<typeof params>;

/**
 * Interest recognised per day and program: accrual postings into interest receivable, less any reversed out of
 * it (a backdated payment restates accruals; those restatements are `restatement` postings and not counted).
 */
export const interestAccrual: ReportGenerator<Params, ReportSource> = {
  key: 'interest_accrual',
  displayName: 'Interest accrual',
  description: 'Interest accrued by day and program (the journal’s accrual postings to interest income)',
  paramsSchema: params,
  run(p, source) {
    const total = { rows: 0, amount: 0 };
    async function* rows() {
      const byDay = new Map<
        string,
        { date: string; programId: string; currency: string; loans: number; amount: number }
      >();
      const flush = function* () {
        for (const r of byDay.values()) {
          total.rows++;
          total.amount += r.amount;
          yield {
            date: r.date,
            program_id: r.programId,
            currency: r.currency,
            loans: r.loans,
            interest: r.amount,
          };
        }
        byDay.clear();
      };
      let day = '';
      for await (const t of source.lending.postings(source.tenantId, ['accrual'], p, {
        programId: p.program_id,
      })) {
        if (t.date !== day) {
          yield* flush();
          day = t.date;
        }
        const sign =
          t.creditAccount === 'interest_income' ? 1 : t.debitAccount === 'interest_income' ? -1 : 0;
        if (sign === 0) continue;
        const key = `${t.programId}|${t.currency}`;
        const r = byDay.get(key) ?? {
          date: t.date,
          programId: t.programId,
          currency: t.currency,
          loans: 0,
          amount: 0,
        };
        r.loans = Math.max(r.loans, t.loans);
        r.amount += sign * t.amount;
        byDay.set(key, r);
      }
      yield* flush();
    }
    return {
      columns: [
        { key: 'date', label: 'Date', type: 'date' },
        { key: 'program_id', label: 'Program', type: 'string' },
        { key: 'currency', label: 'Currency', type: 'string' },
        { key: 'loans', label: 'Loans accruing', type: 'integer' },
        money('interest', 'Interest accrued'),
      ],
      rows: rows(),
      summary: () => ({
        rows: total.rows,
        figures: [
          { label: 'Interest accrued (minor units, all currencies)', value: total.amount, type: 'integer' },
        ],
      }),
    };
  },
};

export const chargeOffsRecoveries: ReportGenerator<Params, ReportSource> = {
  key: 'charge_offs_recoveries',
  displayName: 'Charge-offs and recoveries',
  description: 'Balances charged off, by day, program and account, and cash recovered after charge-off',
  paramsSchema: params,
  run(p, source) {
    const total = { rows: 0, chargedOff: 0, recovered: 0 };
    async function* rows() {
      const kinds = ['charge_off', 'recovery'];
      for await (const t of source.lending.postings(source.tenantId, kinds, p, { programId: p.program_id })) {
        const recovery = t.kind === 'recovery';
        total.rows++;
        if (recovery) total.recovered += t.amount;
        else total.chargedOff += t.amount;
        yield {
          date: t.date,
          program_id: t.programId,
          currency: t.currency,
          kind: t.kind,
          account: t.creditAccount,
          counter_account: t.debitAccount,
          loans: t.loans,
          amount: t.amount,
        };
      }
    }
    return {
      columns: [
        { key: 'date', label: 'Date', type: 'date' },
        { key: 'program_id', label: 'Program', type: 'string' },
        { key: 'currency', label: 'Currency', type: 'string' },
        { key: 'kind', label: 'Kind', type: 'string' },
        { key: 'account', label: 'Account credited', type: 'string' },
        { key: 'counter_account', label: 'Account debited', type: 'string' },
        { key: 'loans', label: 'Loans', type: 'integer' },
        money('amount', 'Amount'),
      ],
      rows: rows(),
      summary: () => ({
        rows: total.rows,
        figures: [
          { label: 'Charged off (minor units)', value: total.chargedOff, type: 'integer' },
          { label: 'Recovered (minor units)', value: total.recovered, type: 'integer' },
        ],
      }),
    };
  },
};
