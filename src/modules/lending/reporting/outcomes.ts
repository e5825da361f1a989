import { sql } from 'drizzle-orm';
import type { CalendarDate } from '../../../kernel/dates.js';
import { type Db, rows } from '../../../kernel/db.js';
import type { Minor } from '../../../kernel/money.js';
import { programIs, toMinor } from './book.js';
import type { LoanFilter } from './records.js';

/** Dated amounts of one kind on one loan. */
export interface Dated {
  date: CalendarDate;
  amount: Minor;
}

/** A loan's life as vintage analysis reads it: when it started, what it lent, lost, recovered and repaid. */
export interface LoanOutcome {
  loanId: string;
  programId: string;
  currency: string;
  startDate: CalendarDate;
  /** Principal disbursed (the journal's disbursements crediting cash). */
  disbursed: Minor;
  /** Principal written off by charge-offs (crediting loans_receivable). */
  chargedOff: Dated[];
  /** Cash recovered after charge-off. */
  recovered: Dated[];
  /** Principal repaid by payments (crediting loans_receivable), per payment date. */
  principalPaid: Dated[];
  /** Principal scheduled, per installment due date (none for a line of credit). */
  principalDue: Dated[];
}

/**
 * Loans with their journal outcomes through a date, in id order, a page of loans per three queries (the loans,
 * their postings, their schedules), so a vintage report folds the book one loan at a time.
 */
export async function* loanOutcomes(
  db: Db,
  tenantId: string,
  asOf: CalendarDate,
  filter: LoanFilter = {},
  pageSize = 2000,
): AsyncIterable<LoanOutcome> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const loans = await rows<Record<string, unknown>>(
      db,
      sql`SELECT l.id, l.program_id, l.currency, l.start_date::text AS start_date
            FROM loans l
           WHERE l.tenant_id = ${tenantId} AND l.id > ${after}::uuid AND l.start_date <= ${asOf}::date
             AND l.status NOT IN ('application', 'approved', 'rejected', 'withdrawn') AND ${programIs(filter)}
           ORDER BY l.id
           LIMIT ${pageSize}`,
    );
    if (loans.length === 0) return;
    const ids = sql.param(loans.map((l) => String(l.id)));
    const postings = await rows<Record<string, unknown>>(
      db,
      sql`SELECT loan_id, entry_date::text AS date,
                 sum(amount) FILTER (WHERE kind = 'disbursement' AND credit_account = 'cash') AS disbursed,
                 sum(amount) FILTER (WHERE kind = 'charge_off' AND credit_account = 'loans_receivable') AS charged_off,
                 sum(amount) FILTER (WHERE kind = 'recovery' AND debit_account = 'cash') AS recovered,
                 sum(amount) FILTER (WHERE kind = 'payment' AND credit_account = 'loans_receivable') AS principal_paid
            FROM loan_journal
           WHERE tenant_id = ${tenantId} AND loan_id = ANY(${ids}::uuid[]) AND entry_date <= ${asOf}::date
             AND kind IN ('disbursement', 'charge_off', 'recovery', 'payment')
           GROUP BY loan_id, entry_date
           ORDER BY loan_id, entry_date`,
    );
    const schedules = await rows<Record<string, unknown>>(
      db,
      sql`SELECT loan_id, due_date::text AS date, principal_due AS amount
            FROM loan_installments
           WHERE tenant_id = ${tenantId} AND loan_id = ANY(${ids}::uuid[])
           ORDER BY loan_id, due_date`,
    );
    const outcomes = new Map<string, LoanOutcome>(
      loans.map((l) => [
        String(l.id),
        {
          loanId: String(l.id),
          programId: String(l.program_id),
          currency: String(l.currency),
          startDate: l.start_date as CalendarDate,
          disbursed: 0,
          chargedOff: [],
          recovered: [],
          principalPaid: [],
          principalDue: [],
        },
      ]),
    );
    for (const p of postings) {
      const o = outcomes.get(String(p.loan_id))!;
      const date = p.date as CalendarDate;
      o.disbursed += toMinor(p.disbursed);
      for (const [list, v] of [
        [o.chargedOff, p.charged_off],
        [o.recovered, p.recovered],
        [o.principalPaid, p.principal_paid],
      ] as const)
        if (toMinor(v) !== 0) list.push({ date, amount: toMinor(v) });
    }
    for (const s of schedules)
      outcomes.get(String(s.loan_id))!.principalDue.push({
        date: s.date as CalendarDate,
        amount: toMinor(s.amount),
      });
    yield* outcomes.values();
    if (loans.length < pageSize) return;
    after = String(loans.at(-1)!.id);
  }
}
