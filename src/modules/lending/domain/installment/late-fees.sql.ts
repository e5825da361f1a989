import { type SQL, sql } from 'drizzle-orm';
import type { CobBatch } from '../cob-batch.js';
import { inBatch, outstanding } from './batch.sql.js';

// `lateFeesDue` (late-fees.ts) in SQL, over a batch.

/**
 * Late fees: installments due + grace days on or before D, not yet checked, still owing principal, interest or fees.
 * Driven from the loans whose next late-fee date has come (a few percent a day), each looking up its own rows
 * (OFFSET 0 keeps the lookup per loan instead of a join over every row); rows are updated by the ctid read here.
 */
export function lateFeesSql(b: CobBatch): SQL {
  return sql`WITH due AS (
            SELECT l.id AS loan_id, l.late_fee_grace_days AS grace, i.row, i.number,
                   CASE WHEN i.overdue <= 0 THEN 0
                        WHEN l.late_fee->>'type' = 'flat' THEN (l.late_fee->>'amount')::bigint
                        ELSE least(coalesce((l.late_fee->>'max')::bigint, 9007199254740991),
                                   greatest(coalesce((l.late_fee->>'min')::bigint, 0),
                                            lending_round(i.overdue::numeric * (l.late_fee->>'rateNum')::numeric,
                                                          (l.late_fee->>'rateDen')::numeric, l.rounding_mode)::bigint))
                   END AS fee
              FROM loans l
              CROSS JOIN LATERAL (
                SELECT i.ctid AS row, i.number,
                       ${outstanding('principal')} + ${outstanding('interest')} + ${outstanding('fees')} AS overdue
                  FROM loan_installments i
                 WHERE i.tenant_id = l.tenant_id AND i.loan_id = l.id AND NOT i.late_fee_assessed
                   AND i.due_date + l.late_fee_grace_days <= ${b.date}::date
                OFFSET 0) AS i
             WHERE ${inBatch(b)} AND l.next_late_fee_on <= ${b.date}::date),
          marked AS (
            UPDATE loan_installments i SET late_fee_assessed = true, penalties_due = i.penalties_due + due.fee
              FROM due WHERE i.ctid = ANY (ARRAY(SELECT row FROM due)) AND i.ctid = due.row),
          posted AS (
            INSERT INTO loan_journal (tenant_id, loan_id, entry_date, kind, debit_account, credit_account, amount)
            SELECT ${b.tenantId}::uuid, loan_id, ${b.date}::date, 'charge', 'penalties_receivable', 'penalty_income', sum(fee)
              FROM due GROUP BY loan_id HAVING sum(fee) > 0),
          checked AS (SELECT loan_id, max(number) AS last, min(grace) AS grace FROM due GROUP BY loan_id),
          moved AS (
            UPDATE loans l SET next_late_fee_on = n.due_date + c.grace
              FROM checked c
              LEFT JOIN loan_installments n
                ON n.tenant_id = ${b.tenantId} AND n.loan_id = c.loan_id AND n.number = c.last + 1
             WHERE l.tenant_id = ${b.tenantId} AND l.id = c.loan_id
            RETURNING 1)
          SELECT count(*) AS n FROM moved`;
}
