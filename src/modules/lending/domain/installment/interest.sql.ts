import { type SQL, sql } from 'drizzle-orm';
import { addDays } from '../../../../kernel/dates.js';
import { accrualPostingSql, type CobBatch } from '../cob-batch.js';
import { YEAR_UNITS_SQL } from '../exact.sql.js';
import { inBatch } from './batch.sql.js';
import { RECALCULATED_DAILY } from './recalculation.js';
import {
  compoundedSql,
  joiningFromSql,
  joiningSql,
  joiningUnitsSql,
} from './recalculation-compounding.sql.js';
import {
  maturityAccrualSql,
  owePastMaturitySql,
  passDueDateSql,
  pastMaturitySql,
} from './recalculation-maturity.sql.js';
import { RECALCULATED_PERIOD_DAYS } from './recalculation-progressive.js';
import {
  keepInstallmentsSplitSql,
  keepsInstallmentsSql,
  progressiveStretchSql,
} from './recalculation-progressive.sql.js';
import { pendingUnitsSql } from './recalculation-rest.sql.js';

// `accruedInterestTo` (interest.ts) in SQL, over a batch: the day's accrual posted by close of business.

/**
 * A daily loan whose rate changed (its `rate_steps`, rate-timeline.ts): Σ over the rates the span
 * [period_start, end) crosses of round(B × R × yf(part)), each part rounded on its own (`steppedDayInterest`).
 */
const steppedSql = (end: string): SQL => sql`(
          SELECT coalesce(sum(lending_round(
                   coalesce(l.flat_interest_basis, i.opening_balance)::numeric * s.num
                     * lending_year_fraction_units(l.day_count, greatest(coalesce(s."from", i.period_start), i.period_start),
                                                   least(coalesce(s.until, ${end}::date), ${end}::date)),
                   s.den * ${YEAR_UNITS_SQL}, l.rounding_mode)), 0)::bigint
            FROM jsonb_to_recordset(l.rate_steps) AS s ("from" date, until date, num numeric, den numeric)
           WHERE coalesce(s."from", i.period_start) < ${end}::date AND coalesce(s.until, ${end}::date) > i.period_start)`;

/**
 * Accrual through D: the cursor installment's interest recognised for the days before D + 1 (per_period: linear
 * over the period's days; daily: by the day count on the interest basis), posted as the difference from what was
 * recognised, one journal row per loan; a daily loan whose rate changed sums each rate's days (`steppedSql`). The
 * cursor moves on when its period ends; a recalculating daily loan's stays on its last row past maturity, which
 * keeps earning (recalculation-maturity.sql.ts). Each loan looks its cursor row up by primary key (a join would
 * scan every row of the batch's loans), and the row is updated by its ctid.
 */
