import { type SQL, sql } from 'drizzle-orm';
import { addDays } from '../../../../kernel/dates.js';
import { accrualPostingSql, type CobBatch } from '../../domain/cob-batch.js';
import { inBatch } from './batch.sql.js';

// `rentEarned` / `accrue` (state.ts) in SQL, over a batch: the day's rent posted by close of business.

/**
 * Rent through D: the cursor payment's rent charge recognised linearly over its month [due date, next due date)
 * (the last month ends at the maturity date) for the days before D + 1, posted as the difference from what was
 * recognised; the cursor moves on when the month ends. Rent paid in advance sits as a credit in rent_receivable
 * until it is earned.
 */
export function rentSql(b: CobBatch): SQL {
  const end = addDays(b.date, 1);
  return sql`WITH acc AS (
            SELECT l.id AS loan_id, i.number, i.accrued, l.installment_count, p.period_end,
                   CASE WHEN ${end}::date >= p.period_end THEN i.interest_accrual
                        WHEN ${end}::date <= i.period_start OR i.interest_accrual = 0 THEN 0
                        ELSE lending_round(i.interest_accrual * (${end}::date - i.period_start),
                                           (p.period_end - i.period_start)::bigint, l.rounding_mode)
                   END AS target
              FROM loans l
              JOIN loan_installments i ON i.tenant_id = l.tenant_id AND i.loan_id = l.id AND i.number = l.accrual_cursor
              CROSS JOIN LATERAL (
                SELECT coalesce((SELECT n.due_date FROM loan_installments n
                                  WHERE n.tenant_id = i.tenant_id AND n.loan_id = i.loan_id AND n.number = i.number + 1),
                                l.maturity_date) AS period_end) AS p
             WHERE ${inBatch(b)} AND i.period_start <= ${b.date}::date),
          recognised AS (
            UPDATE loan_installments i SET accrued = acc.target
              FROM acc
             WHERE i.tenant_id = ${b.tenantId} AND i.loan_id = acc.loan_id AND i.number = acc.number
               AND acc.target <> acc.accrued),
          moved AS (
            UPDATE loans l
               SET accrual_cursor = CASE WHEN acc.number < acc.installment_count THEN acc.number + 1 END
              FROM acc WHERE l.tenant_id = ${b.tenantId} AND l.id = acc.loan_id AND acc.period_end <= ${end}::date),
          ${accrualPostingSql(b, 'rent_receivable', 'rent_income')}`;
}
