import { and, asc, eq, getTableColumns, getTableName, sql } from 'drizzle-orm';
import { boolean, integer, numeric, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { type Db, dateColumn, minorColumn, rowFromJson, rows } from '../../../../kernel/db.js';
import { exactMinor } from '../../../../kernel/money.js';
import type { Statement } from '../../../../kernel/statement.js';
import type { LoanKey, SqlLoanKey } from '../../product.js';
import type { StatementRecord } from './state.js';

const money = (name: string) => minorColumn(name).notNull();

/** A line's open billing cycle and last statement (see migrations/0002_lending.sql). */
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

/**
 * The upsert of `rows` of one of the line's tables, as a CTE body of the loan's write statement: the rows go as
 * one json parameter (json_populate_recordset types them by the table), taken FROM `guard`.
 */
function upsertSql(
  s: Statement,
  table: typeof creditLines | typeof lineStatements,
  key: SqlLoanKey,
  rows: readonly object[],
  conflict: readonly string[],
): string {
  const name = getTableName(table);
  const columns = Object.entries(getTableColumns(table)).filter(([k]) => k !== 'tenantId' && k !== 'loanId');
  const json = rows.map((r) =>
    Object.fromEntries(columns.map(([k, c]) => [c.name, (r as Record<string, unknown>)[k] ?? null])),
  );
  const names = columns.map(([, c]) => c.name);
  const set = names.filter((n) => !conflict.includes(n)).map((n) => `${n} = EXCLUDED.${n}`);
  return `INSERT INTO ${name} (tenant_id, loan_id, ${names.join(', ')})
    SELECT ${key.tenant}, ${key.loan}, ${names.map((n) => `r.${n}`).join(', ')}
      FROM guard, json_populate_recordset(NULL::${name}, ${s.param(JSON.stringify(json), 'json')}) AS r
    ON CONFLICT (${['tenant_id', 'loan_id', ...conflict].join(', ')}) DO UPDATE SET ${set.join(', ')}`;
}

/** The line's open cycle (credit_lines), written by the loan's write statement. */
export const writeLineSql = (s: Statement, key: SqlLoanKey, values: CreditLineValues): string =>
  upsertSql(s, creditLines, key, [values], []);

/** The statements that are new or restated, written by the loan's write statement. */
export const writeStatementsSql = (
  s: Statement,
  key: SqlLoanKey,
  changed: readonly StatementRecord[],
): string => upsertSql(s, lineStatements, key, changed, ['number']);

/** Drops the statements numbered above `count` (a reversal that undid a cycle), in the loan's write statement. */
export const dropStatementsSql = (s: Statement, key: SqlLoanKey, count: number): string =>
  `DELETE FROM line_statements WHERE tenant_id = ${key.tenant} AND loan_id = ${key.loan}
      AND number > ${s.param(count, 'int')} AND EXISTS (SELECT 1 FROM guard)`;

/** The line's statements as json (a json expression of the write's read statement). */
export const statementsSql = (key: SqlLoanKey): string =>
  `SELECT json_agg(to_jsonb(s) ORDER BY s.number) FROM line_statements s
    WHERE s.tenant_id = ${key.tenant} AND s.loan_id = ${key.loan}`;

export const statementFromJson = (json: Record<string, unknown>): StatementRecord => {
  const { tenantId: _t, loanId: _l, ...s } = rowFromJson(lineStatements, json);
  return s;
};

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
  return r && { id: r.id, amount: exactMinor(r.amount) };
}
