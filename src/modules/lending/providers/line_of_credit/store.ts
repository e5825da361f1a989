import { and, asc, eq } from 'drizzle-orm';
import { boolean, integer, numeric, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { type Db, dateColumn, minorColumn } from '../../../../kernel/db.js';
import type { LoanKey } from '../../product.js';
import type { StatementRecord } from './state.js';

const money = (name: string) => minorColumn(name).notNull();

/** A line's open billing cycle and last statement (see migrations/0110_lending_products.sql). */
export const creditLines = pgTable(
  'credit_lines',
  {
    tenantId: uuid('tenant_id').notNull(),
    loanId: uuid('loan_id').notNull(),
    creditLimit: money('credit_limit'),
    cycleDay: integer('cycle_day').notNull(),
    paymentDueDays: integer('payment_due_days').notNull(),
    minimumFloor: money('minimum_floor'),
    minimumPercent: numeric('minimum_percent').notNull(),
    installmentMultiple: integer('installment_multiple').notNull(),
    principal: money('principal'),
    interest: money('interest'),
    fees: money('fees'),
    cycleStart: dateColumn('cycle_start').notNull(),
    cycleEnd: dateColumn('cycle_end').notNull(),
    openingPrincipal: money('opening_principal'),
    openingInterest: money('opening_interest'),
    openingFees: money('opening_fees'),
    cycleDraws: money('cycle_draws'),
    cyclePayments: money('cycle_payments'),
    cycleFees: money('cycle_fees'),
    movementDays: money('movement_days'),
    priorYearSum: money('prior_year_sum'),
    accrued: money('accrued'),
    accruedThrough: dateColumn('accrued_through').notNull(),
    statementCount: integer('statement_count').notNull(),
    lastStatementDate: dateColumn('last_statement_date'),
    lastDueDate: dateColumn('last_due_date'),
    lastMinimum: money('last_minimum'),
    lastPastDue: money('last_past_due'),
    pastDueSince: dateColumn('past_due_since'),
    paidSinceStatement: money('paid_since_statement'),
    paidInTime: money('paid_in_time'),
    lateFeeAssessed: boolean('late_fee_assessed').notNull(),
    writtenOff: money('written_off'),
    recovered: money('recovered'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.loanId] })],
);

export const lineStatements = pgTable(
  'line_statements',
  {
    tenantId: uuid('tenant_id').notNull(),
    loanId: uuid('loan_id').notNull(),
    number: integer('number').notNull(),
    periodStart: dateColumn('period_start').notNull(),
    periodEnd: dateColumn('period_end').notNull(),
    dueDate: dateColumn('due_date').notNull(),
    daysInCycle: integer('days_in_cycle').notNull(),
    openingBalance: money('opening_balance'),
    draws: money('draws'),
    payments: money('payments'),
    interest: money('interest'),
    fees: money('fees'),
    closingBalance: money('closing_balance'),
    closingPrincipal: money('closing_principal'),
    pastDue: money('past_due'),
    minimumPayment: money('minimum_payment'),
    creditLimit: money('credit_limit'),
    availableCredit: money('available_credit'),
    sumOfDailyBalances: money('sum_of_daily_balances'),
    priorYearSum: money('prior_year_sum'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.loanId, t.number] })],
);

export type CreditLineRow = typeof creditLines.$inferSelect;
/** A line's row without its key: what the replay gives. */
export type CreditLineValues = Omit<CreditLineRow, 'tenantId' | 'loanId'>;

export async function findLine(db: Db, key: LoanKey): Promise<CreditLineRow | undefined> {
  const [r] = await db
    .select()
    .from(creditLines)
    .where(and(eq(creditLines.tenantId, key.tenantId), eq(creditLines.loanId, key.loanId)));
  return r;
}

export async function loadStatements(db: Db, key: LoanKey): Promise<StatementRecord[]> {
  const found = await db
    .select()
    .from(lineStatements)
    .where(and(eq(lineStatements.tenantId, key.tenantId), eq(lineStatements.loanId, key.loanId)))
    .orderBy(asc(lineStatements.number));
  return found.map(({ tenantId: _t, loanId: _l, ...s }) => s);
}
