import { sql } from 'drizzle-orm';
import { addDays } from '../../../../kernel/dates.js';
import type { CobBatch, CobStep } from '../../product.js';
import { agingStep, countOf } from '../support.js';

/**
 * Close of business for installment loans: four set-based statements per batch, in the order the engine's day
 * runs (replay.ts endOfDay, then the day's accrual). Each is a "bring to date D" operation, so running it on a loan
 * that a write already brought past D changes nothing: late fees check `late_fee_assessed`, accrual posts the
 * difference to a cumulative target, days past due only grow. The formulas are those of the engine
 * (domain/installment/README.md), with exact integers in SQL (lending_round, lending_year_fraction_units).
 */

/** Loans of the batch this product serves, still visited by close of business. */
const inBatch = (b: CobBatch) =>
  sql`l.tenant_id = ${b.tenantId} AND l.id BETWEEN ${b.firstLoan}::uuid AND ${b.lastLoan}::uuid
      AND l.product = 'installment_loan' AND l.cob_active`;

const outstanding = (c: string) => sql.raw(`(i.${c}_due - i.${c}_paid - i.${c}_waived)`);

/**
 * Late fees: installments due + grace days on or before D, not yet checked, still owing principal, interest or fees.
 * Driven from the loans whose next late-fee date has come (a few percent a day), each looking up its own rows
 * (OFFSET 0 keeps the lookup per loan instead of a join over every row); rows are updated by the ctid read here.
 */
const lateFees: CobStep = {
  name: 'late_fees',
  run: (db, b) =>
    countOf(
      db,
      sql`WITH due AS (
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
          SELECT count(*) AS n FROM moved`,
    ),
};

/** Charge-off at N days past due: every receivable (interest as recognised) is written off; accrual stops. */
const chargeOff: CobStep = {
  name: 'charge_off',
  run: (db, b) =>
    countOf(
      db,
      sql`WITH co AS (
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
          SELECT count(*) AS n FROM closed`,
    ),
};

/**
 * Accrual through D: the cursor installment's interest recognised for the days before D + 1 (per_period: linear
 * over the period's days; daily: by the day count on the interest basis), posted as the difference from what was
 * recognised, one journal row per loan. The cursor moves on when its period ends. Each loan looks its cursor row
 * up by primary key (a join would scan every row of the batch's loans), and the row is updated by its ctid.
 */
const accrual: CobStep = {
  name: 'accrual',
  run: (db, b) => {
    const end = addDays(b.date, 1);
    return countOf(
      db,
      sql`WITH acc AS (
            SELECT l.id AS loan_id, i.ctid AS row, i.number, i.accrued, i.due_date, l.installment_count,
                   CASE WHEN ${end}::date >= i.due_date THEN i.interest_accrual
                        WHEN ${end}::date <= i.period_start OR i.interest_accrual = 0 THEN 0
                        WHEN l.interest_calculation = 'daily' THEN least(i.interest_accrual, lending_round(
                          coalesce(l.flat_interest_basis, i.opening_balance)::numeric * l.rate_num
                            * lending_year_fraction_units(l.day_count, i.period_start, ${end}::date),
                          l.rate_den * 1603080, l.rounding_mode)::bigint)
                        ELSE lending_round(i.interest_accrual * (${end}::date - i.period_start),
                                           (i.due_date - i.period_start)::bigint, l.rounding_mode)
                   END AS target
              FROM loans l
              CROSS JOIN LATERAL (
                SELECT i.ctid, i.* FROM loan_installments i
                 WHERE i.tenant_id = l.tenant_id AND i.loan_id = l.id AND i.number = l.accrual_cursor
                   AND i.period_start <= ${b.date}::date
                OFFSET 0) AS i
             WHERE ${inBatch(b)}),
          recognised AS (
            UPDATE loan_installments i SET accrued = acc.target
              FROM acc
             WHERE i.ctid = ANY (ARRAY(SELECT row FROM acc WHERE target <> accrued)) AND i.ctid = acc.row),
          moved AS (
            UPDATE loans l
               SET accrual_cursor = CASE WHEN acc.number < acc.installment_count THEN acc.number + 1 END
              FROM acc WHERE l.tenant_id = ${b.tenantId} AND l.id = acc.loan_id AND acc.due_date <= ${end}::date),
          posted AS (
            INSERT INTO loan_journal (tenant_id, loan_id, entry_date, kind, debit_account, credit_account, amount)
            SELECT ${b.tenantId}::uuid, loan_id, ${b.date}::date, 'accrual',
                   CASE WHEN target > accrued THEN 'interest_receivable' ELSE 'interest_income' END,
                   CASE WHEN target > accrued THEN 'interest_income' ELSE 'interest_receivable' END,
                   abs(target - accrued)
              FROM acc WHERE target <> accrued
            RETURNING 1)
          SELECT count(*) AS n FROM posted`,
    );
  },
};

export const installmentCloseOfBusiness: readonly CobStep[] = [
  lateFees,
  agingStep('installment_loan'),
  chargeOff,
  accrual,
];
