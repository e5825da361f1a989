import { sql } from 'drizzle-orm';
import type { CalendarDate } from '../../../kernel/dates.js';
import { type Db, rows } from '../../../kernel/db.js';
import type { Minor } from '../../../kernel/money.js';
import { loanBookSql, programIs, toMinor } from './book.js';
import type { LoanFilter } from './records.js';

/**
 * Loan positions by business date (`loan_positions`): lending keeps only the current projection of a loan, so
 * close of business records where each loan stood as every business date opens. Roll rates compare two of these
 * dates; Metro 2's payment history reads the month ends.
 *
 * A loan before disbursement (application, approved) or never made (rejected, withdrawn) is not on the book. A
 * loan that has left it (paid off, closed, charged off, a lease returned or purchased) is written once, the first
 * time it is seen so, and not again: each later date would repeat it for nothing.
 */
const NOT_BOOKED = ['application', 'approved', 'rejected', 'withdrawn'];
export const OFF_BOOK = [
  'paid_off',
  'overpaid',
  'closed',
  'charged_off',
  'returned',
  'purchased',
  'early_terminated',
];

/** Where a loan stood on a date: on book (its days past due) or the way it left. */
export type PositionState = 'on_book' | 'paid_off' | 'charged_off';

export const positionState = (status: string): PositionState =>
  status === 'charged_off' ? 'charged_off' : OFF_BOOK.includes(status) ? 'paid_off' : 'on_book';

export interface LoanPosition {
  loanId: string;
  programId: string;
  currency: string;
  status: string;
  daysPastDue: number;
  principal: Minor;
  pastDue: Minor;
  balance: Minor;
}

/** A loan on book at the first date and its latest position on or before the second (none: not recorded). */
export interface PositionChange {
  from: LoanPosition;
  to: (LoanPosition & { asOf: CalendarDate }) | null;
}

const text = (list: readonly string[]) => sql.param([...list]);

function positionOf(r: Record<string, unknown>, prefix = ''): LoanPosition {
  return {
    loanId: String(r[`${prefix}loan_id`]),
    programId: String(r[`${prefix}program_id`]),
    currency: String(r[`${prefix}currency`]),
    status: String(r[`${prefix}status`]),
    daysPastDue: Number(r[`${prefix}days_past_due`]),
    principal: toMinor(r[`${prefix}principal`]),
    pastDue: toMinor(r[`${prefix}past_due`]),
    balance: toMinor(r[`${prefix}balance`]),
  };
}

export class LoanPositions {
  constructor(private readonly deps: { db: Db }) {}

  /**
   * Records the tenant's positions as `asOf` opens (close of business calls it in the transaction that completes
   * the day before). Recording a date twice keeps the first.
   */
  async record(tenantId: string, asOf: CalendarDate, db: Db = this.deps.db): Promise<number> {
    const [r] = await rows<{ n: string }>(
      db,
      sql`WITH written AS (
            INSERT INTO loan_positions (tenant_id, as_of, loan_id, program_id, currency, status, days_past_due,
                                        principal, past_due, balance)
            SELECT ${tenantId}::uuid, ${asOf}::date, b.id, b.program_id, b.currency, b.status, b.days_past_due,
                   b.principal, b.past_due, b.principal + b.interest + b.fees + b.penalties
              FROM (${loanBookSql(
                tenantId,
                asOf,
                sql`l.status <> ALL(${text(NOT_BOOKED)}::text[])
                    AND (l.status <> ALL(${text(OFF_BOOK)}::text[])
                         OR NOT EXISTS (SELECT 1 FROM loan_positions p
                                         WHERE p.tenant_id = l.tenant_id AND p.loan_id = l.id
                                           AND p.status = ANY(${text(OFF_BOOK)}::text[])))`,
              )}) b
            ON CONFLICT DO NOTHING
            RETURNING 1)
          SELECT count(*) AS n FROM written`,
    );
    return Number(r?.n ?? 0);
  }

  /** Whether positions were recorded for `asOf` (a date close of business opened). */
  async recorded(tenantId: string, asOf: CalendarDate): Promise<boolean> {
    const [r] = await rows(
      this.deps.db,
      sql`SELECT 1 FROM loan_positions WHERE tenant_id = ${tenantId} AND as_of = ${asOf}::date LIMIT 1`,
    );
    return r !== undefined;
  }

  /**
   * Every loan on book at `from` (of a program), in id order, with its latest position on or before `to`: the
   * one of `to` itself, or the one where it left the book.
   */
  async *changes(
    tenantId: string,
    period: { from: CalendarDate; to: CalendarDate },
    filter: LoanFilter = {},
    pageSize = 2000,
  ): AsyncIterable<PositionChange> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const page = await rows<Record<string, unknown>>(
        this.deps.db,
        sql`SELECT f.loan_id, f.program_id, f.currency, f.status, f.days_past_due, f.principal, f.past_due,
                   f.balance, t.as_of::text AS to_as_of, t.loan_id AS to_loan_id, t.program_id AS to_program_id,
                   t.currency AS to_currency, t.status AS to_status, t.days_past_due AS to_days_past_due,
                   t.principal AS to_principal, t.past_due AS to_past_due, t.balance AS to_balance
              FROM loan_positions f
              LEFT JOIN LATERAL (
                SELECT * FROM loan_positions p
                 WHERE p.tenant_id = f.tenant_id AND p.loan_id = f.loan_id AND p.as_of <= ${period.to}::date
                 ORDER BY p.as_of DESC
                 LIMIT 1) t ON true
             WHERE f.tenant_id = ${tenantId} AND f.as_of = ${period.from}::date AND f.loan_id > ${after}::uuid
               AND f.status <> ALL(${text(OFF_BOOK)}::text[]) AND ${programIs(filter, sql`f.program_id`)}
             ORDER BY f.loan_id
             LIMIT ${pageSize}`,
      );
      for (const r of page)
        yield {
          from: positionOf(r),
          to: r.to_as_of ? { ...positionOf(r, 'to_'), asOf: r.to_as_of as CalendarDate } : null,
        };
      if (page.length < pageSize) return;
      after = String(page.at(-1)!.loan_id);
    }
  }

  /** Loans on book at `to` that were not at `from` (originated in between), in one currency. */
  async arrivals(
    tenantId: string,
    period: { from: CalendarDate; to: CalendarDate },
    filter: LoanFilter & { currency: string },
  ): Promise<number> {
    const [r] = await rows<{ n: string }>(
      this.deps.db,
      sql`SELECT count(*) AS n FROM loan_positions t
           WHERE t.tenant_id = ${tenantId} AND t.as_of = ${period.to}::date AND t.currency = ${filter.currency}
             AND t.status <> ALL(${text(OFF_BOOK)}::text[]) AND ${programIs(filter, sql`t.program_id`)}
             AND NOT EXISTS (SELECT 1 FROM loan_positions f
                              WHERE f.tenant_id = t.tenant_id AND f.as_of = ${period.from}::date
                                AND f.loan_id = t.loan_id)`,
    );
    return Number(r?.n ?? 0);
  }
}
