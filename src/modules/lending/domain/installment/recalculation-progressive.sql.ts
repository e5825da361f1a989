import { type SQL, sql } from 'drizzle-orm';
import type { CalendarDate } from '../../../../kernel/dates.js';
import type { CobBatch } from '../cob-batch.js';

/**
 * `periodEarning` (recalculation-progressive.ts) of a progressive recalculating loan: round((P + Q) × R × φ × the
 * days of [from, due) / the period's days), φ the row's entry of the loan's `period_factors`, Q its `rest_pending`
 * while `rest_until` (the running period's due date) is after `from`.
 */
export function progressiveStretchSql(balance: string, loan: string, from: string | SQL, row = 'i'): SQL {
  const f = (k: 0 | 1) => sql.raw(`(${loan}.period_factors -> (${row}.number - 1) ->> ${k})::numeric`);
  const [p, l, i] = [sql.raw(balance), sql.raw(loan), sql.raw(row)];
  const start = typeof from === 'string' ? sql`${from}::date` : from;
  const q = sql`CASE WHEN ${l}.rest_until > ${start} THEN ${l}.rest_pending ELSE 0 END`;
  return sql`lending_round((${p} + ${q})::numeric * ${l}.rate_num * ${f(0)} * (${i}.due_date - ${start}),
                           ${l}.rate_den * ${f(1)} * (${i}.due_date - ${i}.period_start), ${l}.rounding_mode)::bigint`;
}

/** The loans whose installments keep their amount as a period starts (`keepsInstallments`), as `acc` rows. */
export const keepsInstallmentsSql = sql`(acc.period_factors IS NOT NULL
                  AND acc.reschedule IN ('adjust_last_unpaid_period', 'reduce_number_of_installments'))`;

const paidAhead = (r: string): SQL =>
  sql.raw(
    `(${r}.principal_due > 0 AND ${r}.principal_due - ${r}.principal_paid - ${r}.principal_waived = 0)`,
  );
const held = (r: string): SQL => sql.raw(`(${r}.principal_paid + ${r}.principal_waived)`);

/**
 * One row of `keepInstallmentsFrom` (recalculation-progressive.ts): its interest `earned` (the starting row on P,
 * a later one on what remains), what it owes beyond kept, and its principal the installment it owed less its
 * interest (the last row not paid ahead: what remains); a row paid ahead keeps its figures.
 */
function splitRowSql(r: string, earned: SQL, remaining: string): SQL {
  const ahead = paidAhead(r);
  const [n, rem] = [sql.raw(r), sql.raw(remaining)];
  const due = sql`(${earned} + ${n}.interest_due - ${n}.interest_accrual)`;
  const principal = sql`CASE WHEN ${ahead} THEN 0 WHEN ${n}.number = s0.last THEN ${rem}
                             ELSE greatest(0, least(${rem}, ${n}.principal_due + ${n}.interest_due - ${due} - ${held(r)})) END`;
  // A later row paid ahead is given its own accrual as `earned`, so `due` leaves what it owes as it was.
  return sql`${n}.number, ${n}.ctid AS row, (${earned})::bigint AS accrual, ${due}::bigint AS due,
             (CASE WHEN ${ahead} THEN ${n}.principal_due ELSE ${held(r)} + ${principal} END)::bigint AS principal,
             (${rem} - ${principal})::bigint AS remaining`;
}

/**
 * `keepInstallmentsFrom` over a batch, for the loans in `acc` whose cursor passed a due date (`periodStartSql`):
 * from row k on, in number order, each row re-projected and re-split on the principal remaining at its start.
 */
export function keepInstallmentsSplitSql(b: CobBatch, end: CalendarDate): SQL {
  const rows = (r: string) =>
    sql`${sql.raw(r)}.tenant_id = ${b.tenantId} AND ${sql.raw(r)}.loan_id = s0.loan_id`;
  return sql`s0 AS (
            SELECT acc.loan_id, acc.number + 1 AS k, acc.principal, acc.rate_num, acc.rate_den, acc.rounding_mode,
                   acc.period_factors, acc.rest_pending, acc.rest_until,
                   (SELECT coalesce(sum(q.principal_due - q.principal_paid - q.principal_waived), 0)
                      FROM loan_installments q WHERE q.tenant_id = ${b.tenantId} AND q.loan_id = acc.loan_id
                       AND q.number > acc.number)::bigint AS remaining,
                   (SELECT max(q.number) FROM loan_installments q
                     WHERE q.tenant_id = ${b.tenantId} AND q.loan_id = acc.loan_id AND q.number > acc.number
                       AND NOT ${paidAhead('q')}) AS last
              FROM acc WHERE acc.principal IS NOT NULL AND acc.due_date <= ${end}::date AND ${keepsInstallmentsSql}),
          split (loan_id, number, row, accrual, due, principal, remaining) AS (
            SELECT s0.loan_id, ${splitRowSql('n', progressiveStretchSql('s0.principal', 's0', sql`n.period_start`, 'n'), 's0.remaining')}
              FROM s0 JOIN loan_installments n ON ${rows('n')} AND n.number = s0.k
            UNION ALL
            SELECT s.loan_id, ${splitRowSql('m', sql`CASE WHEN ${paidAhead('m')} THEN m.interest_accrual ELSE ${progressiveStretchSql('greatest(0, s.remaining)', 's0', sql`m.period_start`, 'm')} END`, 's.remaining')}
              FROM split s JOIN s0 ON s0.loan_id = s.loan_id
              JOIN loan_installments m ON ${rows('m')} AND m.number = s.number + 1),
          resplit AS (
            UPDATE loan_installments t
               SET interest_accrual = split.accrual, interest_due = split.due, principal_due = split.principal
              FROM split WHERE t.ctid = split.row)`;
}
