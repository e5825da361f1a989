import { type SQL, sql } from 'drizzle-orm';
import type { CobBatch } from '../../domain/cob-batch.js';
import { lateFeeSql } from '../../domain/common-terms.sql.js';
import { inBatch } from './batch.sql.js';

// `chargeLateFees` (replay.ts) in SQL, over a batch.

/** What a payment row still owes of rent, depreciation and tax (parenthesized: it is spliced into expressions). */
const owing = sql.raw(
  '((i.principal_due - i.principal_paid - i.principal_waived) + (i.interest_due - i.interest_paid - i.interest_waived)' +
    ' + (i.fees_due - i.fees_paid - i.fees_waived))',
);

/**
 * Late fees: payments due + grace days on or before D, not checked yet, still owing rent, depreciation or tax,
 * are charged one fee (flat, or a percent of what they owe within min and max); the next check date moves on.
 */
export function leaseLateFeesSql(b: CobBatch): SQL {
  return sql`WITH due AS (
            SELECT i.loan_id, i.number,
                   CASE WHEN ${owing} <= 0 THEN 0 ELSE ${lateFeeSql(owing)} END AS fee
              FROM loans l JOIN loan_installments i ON i.tenant_id = l.tenant_id AND i.loan_id = l.id
             WHERE ${inBatch(b)} AND l.next_late_fee_on <= ${b.date}::date
               AND NOT i.late_fee_assessed AND i.due_date + l.late_fee_grace_days <= ${b.date}::date),
          marked AS (
            UPDATE loan_installments i SET late_fee_assessed = true, penalties_due = i.penalties_due + due.fee
              FROM due WHERE i.tenant_id = ${b.tenantId} AND i.loan_id = due.loan_id AND i.number = due.number),
          posted AS (
            INSERT INTO loan_journal (tenant_id, loan_id, entry_date, kind, debit_account, credit_account, amount)
            SELECT ${b.tenantId}::uuid, loan_id, ${b.date}::date, 'charge', 'penalties_receivable', 'penalty_income', sum(fee)
              FROM due GROUP BY loan_id HAVING sum(fee) > 0),
          checked AS (SELECT loan_id, max(number) AS last FROM due GROUP BY loan_id),
          moved AS (
            UPDATE loans l
               SET next_late_fee_on = (SELECT min(n.due_date) + l.late_fee_grace_days FROM loan_installments n
                                        WHERE n.tenant_id = l.tenant_id AND n.loan_id = l.id AND n.number > c.last)
              FROM checked c WHERE l.tenant_id = ${b.tenantId} AND l.id = c.loan_id
            RETURNING 1)
          SELECT count(*) AS n FROM moved`;
}
