import { sql } from 'drizzle-orm';
import { addMonths, type CalendarDate, fromParts } from '../../../kernel/dates.js';
import { type Db, rows } from '../../../kernel/db.js';
import type { Minor } from '../../../kernel/money.js';
import type { StatusRecord } from '../domain/servicing-status.js';
import { statusRecordsOf } from '../servicing-status/store.js';
import { loanBookSql, loanRecord, programIs, toMinor } from './book.js';
import { OFF_BOOK } from './positions.js';
import type { LoanFilter, LoanTapeRecord } from './records.js';

/** A loan's position at the end of a month (`YYYY-MM`): the one recorded as the next month's first day opened. */
export interface MonthEndPosition {
  month: string;
  status: string;
  daysPastDue: number;
  balance: Minor;
}

/** What credit reporting (Metro 2) needs of a loan beyond its tape row. */
export interface CreditAccountRecord extends LoanTapeRecord {
  installmentCount: number;
  /** The oldest due date still unpaid (null when nothing is past due). */
  oldestUnpaidDue: CalendarDate | null;
  /** The next installment's principal and interest (0 when none is left). */
  scheduledPayment: Minor;
  lastPaymentDate: CalendarDate | null;
  /** Cash received by payments in the month of the business date. */
  paidThisMonth: Minor;
  /** The charge-off and the cash recovered after it (what the consumer still owes is the difference). */
  chargeOff: { date: CalendarDate; amount: Minor; recovered: Minor } | null;
  /** The first business date on which the loan was recorded off book (paid, closed, charged off). */
  offBookSince: CalendarDate | null;
  /** The 24 month ends before the business date's month that were recorded. */
  monthEnds: MonthEndPosition[];
  /** Its servicing status records up to the business date (collections, repossession, surrender), in order. */
  servicingHistory: StatusRecord[];
}

/**
 * Every loan of the tenant that has been on book, in id order, with its payments, charge-off and month-end
 * positions: a page of loans per two queries.
 */
export async function* creditAccounts(
  db: Db,
  tenantId: string,
  businessDate: CalendarDate,
  filter: LoanFilter = {},
  pageSize = 2000,
): AsyncIterable<CreditAccountRecord> {
  const monthStart = fromParts(Number(businessDate.slice(0, 4)), Number(businessDate.slice(5, 7)), 1);
  const firsts = Array.from({ length: 24 }, (_, k) => addMonths(monthStart, -k));
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const page = await rows<Record<string, unknown>>(
      db,
      sql`SELECT b.*, n.scheduled_payment, p.last_payment_date, p.paid_this_month, c.charge_off_date,
                 c.charge_off_amount, c.recovered, o.off_book_since
            FROM (${loanBookSql(
              tenantId,
              businessDate,
              sql`l.id > ${after}::uuid AND ${programIs(filter)}
                  AND l.status NOT IN ('application', 'approved', 'rejected', 'withdrawn')`,
              sql`ORDER BY l.id LIMIT ${pageSize}`,
            )}) b
            LEFT JOIN LATERAL (
              SELECT i.principal_due + i.interest_due AS scheduled_payment FROM loan_installments i
               WHERE i.tenant_id = ${tenantId} AND i.loan_id = b.id AND i.due_date >= ${businessDate}::date
               ORDER BY i.due_date LIMIT 1) n ON true
            LEFT JOIN LATERAL (
              SELECT max(j.entry_date)::text AS last_payment_date,
                     sum(j.amount) FILTER (WHERE j.entry_date >= ${monthStart}::date) AS paid_this_month
                FROM loan_journal j
               WHERE j.tenant_id = ${tenantId} AND j.loan_id = b.id AND j.kind = 'payment'
                 AND j.debit_account = 'cash' AND j.entry_date <= ${businessDate}::date) p ON true
            LEFT JOIN LATERAL (
              SELECT min(j.entry_date) FILTER (WHERE j.kind = 'charge_off')::text AS charge_off_date,
                     sum(j.amount) FILTER (WHERE j.kind = 'charge_off') AS charge_off_amount,
                     sum(j.amount) FILTER (WHERE j.kind = 'recovery') AS recovered
                FROM loan_journal j
               WHERE j.tenant_id = ${tenantId} AND j.loan_id = b.id
                 AND ((j.kind = 'charge_off' AND j.debit_account = 'charge_off_expense')
                      OR (j.kind = 'recovery' AND j.debit_account = 'cash'))
                 AND j.entry_date <= ${businessDate}::date) c ON true
            LEFT JOIN LATERAL (
              SELECT min(q.as_of)::text AS off_book_since FROM loan_positions q
               WHERE q.tenant_id = ${tenantId} AND q.loan_id = b.id
                 AND q.status = ANY(${sql.param(OFF_BOOK)}::text[])) o ON true
           ORDER BY b.id`,
    );
    if (page.length === 0) return;
    const ends = await rows<Record<string, unknown>>(
      db,
      sql`SELECT loan_id, as_of::text AS as_of, status, days_past_due, balance FROM loan_positions
           WHERE tenant_id = ${tenantId} AND loan_id = ANY(${sql.param(page.map((r) => String(r.id)))}::uuid[])
             AND as_of = ANY(${sql.param(firsts)}::date[])`,
    );
    const statuses = await statusRecordsOf(
      db,
      tenantId,
      page.map((r) => String(r.id)),
    );
    const byLoan = new Map<string, MonthEndPosition[]>();
    for (const e of ends) {
      const list = byLoan.get(String(e.loan_id)) ?? [];
      list.push({
        month: addMonths(e.as_of as CalendarDate, -1).slice(0, 7),
        status: String(e.status),
        daysPastDue: Number(e.days_past_due),
        balance: toMinor(e.balance),
      });
      byLoan.set(String(e.loan_id), list);
    }
    for (const r of page)
      yield {
        ...loanRecord(r),
        installmentCount: Number(r.installment_count),
        oldestUnpaidDue: (r.oldest_unpaid_due as CalendarDate | null) ?? null,
        scheduledPayment: toMinor(r.scheduled_payment),
        lastPaymentDate: (r.last_payment_date as CalendarDate | null) ?? null,
        paidThisMonth: toMinor(r.paid_this_month),
        chargeOff: r.charge_off_date
          ? {
              date: r.charge_off_date as CalendarDate,
              amount: toMinor(r.charge_off_amount),
              recovered: toMinor(r.recovered),
            }
          : null,
        offBookSince: (r.off_book_since as CalendarDate | null) ?? null,
        monthEnds: byLoan.get(String(r.id)) ?? [],
        servicingHistory: (statuses.get(String(r.id)) ?? []).filter((x) => x.effectiveDate <= businessDate),
      };
    if (page.length < pageSize) return;
    after = String(page.at(-1)!.id);
  }
}
