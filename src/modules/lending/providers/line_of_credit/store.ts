import { and, asc, eq, getTableColumns, gt, sql } from 'drizzle-orm';
import { bigint, boolean, date, integer, numeric, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import type { CalendarDate } from '../../../../kernel/dates.js';
import { type Db, rows } from '../../../../kernel/db.js';
import type { LoanKey } from '../../product.js';
import type { StatementRecord } from './state.js';

const money = (name: string) => bigint(name, { mode: 'number' }).notNull();
const day = (name: string) => date(name).$type<CalendarDate>();

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
    cycleStart: day('cycle_start').notNull(),
    cycleEnd: day('cycle_end').notNull(),
    openingPrincipal: money('opening_principal'),
    openingInterest: money('opening_interest'),
    openingFees: money('opening_fees'),
    cycleDraws: money('cycle_draws'),
    cyclePayments: money('cycle_payments'),
    cycleFees: money('cycle_fees'),
    movementDays: money('movement_days'),
    priorYearSum: money('prior_year_sum'),
    accrued: money('accrued'),
    accruedThrough: day('accrued_through').notNull(),
    statementCount: integer('statement_count').notNull(),
    lastStatementDate: day('last_statement_date'),
    lastDueDate: day('last_due_date'),
    lastMinimum: money('last_minimum'),
    lastPastDue: money('last_past_due'),
    pastDueSince: day('past_due_since'),
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
    periodStart: day('period_start').notNull(),
    periodEnd: day('period_end').notNull(),
    dueDate: day('due_date').notNull(),
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

/** `SET col = EXCLUDED.col` for every column but the key. */
function excludedOf<T extends typeof creditLines | typeof lineStatements>(table: T, key: readonly string[]) {
  const set: Record<string, ReturnType<typeof sql.raw>> = {};
  for (const [name, column] of Object.entries(getTableColumns(table)))
    if (!key.includes(name)) set[name] = sql.raw(`excluded.${column.name}`);
  return set;
}

export async function writeLine(db: Db, key: LoanKey, values: CreditLineValues): Promise<void> {
  await db
    .insert(creditLines)
    .values({ tenantId: key.tenantId, loanId: key.loanId, ...values })
    .onConflictDoUpdate({
      target: [creditLines.tenantId, creditLines.loanId],
      set: excludedOf(creditLines, ['tenantId', 'loanId']),
    });
}

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

/** Writes the statements that are new or restated, and drops any numbered above `count`. */
export async function writeStatements(
  db: Db,
  key: LoanKey,
  changed: readonly StatementRecord[],
  count: number,
): Promise<void> {
  if (changed.length > 0)
    await db
      .insert(lineStatements)
      .values(changed.map((s) => ({ tenantId: key.tenantId, loanId: key.loanId, ...s })))
      .onConflictDoUpdate({
        target: [lineStatements.tenantId, lineStatements.loanId, lineStatements.number],
        set: excludedOf(lineStatements, ['tenantId', 'loanId', 'number']),
      });
  await db
    .delete(lineStatements)
    .where(
      and(
        eq(lineStatements.tenantId, key.tenantId),
        eq(lineStatements.loanId, key.loanId),
        gt(lineStatements.number, count),
      ),
    );
}

/** The draw a card clearing recorded under `reference`, if any. */
/** The draw (card clearing) or payment (card refund) recorded with a card posting's reference, if any. */
export async function findCardEvent(
  db: Db,
  key: LoanKey,
  type: 'draw' | 'payment',
  reference: string,
): Promise<{ id: string; amount: number } | undefined> {
  const [r] = await rows<{ id: string; amount: string | number }>(
    db,
    sql`SELECT id, payload->>'amount' AS amount FROM loan_events
         WHERE tenant_id = ${key.tenantId} AND loan_id = ${key.loanId} AND type = ${type}
           AND payload ? 'reference' AND payload->>'reference' = ${reference}`,
  );
  return r && { id: r.id, amount: Number(r.amount) };
}