export function accrualSql(b: CobBatch): SQL {
  const end = addDays(b.date, 1);
  return sql`WITH RECURSIVE acc AS (
            SELECT l.id AS loan_id, i.ctid AS row, i.number, i.accrued, i.due_date, l.installment_count,
                   CASE ${maturityAccrualSql(sql`${end}::date`)}
                        WHEN ${end}::date >= i.due_date THEN i.interest_accrual
                        WHEN ${end}::date <= i.period_start OR i.interest_accrual = 0 THEN 0
                        WHEN l.interest_calculation = 'daily' AND l.rate_steps IS NOT NULL
                          THEN least(i.interest_accrual, ${steppedSql(end)})
                        WHEN l.interest_calculation = 'daily' THEN least(i.interest_accrual, lending_round(
                          coalesce(l.flat_interest_basis, i.opening_balance)::numeric * l.rate_num
                            * lending_year_fraction_units(l.day_count, i.period_start, ${end}::date),
                          l.rate_den * ${YEAR_UNITS_SQL}, l.rounding_mode)::bigint)
                        WHEN bal.principal IS NOT NULL AND l.period_factors IS NOT NULL
                          THEN greatest(0, i.interest_accrual - ${progressiveStretchSql('bal.principal', 'l', end)})
                        WHEN bal.principal IS NOT NULL THEN greatest(0, i.interest_accrual - lending_round(
                          (bal.principal::numeric * lending_year_fraction_units(l.day_count, ${end}::date, i.due_date)
                            + ${pendingUnitsSql('l', sql`${end}::date`, sql`i.due_date`)}
                            + ${joiningUnitsSql('bal', sql`l.day_count`, sql`${end}::date`, sql`i.due_date`)}) * l.rate_num,
                          l.rate_den * ${YEAR_UNITS_SQL}, l.rounding_mode)::bigint)
                        ELSE lending_round(i.interest_accrual * (${end}::date - i.period_start),
                                           (i.due_date - i.period_start)::bigint, l.rounding_mode)
                   END AS target,
                   ${pastMaturitySql} AS past_maturity, bal.principal, l.rate_num, l.rate_den, l.day_count,
                   l.rounding_mode, l.period_factors, l.rest_pending, l.rest_until, bal.joining, bal.joining_from,
                   l.terms #>> '{options,interestRecalculation,reschedule}' AS reschedule
              FROM loans l
              CROSS JOIN LATERAL (
                SELECT i.ctid, i.* FROM loan_installments i
                 WHERE i.tenant_id = l.tenant_id AND i.loan_id = l.id AND i.number = l.accrual_cursor
                   AND i.period_start <= ${b.date}::date
                OFFSET 0) AS i
              ${recalculationBalance(sql`${end}::date`)}
             WHERE ${inBatch(b)}),
          recognised AS (
            UPDATE loan_installments i SET accrued = acc.target, ${owePastMaturitySql}
              FROM acc
             WHERE i.ctid = ANY (ARRAY(SELECT row FROM acc WHERE target <> accrued)) AND i.ctid = acc.row),
          moved AS (
            UPDATE loans l
               SET ${passDueDateSql}
              FROM acc WHERE l.tenant_id = ${b.tenantId} AND l.id = acc.loan_id AND acc.due_date <= ${end}::date
               AND NOT acc.past_maturity),
          ${periodStartSql(b)},
          ${accrualPostingSql(b, 'interest_receivable', 'interest_income')}`;
}

// Interest recalculation (recalculation.ts): a recalculating loan (interest_calculation 'daily_recalculated')
// earns on P, the principal outstanding over all its rows; the row accrues counted back from its due date.
const recalculationBalance = (end: SQL): SQL => sql`LEFT JOIN LATERAL (
                SELECT sum(p.principal_due - p.principal_paid - p.principal_waived + ${compoundedSql(end)}) AS principal,
                       sum(${joiningSql(end)}) AS joining, ${joiningFromSql(end)} AS joining_from
                  FROM loan_installments p
                 WHERE l.interest_calculation IN (${RECALCULATED_DAILY}, ${RECALCULATED_PERIOD_DAYS})
                   AND p.tenant_id = l.tenant_id AND p.loan_id = l.id
              ) AS bal ON true`;

/**
 * `startPeriod`: as the cursor moves past a due date, the period that starts there is re-projected on P, which
 * still holds any principal left unpaid (the overdue principal keeps earning interest). The row keeps the
 * difference between what it owes and what it earns (reschedule.ts defers a settled row's interest). On the
 * progressive schedule with installments kept, the rows from there on are re-split instead (`keepInstallmentsSplitSql`).
 */
function periodStartSql(b: CobBatch): SQL {
  const end = addDays(b.date, 1);
  return sql`restarted AS (
            UPDATE loan_installments n
               SET interest_accrual = v.interest, interest_due = v.interest + n.interest_due - n.interest_accrual
              FROM (SELECT n.ctid AS row, CASE WHEN acc.period_factors IS NOT NULL
                             THEN ${progressiveStretchSql('acc.principal', 'acc', sql`n.period_start`, 'n')}
                             ELSE lending_round((acc.principal::numeric
                             * lending_year_fraction_units(acc.day_count, n.period_start, n.due_date)
                             + ${pendingUnitsSql('acc', sql`n.period_start`, sql`n.due_date`)}
                             + ${joiningUnitsSql('acc', sql`acc.day_count`, sql`n.period_start`, sql`n.due_date`)}) * acc.rate_num,
                           acc.rate_den * ${YEAR_UNITS_SQL}, acc.rounding_mode)::bigint END AS interest
                      FROM acc JOIN loan_installments n
                        ON n.tenant_id = ${b.tenantId} AND n.loan_id = acc.loan_id AND n.number = acc.number + 1
                     WHERE acc.principal IS NOT NULL AND acc.due_date <= ${end}::date
                       AND NOT ${keepsInstallmentsSql}) AS v
             WHERE n.ctid = v.row),
          ${keepInstallmentsSplitSql(b, end)}`;
}
