import { type SQL, sql } from 'drizzle-orm';
import type { CobBatch } from '../cob-batch.js';
import { lateFeeSql } from '../common-terms.sql.js';
import { inBatch, LINES } from './batch.sql.js';

// `assessLateFee` (line.ts) in SQL, over a batch.

/**
 * The late fee, on the first day after the last statement's due date and grace days, when the payments received
 * by then do not cover its minimum payment: flat, or a percent of the unpaid minimum within min and max, never
 * more than the minimum payment (assessLateFee).
 */
export function lineLateFeesSql(b: CobBatch): SQL {
  return sql`WITH due AS (
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
          SELECT count(*) AS n FROM posted`;
}
