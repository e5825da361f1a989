import { and, asc, desc, eq, gte, lt, sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { type Db, dateColumn, minorColumn, rowFromJson, rows } from '../../../kernel/db.js';
import { exactMinor } from '../../../kernel/money.js';
import type { InstallmentRow, StoredEvent } from '../product.js';

export const loans = pgTable(
  'loans',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    programId: uuid('program_id').notNull(),
    product: text('product').notNull(),
    customerId: uuid('customer_id'),
    externalRef: text('external_ref'),
    currency: text('currency').notNull(),
    status: text('status').notNull(),
    amount: minorColumn('amount').notNull(),
    terms: jsonb('terms').$type<Record<string, unknown>>().notNull(),
    disclosure: jsonb('disclosure').$type<Record<string, unknown>>(),
    startDate: dateColumn('start_date').notNull(),
    maturityDate: dateColumn('maturity_date'),
    installmentCount: integer('installment_count').notNull().default(0),
    rateNum: numeric('rate_num').notNull(),
    rateDen: numeric('rate_den').notNull(),
    dayCount: text('day_count'),
    interestCalculation: text('interest_calculation'),
    roundingMode: text('rounding_mode').notNull(),
    flatInterestBasis: minorColumn('flat_interest_basis'),
    lateFee: jsonb('late_fee').$type<Record<string, unknown>>(),
    lateFeeGraceDays: integer('late_fee_grace_days'),
    chargeOffAfterDays: integer('charge_off_after_days'),
    delinquencyBuckets: integer('delinquency_buckets').array().notNull(),
    daysPastDue: integer('days_past_due').notNull().default(0),
    delinquencyBucket: text('delinquency_bucket').notNull().default('current'),
    creditBalance: minorColumn('credit_balance').notNull().default(0),
    nextDueDate: dateColumn('next_due_date'),
    oldestUnpaidDue: dateColumn('oldest_unpaid_due'),
    nextLateFeeOn: dateColumn('next_late_fee_on'),
    accrualCursor: integer('accrual_cursor'),
    cobActive: boolean('cob_active').notNull().default(false),
    balances: jsonb('balances').$type<Record<string, number>>().notNull().default({}),
    journalThrough: bigint('journal_through', { mode: 'number' }).notNull().default(0),
    lastSequence: integer('last_sequence').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const loanEvents = pgTable(
  'loan_events',
  {
    tenantId: uuid('tenant_id').notNull(),
    loanId: uuid('loan_id').notNull(),
    sequence: integer('sequence').notNull(),
    id: uuid('id').notNull(),
    type: text('type').notNull(),
    effectiveDate: dateColumn('effective_date').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    businessDate: dateColumn('business_date').notNull(),
    actor: text('actor'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.loanId, t.sequence] })],
);

const money = (name: string) => minorColumn(name).notNull().default(0);

export const loanInstallments = pgTable(
  'loan_installments',
  {
    tenantId: uuid('tenant_id').notNull(),
    loanId: uuid('loan_id').notNull(),
    number: integer('number').notNull(),
    periodStart: dateColumn('period_start').notNull(),
    dueDate: dateColumn('due_date').notNull(),
    openingBalance: bigint('opening_balance', { mode: 'number' }).notNull(),
    interestAccrual: bigint('interest_accrual', { mode: 'number' }).notNull(),
    principalDue: bigint('principal_due', { mode: 'number' }).notNull(),
    interestDue: bigint('interest_due', { mode: 'number' }).notNull(),
    feesDue: money('fees_due'),
    penaltiesDue: money('penalties_due'),
    principalPaid: money('principal_paid'),
    interestPaid: money('interest_paid'),
    feesPaid: money('fees_paid'),
    penaltiesPaid: money('penalties_paid'),
    principalWaived: money('principal_waived'),
    interestWaived: money('interest_waived'),
    feesWaived: money('fees_waived'),
    penaltiesWaived: money('penalties_waived'),
    accrued: money('accrued'),
    lateFeeAssessed: boolean('late_fee_assessed').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.loanId, t.number] })],
);

export type LoanRow = typeof loans.$inferSelect;
export type NewLoanRow = typeof loans.$inferInsert;
export type InstallmentRecord = typeof loanInstallments.$inferSelect;

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

export async function listLoans(
  db: Db,
  tenantId: string,
  opts: LoanFilter & { limit: number; before?: string },
): Promise<LoanRow[]> {
  return db
    .select()
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

export async function insertEvent(db: Db, row: typeof loanEvents.$inferInsert): Promise<void> {
  await db.insert(loanEvents).values(row);
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
