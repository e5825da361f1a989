import { and, asc, desc, eq, gte, lt, sql } from 'drizzle-orm';
import { type Db, rowFromJson, rows } from '../../../kernel/db.js';
import { exactMinor } from '../../../kernel/money.js';
import type { InstallmentRow, StoredEvent } from '../product.js';
import {
  type InstallmentRecord,
  type LoanRow,
  loanEvents,
  loanInstallments,
  loans,
  type NewLoanRow,
} from '../tables.js';

export async function insertLoan(db: Db, row: NewLoanRow): Promise<LoanRow> {
  const [r] = await db.insert(loans).values(row).returning();
  return r!;
}

export async function findLoan(db: Db, tenantId: string, id: string): Promise<LoanRow | undefined> {
  const [r] = await db
    .select()
    .from(loans)
    .where(and(eq(loans.tenantId, tenantId), eq(loans.id, id)));
  return r;
}

/** A loan row from the json of a write's read (rowJsonSql). */
export const loanFromJson = (json: Record<string, unknown>): LoanRow => rowFromJson(loans, json);

/** The loan list's server-side filters (each one walks an index of migration 0010). */
export interface LoanFilter {
  status?: string;
  programId?: string;
  customerId?: string;
  minDaysPastDue?: number;
}

/**
 * The columns a loan's JSON shows (`loanJson`), and no more. A list reads only these: on PGlite each cell of a
 * result costs about as much as finding the rows through an index, so the 19 servicing columns close of business
 * reads (rate, cursors, balances) would double a page's cost for nothing it shows (bench/RESULTS.md, 2026-12-07).
 */
export const LOAN_VIEW_COLUMNS = {
  id: loans.id,
  programId: loans.programId,
  product: loans.product,
  customerId: loans.customerId,
  externalRef: loans.externalRef,
  currency: loans.currency,
  status: loans.status,
  amount: loans.amount,
  terms: loans.terms,
  disclosure: loans.disclosure,
  originatorDisclosure: loans.originatorDisclosure,
  startDate: loans.startDate,
  maturityDate: loans.maturityDate,
  daysPastDue: loans.daysPastDue,
  delinquencyBucket: loans.delinquencyBucket,
  creditBalance: loans.creditBalance,
  nextDueDate: loans.nextDueDate,
  version: loans.version,
  createdAt: loans.createdAt,
  updatedAt: loans.updatedAt,
} as const;

export type LoanView = Pick<LoanRow, keyof typeof LOAN_VIEW_COLUMNS>;

/**
 * A list's columns without the terms and the disclosures: reading those JSON columns is half a page's cost on the
 * embedded database (bench/RESULTS.md, console), and a list shows neither.
 */
const { terms: _t, disclosure: _d, originatorDisclosure: _o, ...LOAN_SUMMARY_COLUMNS } = LOAN_VIEW_COLUMNS;
export type LoanSummary = Pick<LoanRow, keyof typeof LOAN_SUMMARY_COLUMNS>;

export async function listLoans(
  db: Db,
  tenantId: string,
  opts: LoanFilter & { limit: number; before?: string; summary: true },
): Promise<LoanSummary[]>;
export async function listLoans(
  db: Db,
  tenantId: string,
  opts: LoanFilter & { limit: number; before?: string; summary?: false },
): Promise<LoanView[]>;
export async function listLoans(
  db: Db,
  tenantId: string,
  opts: LoanFilter & { limit: number; before?: string; summary?: boolean },
): Promise<LoanSummary[]> {
  return db
    .select(opts.summary ? LOAN_SUMMARY_COLUMNS : LOAN_VIEW_COLUMNS)
    .from(loans)
    .where(
      and(
        eq(loans.tenantId, tenantId),
        opts.before ? lt(loans.id, opts.before) : undefined,
        opts.status ? eq(loans.status, opts.status) : undefined,
        opts.programId ? eq(loans.programId, opts.programId) : undefined,
        opts.customerId ? eq(loans.customerId, opts.customerId) : undefined,
        // The literal `> 0` lets PostgreSQL use the partial index loans_past_due (a bound parameter would not).
        opts.minDaysPastDue
          ? and(sql`${loans.daysPastDue} > 0`, gte(loans.daysPastDue, opts.minDaysPastDue))
          : undefined,
      ),
    )
    .orderBy(desc(loans.id))
    .limit(opts.limit);
}

export async function loadEvents(db: Db, tenantId: string, loanId: string): Promise<StoredEvent[]> {
  const found = await db
    .select({
      id: loanEvents.id,
      sequence: loanEvents.sequence,
      type: loanEvents.type,
      effectiveDate: loanEvents.effectiveDate,
      payload: loanEvents.payload,
    })
    .from(loanEvents)
    .where(and(eq(loanEvents.tenantId, tenantId), eq(loanEvents.loanId, loanId)))
    .orderBy(asc(loanEvents.sequence));
  return found;
}

export type EventRecord = typeof loanEvents.$inferSelect;

export async function listEvents(db: Db, tenantId: string, loanId: string): Promise<EventRecord[]> {
  return db
    .select()
    .from(loanEvents)
    .where(and(eq(loanEvents.tenantId, tenantId), eq(loanEvents.loanId, loanId)))
    .orderBy(asc(loanEvents.sequence));
}

export function toInstallmentRow(r: InstallmentRecord): InstallmentRow {
  return {
    number: r.number,
    periodStart: r.periodStart,
    dueDate: r.dueDate,
    openingBalance: r.openingBalance,
    interestAccrual: r.interestAccrual,
    due: { principal: r.principalDue, interest: r.interestDue, fees: r.feesDue, penalties: r.penaltiesDue },
    paid: {
      principal: r.principalPaid,
      interest: r.interestPaid,
      fees: r.feesPaid,
      penalties: r.penaltiesPaid,
    },
    waived: {
      principal: r.principalWaived,
      interest: r.interestWaived,
      fees: r.feesWaived,
      penalties: r.penaltiesWaived,
    },
    accrued: r.accrued,
    lateFeeAssessed: r.lateFeeAssessed,
  };
}

export async function loadInstallments(db: Db, tenantId: string, loanId: string): Promise<InstallmentRow[]> {
  const found = await db
    .select()
    .from(loanInstallments)
    .where(and(eq(loanInstallments.tenantId, tenantId), eq(loanInstallments.loanId, loanId)))
    .orderBy(asc(loanInstallments.number));
  return found.map(toInstallmentRow);
}

/** Any loan for the tenant? (The business date can be set freely only before the first one.) */
export async function hasLoans(db: Db, tenantId: string): Promise<boolean> {
  const found = await rows<{ one: number }>(
    db,
    sql`SELECT 1 AS one FROM loans WHERE tenant_id = ${tenantId} LIMIT 1`,
  );
  return found.length > 0;
}

/** The loan's event of `type` recorded with `reference` in its payload (a card posting), if any. */
export async function findEventByReference(
  db: Db,
  key: { tenantId: string; loanId: string },
  type: 'draw' | 'payment',
  reference: string,
): Promise<{ id: string; amount: number } | undefined> {
  const [r] = await rows<{ id: string; amount: string | number }>(
    db,
    sql`SELECT id, payload->>'amount' AS amount FROM loan_events
         WHERE tenant_id = ${key.tenantId} AND loan_id = ${key.loanId} AND type = ${type}
           AND payload ? 'reference' AND payload->>'reference' = ${reference}`,
  );
  return r && { id: r.id, amount: exactMinor(r.amount) };
}
