import { type SQL, sql } from 'drizzle-orm';
import type { CobBatch } from '../cob-batch.js';
import { inBatch, outstanding } from './batch.sql.js';

// `chargeOff` (servicing.ts; days.ts `endOfDay` at N days past due) in SQL, over a batch.

/** Charge-off at N days past due: every receivable (interest as recognised) is written off; accrual stops. */
export function chargeOffSql(b: CobBatch): SQL {
  return sql`WITH co AS (
            SELECT l.id, o.*
              FROM loans l
              CROSS JOIN LATERAL (
                SELECT sum(${outstanding('principal')}) AS principal,
                       sum(i.accrued - i.interest_paid - i.interest_waived) AS interest,
                       sum(${outstanding('fees')}) AS fees,
                       sum(${outstanding('penalties')}) AS penalties
                  FROM loan_installments i WHERE i.tenant_id = l.tenant_id AND i.loan_id = l.id) AS o
             WHERE ${inBatch(b)} AND l.charge_off_after_days IS NOT NULL
               AND l.oldest_unpaid_due < ${b.date}::date
               AND ${b.date}::date - l.oldest_unpaid_due >= l.charge_off_after_days),
          closed AS (
            UPDATE loans l
               SET status = 'charged_off', cob_active = false, days_past_due = 0, delinquency_bucket = 'current',
                   accrual_cursor = NULL, next_late_fee_on = NULL
              FROM co WHERE l.tenant_id = ${b.tenantId} AND l.id = co.id
            RETURNING 1),
          posted AS (
            INSERT INTO loan_journal (tenant_id, loan_id, entry_date, kind, debit_account, credit_account, amount)
            SELECT ${b.tenantId}::uuid, co.id, ${b.date}::date, 'charge_off',
                   CASE WHEN v.amount > 0 THEN 'charge_off_expense' ELSE v.account END,
                   CASE WHEN v.amount > 0 THEN v.account ELSE 'charge_off_expense' END,
                   abs(v.amount)
              FROM co CROSS JOIN LATERAL (VALUES ('loans_receivable', co.principal),
                                                 ('interest_receivable', co.interest),
                                                 ('fees_receivable', co.fees),
                                                 ('penalties_receivable', co.penalties)) AS v (account, amount)
             WHERE v.amount <> 0)
          SELECT count(*) AS n FROM closed`;
}
