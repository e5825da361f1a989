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
import { dateColumn, minorColumn } from '../../kernel/db.js';
import type { OriginatorDisclosure } from './compliance/originator-disclosure.js';
import type { StatusAction } from './domain/servicing-status.js';

/**
 * Lending's tables (drizzle schema): programs, business dates, close-of-business runs and batches, the journal, loans,
 * their events and installments. Products keep their own tables beside them (providers/<product>/store.ts).
 */

export const programs = pgTable(
  'programs',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    programType: text('program_type').notNull(),
    currency: text('currency').notNull(),
    terms: jsonb('terms').$type<Record<string, unknown>>().notNull(),
    status: text('status').notNull().default('active'),
    description: text('description'),
    /** Counts the program's changes (PATCH): its ETag. Loans keep their own terms, so a change never reaches them. */
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export type ProgramRow = typeof programs.$inferSelect;

export const businessDates = pgTable('business_dates', {
  tenantId: uuid('tenant_id').primaryKey(),
  businessDate: dateColumn('business_date').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const cobRuns = pgTable(
  'cob_runs',
  {
    tenantId: uuid('tenant_id').notNull(),
    businessDate: dateColumn('business_date').notNull(),
    status: text('status').$type<'running' | 'completed' | 'failed'>().notNull(),
    throughDate: dateColumn('through_date').notNull(),
    batchesTotal: integer('batches_total').notNull().default(0),
    loansTotal: integer('loans_total').notNull().default(0),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.businessDate] })],
);

export const cobBatches = pgTable(
  'cob_batches',
  {
    tenantId: uuid('tenant_id').notNull(),
    businessDate: dateColumn('business_date').notNull(),
    batch: integer('batch').notNull(),
    firstLoan: uuid('first_loan').notNull(),
    lastLoan: uuid('last_loan').notNull(),
    loans: integer('loans').notNull(),
    status: text('status').$type<'pending' | 'done'>().notNull().default('pending'),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.businessDate, t.batch] })],
);

export type CobRunRow = typeof cobRuns.$inferSelect;
export type CobBatchRow = typeof cobBatches.$inferSelect;

/** The append-only double-entry journal of every loan: one row per posting, debit and credit side together. */
export const loanJournal = pgTable(
  'loan_journal',
  {
    tenantId: uuid('tenant_id').notNull(),
    loanId: uuid('loan_id').notNull(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    entryDate: dateColumn('entry_date').notNull(),
    kind: text('kind').notNull(),
    eventId: uuid('event_id'),
    debitAccount: text('debit_account').notNull(),
    creditAccount: text('credit_account').notNull(),
    amount: minorColumn('amount').notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.loanId, t.id] })],
);

export type JournalRow = typeof loanJournal.$inferSelect;

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
    /** The Truth in Lending figures an originator disclosed (wire JSON: apr, finance_charge, amount_financed). */
    originatorDisclosure: jsonb('originator_disclosure').$type<OriginatorDisclosure>(),
    startDate: dateColumn('start_date').notNull(),
    maturityDate: dateColumn('maturity_date'),
    installmentCount: integer('installment_count').notNull().default(0),
    rateNum: numeric('rate_num').notNull(),
    rateDen: numeric('rate_den').notNull(),
    /**
     * The loan's rates by date when they change (rate-timeline.ts `stepsJson`; daily interest accrues by them, and
     * the rate in force on a date is the step holding it: rate-in-force.ts); null: rate_num / rate_den throughout.
     */
    rateSteps: jsonb('rate_steps').$type<Record<string, string | null>[]>(),
    /** Principal paid but earning until `rest_until`, its rest date (recalculation-rest.ts); null: none. */
    restPending: minorColumn('rest_pending'),
    restUntil: dateColumn('rest_until'),
    /**
     * A recalculating daily loan past its last due date (recalculation-maturity.ts): the stretch its last installment
     * earns since (`after_maturity_from`), what it earned before, and the balance earning; null before maturity.
     */
    afterMaturityFrom: dateColumn('after_maturity_from'),
    afterMaturityEarned: minorColumn('after_maturity_earned'),
    afterMaturityBalance: minorColumn('after_maturity_balance'),
    dayCount: text('day_count'),
    interestCalculation: text('interest_calculation'),
    roundingMode: text('rounding_mode').notNull(),
    flatInterestBasis: minorColumn('flat_interest_basis'),
    /** Progressive interest recalculation: each row's φ as [num, den] (recalculation-progressive.ts); else null. */
    periodFactors: jsonb('period_factors').$type<[string, string][]>(),
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

/** Where each loan stood as a business date opened (migration 0011): roll rates and Metro 2 read them. */
export const loanPositions = pgTable(
  'loan_positions',
  {
    tenantId: uuid('tenant_id').notNull(),
    asOf: dateColumn('as_of').notNull(),
    loanId: uuid('loan_id').notNull(),
    programId: uuid('program_id').notNull(),
    currency: text('currency').notNull(),
    status: text('status').notNull(),
    daysPastDue: integer('days_past_due').notNull(),
    principal: bigint('principal', { mode: 'number' }).notNull(),
    pastDue: bigint('past_due', { mode: 'number' }).notNull(),
    balance: bigint('balance', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.asOf, t.loanId] })],
);

/** A loan's servicing status records (migration 0018): collection placements, repossessions, surrenders. */
export const loanServicingStatuses = pgTable(
  'loan_servicing_statuses',
  {
    tenantId: uuid('tenant_id').notNull(),
    loanId: uuid('loan_id').notNull(),
    sequence: integer('sequence').notNull(),
    action: text('action').$type<StatusAction>().notNull(),
    effectiveDate: dateColumn('effective_date').notNull(),
    agency: text('agency'),
    firstDelinquency: dateColumn('first_delinquency'),
    loanStatus: text('loan_status').notNull(),
    businessDate: dateColumn('business_date').notNull(),
    actor: text('actor'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.loanId, t.sequence] })],
);

export type ServicingStatusRow = typeof loanServicingStatuses.$inferSelect;
