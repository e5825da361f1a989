import { type SQL, sql } from 'drizzle-orm';
import { addDays } from '../../../../kernel/dates.js';
import type { CobBatch, CobStep } from '../../product.js';
import { agingStep, countOf, lateFeeSql } from '../support.js';

/**
 * Close of business for lines of credit, set-based over a batch, in the order the replay's day runs
 * (replay.ts endOfDay): the late fee of a minimum payment not received in time, the day's interest, the statement
 * on the cycle's closing day, then aging. Each is a "bring the line through D" operation guarded by the line's own
 * cursors (`late_fee_assessed`, `accrued_through`, `cycle_end`), so a line a write already brought past D is left
 * as it is. Every amount is one exact division rounded with the line's mode (lending_round), as the engine does.
 */

/** Lines (`l`) with their cycle row (`c`). */
const LINES = sql`loans l JOIN credit_lines c ON c.tenant_id = l.tenant_id AND c.loan_id = l.id`;

/** The batch's lines close of business visits (the range on both tables lets the planner scan each once). */
const inBatch = (b: CobBatch) =>
  sql`l.tenant_id = ${b.tenantId} AND l.id BETWEEN ${b.firstLoan}::uuid AND ${b.lastLoan}::uuid
      AND c.tenant_id = ${b.tenantId} AND c.loan_id BETWEEN ${b.firstLoan}::uuid AND ${b.lastLoan}::uuid
      AND l.product = 'line_of_credit' AND l.cob_active`;

/** Whole days in the year of a date (365 or 366). */
const yearDays = (d: SQL) =>
  sql`(make_date(extract(year FROM ${d})::int + 1, 1, 1) - make_date(extract(year FROM ${d})::int, 1, 1))`;

/**
 * The late fee, on the first day after the last statement's due date and grace days, when the payments received
 * by then do not cover its minimum payment: flat, or a percent of the unpaid minimum within min and max, never
 * more than the minimum payment (assessLateFee).
 */
const lateFees: CobStep = {
  name: 'line_late_fees',
  run: (db, b) =>
    countOf(
      db,
      sql`WITH due AS (
            SELECT c.loan_id, least(c.last_minimum, ${lateFeeSql(sql`c.last_minimum - c.paid_in_time`)}) AS fee
              FROM ${LINES} WHERE ${inBatch(b)} AND l.late_fee IS NOT NULL AND l.next_late_fee_on <= ${b.date}::date
               AND NOT c.late_fee_assessed AND c.last_minimum > 0 AND c.paid_in_time < c.last_minimum),
          charged AS (
            UPDATE credit_lines c
               SET fees = c.fees + due.fee, cycle_fees = c.cycle_fees + due.fee, late_fee_assessed = true
              FROM due WHERE c.tenant_id = ${b.tenantId} AND c.loan_id = due.loan_id AND due.fee > 0),
          moved AS (
            UPDATE loans l SET next_late_fee_on = NULL
              FROM due WHERE l.tenant_id = ${b.tenantId} AND l.id = due.loan_id AND due.fee > 0),
          posted AS (
            INSERT INTO loan_journal (tenant_id, loan_id, entry_date, kind, debit_account, credit_account, amount)
            SELECT ${b.tenantId}::uuid, loan_id, ${b.date}::date, 'charge', 'fees_receivable', 'fee_income', fee
              FROM due WHERE fee > 0
            RETURNING 1)
          SELECT count(*) AS n FROM posted`,
    ),
};

/**
 * The open cycle's interest through D: the average-daily-balance finance charge of [cycle_start, D] with the sum
 * of daily balances in closed form, S = principal × days − movement_days (ledger.ts), posted as the difference
 * from what was recognised. R = rate_num / rate_den:
 *
 *   actual/365 (360)   S × R / 365 (360)
 *   30/360             S × R × days30360(cycle_start, D + 1) / (360 × days)
 *   actual/actual      R × (S_prev × 366 + S_this × 365) / 133,590 for a cycle spanning a new year (S_prev its
 *                      first year's part, kept in prior_year_sum from its Dec 31), R × S / days_in_year otherwise
 */
const accrual: CobStep = {
  name: 'line_accrual',
  run: (db, b) => {
    const d = sql`${b.date}::date`;
    // On Dec 31 a cycle going on into the new year keeps its sum of daily balances so far (actual/actual).
    const yearEnd = sql.raw(b.date.endsWith('-12-31') ? 'true' : 'false');
    return countOf(
      db,
      sql`WITH acc AS (
            SELECT c.loan_id, c.accrued, s.total, CASE
                     WHEN l.day_count = 'actual/365'
                       THEN lending_round(s.total * l.rate_num, l.rate_den * 365, l.rounding_mode)
                     WHEN l.day_count = 'actual/360'
                       THEN lending_round(s.total * l.rate_num, l.rate_den * 360, l.rounding_mode)
                     WHEN l.day_count = '30/360'
                       THEN lending_round(s.total * l.rate_num
                                            * (lending_year_fraction_units('30/360', c.cycle_start, ${addDays(b.date, 1)}::date) / 4453),
                                          l.rate_den * 360 * s.days, l.rounding_mode)
                     WHEN extract(year FROM ${d}) > extract(year FROM c.cycle_start)
                       THEN lending_round(l.rate_num * (c.prior_year_sum::numeric * (133590 / ${yearDays(sql`c.cycle_start`)})
                                                        + (s.total - c.prior_year_sum) * (133590 / ${yearDays(d)})),
                                          l.rate_den * 133590, l.rounding_mode)
                     ELSE lending_round(s.total * l.rate_num, l.rate_den * ${yearDays(d)}, l.rounding_mode)
                   END::bigint AS target
              FROM ${LINES}
             CROSS JOIN LATERAL (SELECT (${d} - c.cycle_start + 1) AS days,
                                        (c.principal * (${d} - c.cycle_start + 1) - c.movement_days)::numeric AS total) AS s
             WHERE ${inBatch(b)} AND c.accrued_through < ${d}),
          recognised AS (
            UPDATE credit_lines c
               SET accrued = acc.target, accrued_through = ${d},
                   prior_year_sum = CASE WHEN ${yearEnd} AND c.cycle_end > ${d} THEN acc.total::bigint ELSE c.prior_year_sum END
              FROM acc WHERE c.tenant_id = ${b.tenantId} AND c.loan_id = acc.loan_id),
          posted AS (
            INSERT INTO loan_journal (tenant_id, loan_id, entry_date, kind, debit_account, credit_account, amount)
            SELECT ${b.tenantId}::uuid, loan_id, ${d}, 'accrual',
                   CASE WHEN target > accrued THEN 'interest_receivable' ELSE 'interest_income' END,
                   CASE WHEN target > accrued THEN 'interest_income' ELSE 'interest_receivable' END,
                   abs(target - accrued)
              FROM acc WHERE target <> accrued
            RETURNING 1)
          SELECT count(*) AS n FROM posted`,
    );
  },
};

