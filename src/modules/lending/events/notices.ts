import { type SQL, sql } from 'drizzle-orm';
import type { CalendarDate } from '../../../kernel/dates.js';
import { type Db, rows } from '../../../kernel/db.js';
import type { Minor } from '../../../kernel/money.js';

/**
 * What a closed day means for the borrowers (communications' reminders, late notices and statements read it when
 * `lending.day_closed` is relayed). Every question is asked by date, not of the loans' present state alone, so
 * a day relayed late (close of business caught up several days at once) finds what that day brought.
 */
export interface NoticeLoan {
  loanId: string;
  programId: string;
  customerId: string | null;
  currency: string;
  /** The loan's reference for the borrower: its external reference, or its id. */
  reference: string;
}

export interface PaymentDue extends NoticeLoan {
  dueDate: CalendarDate;
  /** What the installment (or the line's last minimum payment) still owes. */
  amount: Minor;
}

export interface BecameLate extends NoticeLoan {
  /** The oldest due date not paid; the loan became late on `closed` (after its grace days). */
  oldestUnpaidDue: CalendarDate;
  daysPastDue: number;
  /** What is owed of installments due on or before the day (null for lines: their minimum is on the statement). */
  amountPastDue: Minor | null;
}

/**
 * A page of a day's notices, in loan id order: the loans after `after` (null: from the first), at most `limit`. A
 * tenant with a hundred thousand loans is read a page at a time, never in one answer.
 */
export interface NoticePage {
  after: string | null;
  limit: number;
}

const after = (column: SQL, page: NoticePage) =>
  page.after === null ? sql`true` : sql`${column} > ${page.after}::uuid`;

const LIVE = sql`l.status IN ('active', 'delinquent', 'frozen', 'closing')`;

const loanOf = (r: Record<string, unknown>): NoticeLoan => ({
  loanId: String(r.loan_id),
  programId: String(r.program_id),
  customerId: r.customer_id === null ? null : String(r.customer_id),
  currency: String(r.currency),
  reference: String(r.external_ref ?? r.loan_id),
});

export class LoanNotices {
  constructor(private readonly deps: { db: Db }) {}

  /** Installments (and lines' minimum payments) due on `dueDate` that still owe something. */
  async paymentsDue(tenantId: string, dueDate: CalendarDate, page: NoticePage): Promise<PaymentDue[]> {
    const found = await rows<Record<string, unknown>>(
      this.deps.db,
      sql`SELECT l.id AS loan_id, l.program_id, l.customer_id, l.currency, l.external_ref, owed
            FROM (SELECT i.loan_id,
                         sum(principal_due + interest_due + fees_due + penalties_due
                             - principal_paid - interest_paid - fees_paid - penalties_paid
                             - principal_waived - interest_waived - fees_waived - penalties_waived) AS owed
                    FROM loan_installments i
                   WHERE i.tenant_id = ${tenantId} AND i.due_date = ${dueDate}::date
                     AND ${after(sql`i.loan_id`, page)}
                   GROUP BY i.loan_id
                  UNION ALL
                  SELECT c.loan_id, c.last_minimum - c.paid_since_statement
                    FROM credit_lines c
                   WHERE c.tenant_id = ${tenantId} AND c.last_due_date = ${dueDate}::date
                     AND ${after(sql`c.loan_id`, page)}) d
            JOIN loans l ON l.tenant_id = ${tenantId} AND l.id = d.loan_id
           WHERE ${LIVE} AND owed > 0
           ORDER BY l.id LIMIT ${page.limit}`,
    );
    return found.map((r) => ({ ...loanOf(r), dueDate, amount: Number(r.owed) }));
  }

  /** Loans that became late on `closed`: their oldest unpaid due date passed its grace days that day. */
  async becameLate(tenantId: string, closed: CalendarDate, page: NoticePage): Promise<BecameLate[]> {
    const found = await rows<Record<string, unknown>>(
      this.deps.db,
      sql`SELECT l.id AS loan_id, l.program_id, l.customer_id, l.currency, l.external_ref,
                 l.oldest_unpaid_due::text AS oldest_unpaid_due,
                 ${closed}::date - l.oldest_unpaid_due AS days_past_due,
                 (SELECT sum(principal_due + interest_due + fees_due + penalties_due
                             - principal_paid - interest_paid - fees_paid - penalties_paid
                             - principal_waived - interest_waived - fees_waived - penalties_waived)
                    FROM loan_installments i
                   WHERE i.tenant_id = l.tenant_id AND i.loan_id = l.id AND i.due_date <= ${closed}::date)
                   AS past_due
            FROM loans l
           WHERE l.tenant_id = ${tenantId} AND l.days_past_due > 0 AND ${LIVE}
             AND l.oldest_unpaid_due = ${closed}::date - coalesce(l.late_fee_grace_days, 0) - 1
             AND ${after(sql`l.id`, page)}
           ORDER BY l.id LIMIT ${page.limit}`,
    );
    return found.map((r) => ({
      ...loanOf(r),
      oldestUnpaidDue: r.oldest_unpaid_due as CalendarDate,
      daysPastDue: Number(r.days_past_due),
      amountPastDue: r.past_due === null ? null : Number(r.past_due),
    }));
  }

  /** Lines of credit whose statement closed on `closed` (their statement is in the loan's details). */
  async statementsClosed(
    tenantId: string,
    closed: CalendarDate,
    page: NoticePage,
  ): Promise<(NoticeLoan & { number: number })[]> {
    const found = await rows<Record<string, unknown>>(
      this.deps.db,
      sql`SELECT l.id AS loan_id, l.program_id, l.customer_id, l.currency, l.external_ref, s.number
            FROM line_statements s JOIN loans l ON l.tenant_id = s.tenant_id AND l.id = s.loan_id
           WHERE s.tenant_id = ${tenantId} AND s.period_end = ${closed}::date AND ${after(sql`s.loan_id`, page)}
           ORDER BY l.id LIMIT ${page.limit}`,
    );
    return found.map((r) => ({ ...loanOf(r), number: Number(r.number) }));
  }
}
