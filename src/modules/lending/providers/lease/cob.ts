import { sql } from 'drizzle-orm';
import { addDays } from '../../../../kernel/dates.js';
import type { CobBatch, CobStep } from '../../product.js';
import { agingStep, countOf, lateFeeSql } from '../support.js';

/**
 * Close of business for leases, set-based over a batch, in the order the replay's day runs (replay.ts): late
 * fees, aging, then the day's rent. Each is a "bring the lease through D" operation (late fees check
 * `late_fee_assessed`, rent posts the difference to a cumulative target), so a lease a write already brought past D
 * is left unchanged.
 */

const inBatch = (b: CobBatch) =>
  sql`l.tenant_id = ${b.tenantId} AND l.id BETWEEN ${b.firstLoan}::uuid AND ${b.lastLoan}::uuid
      AND i.tenant_id = ${b.tenantId} AND i.loan_id BETWEEN ${b.firstLoan}::uuid AND ${b.lastLoan}::uuid
      AND l.product = 'lease' AND l.cob_active`;

/** What a payment row still owes of rent, depreciation and tax (parenthesized: it is spliced into expressions). */
const owing = sql.raw(
  '((i.principal_due - i.principal_paid - i.principal_waived) + (i.interest_due - i.interest_paid - i.interest_waived)' +
    ' + (i.fees_due - i.fees_paid - i.fees_waived))',
);

/**
 * Late fees: payments due + grace days on or before D, not checked yet, still owing rent, depreciation or tax,
 * are charged one fee (flat, or a percent of what they owe within min and max); the next check date moves on.
 */
const lateFees: CobStep = {
  name: 'lease_late_fees',
  run: (db, b) =>
    countOf(
      db,
      sql`WITH due AS (
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
          SELECT count(*) AS n FROM moved`,
    ),
};

/**
 * Rent through D: the cursor payment's rent charge recognised linearly over its month [due date, next due date)
 * (the last month ends at the maturity date) for the days before D + 1, posted as the difference from what was
 * recognised; the cursor moves on when the month ends. Rent paid in advance sits as a credit in rent_receivable
 * until it is earned.
 */
const rent: CobStep = {
  name: 'lease_rent',
  run: (db, b) => {
    const end = addDays(b.date, 1);
    return countOf(
      db,
      sql`WITH acc AS (
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
          posted AS (
            INSERT INTO loan_journal (tenant_id, loan_id, entry_date, kind, debit_account, credit_account, amount)
            SELECT ${b.tenantId}::uuid, loan_id, ${b.date}::date, 'accrual',
                   CASE WHEN target > accrued THEN 'rent_receivable' ELSE 'rent_income' END,
                   CASE WHEN target > accrued THEN 'rent_income' ELSE 'rent_receivable' END,
                   abs(target - accrued)
              FROM acc WHERE target <> accrued
            RETURNING 1)
          SELECT count(*) AS n FROM posted`,
    );
  },
};

export const leaseCloseOfBusiness: readonly CobStep[] = [lateFees, agingStep('lease'), rent];