/**
 * The statement on the cycle's closing day (closeCycle): the recognised interest is billed, the minimum payment is
 * min(closing balance, max(floor, percent × principal rounded to the installment multiple) + interest + fees +
 * past due), due payment_due_days later; the next cycle opens. A closing line that owes nothing closes.
 */
const statements: CobStep = {
  name: 'line_statements',
  run: (db, b) => {
    const d = sql`${b.date}::date`;
    return countOf(
      db,
      sql`WITH cl AS (
            SELECT c.*, l.oldest_unpaid_due, l.rounding_mode, l.late_fee, l.late_fee_grace_days, l.status,
                   c.interest + c.accrued AS billed,
                   c.principal + c.interest + c.accrued + c.fees AS closing,
                   CASE WHEN c.last_statement_date IS NULL THEN 0
                        ELSE greatest(0, c.last_minimum - c.paid_since_statement) END AS past_due
              FROM ${LINES} WHERE ${inBatch(b)} AND c.cycle_end = ${d} AND c.accrued_through >= ${d}),
          m AS (
            SELECT cl.*, least(closing, greatest(minimum_floor,
                     lending_round(principal * minimum_percent, 100 * installment_multiple::numeric, rounding_mode)::bigint
                       * installment_multiple) + accrued + cycle_fees + past_due) AS minimum,
                   status = 'closing' AND closing = 0 AS closes
              FROM cl),
          stmt AS (
            INSERT INTO line_statements (tenant_id, loan_id, number, period_start, period_end, due_date, days_in_cycle,
                                         opening_balance, draws, payments, interest, fees, closing_balance,
                                         closing_principal, past_due, minimum_payment, credit_limit, available_credit,
                                         sum_of_daily_balances, prior_year_sum)
            SELECT ${b.tenantId}::uuid, loan_id, statement_count + 1, cycle_start, ${d}, ${d} + payment_due_days,
                   ${d} - cycle_start + 1, opening_principal + opening_interest + opening_fees, cycle_draws,
                   cycle_payments, accrued, cycle_fees, closing, principal, past_due, minimum, credit_limit,
                   greatest(0, credit_limit - closing), principal * (${d} - cycle_start + 1) - movement_days,
                   prior_year_sum
              FROM m),
          cycled AS (
            UPDATE credit_lines c
               SET interest = m.billed, cycle_start = ${d} + 1, cycle_end = lending_next_cycle_end(${d}, c.cycle_day),
                   opening_principal = m.principal, opening_interest = m.billed, opening_fees = m.fees,
                   cycle_draws = 0, cycle_payments = 0, cycle_fees = 0, movement_days = 0, prior_year_sum = 0,
                   accrued = 0, statement_count = c.statement_count + 1, last_statement_date = ${d},
                   last_due_date = ${d} + c.payment_due_days, last_minimum = m.minimum, last_past_due = m.past_due,
                   past_due_since = CASE WHEN m.past_due > 0 THEN m.oldest_unpaid_due END,
                   paid_since_statement = 0, paid_in_time = 0, late_fee_assessed = false
              FROM m WHERE c.tenant_id = ${b.tenantId} AND c.loan_id = m.loan_id),
          billed AS (
            UPDATE loans l
               SET status = CASE WHEN m.closes THEN 'closed' ELSE l.status END, cob_active = NOT m.closes,
                   next_due_date = CASE WHEN m.minimum > 0 THEN ${d} + m.payment_due_days END,
                   oldest_unpaid_due = CASE WHEN m.minimum = 0 THEN NULL WHEN m.past_due > 0 THEN l.oldest_unpaid_due
                                            ELSE ${d} + m.payment_due_days END,
                   next_late_fee_on = CASE WHEN l.late_fee IS NOT NULL AND m.minimum > 0
                                           THEN ${d} + m.payment_due_days + l.late_fee_grace_days + 1 END
              FROM m WHERE l.tenant_id = ${b.tenantId} AND l.id = m.loan_id
            RETURNING 1)
          SELECT count(*) AS n FROM billed`,
    );
  },
};

export const lineCloseOfBusiness: readonly CobStep[] = [
  lateFees,
  accrual,
  statements,
  agingStep('line_of_credit'),
];
