import { type SQL, sql } from 'drizzle-orm';
import type { CobBatch } from '../cob-batch.js';
import { inBatch, LINES } from './batch.sql.js';

// `closeCycle` (statement.ts) in SQL, over a batch.

/**
 * The statement on the cycle's closing day (closeCycle): the recognised interest is billed, the minimum payment is
 * min(closing balance, max(floor, percent × principal rounded to the installment multiple) + interest + fees +
 * past due), due payment_due_days later; the next cycle opens. A closing line that owes nothing closes.
 */
export function statementsSql(b: CobBatch): SQL {
  const d = sql`${b.date}::date`;
  return sql`WITH cl AS (
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
          SELECT count(*) AS n FROM billed`;
}
