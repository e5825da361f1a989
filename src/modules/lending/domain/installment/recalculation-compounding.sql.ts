import { type SQL, sql } from 'drizzle-orm';

// `compounded` and `joining` (recalculation-compounding.ts) in SQL, over one row `p` of the loan `l`'s installments,
// the rule read from the loan's terms (`options.interestRecalculation`), its calendar run from the first period's
// start (`lending_compounds_on`, sql/calendar.sql).

const rule = sql`l.terms #> '{options,interestRecalculation}'`;
const start = sql`(SELECT f.period_start FROM loan_installments f
                    WHERE f.tenant_id = l.tenant_id AND f.loan_id = l.id AND f.number = 1)`;
const compoundsOn = sql`lending_compounds_on(${rule}, ${start}, p.due_date)`;

/** The row's compoundable amount outstanding (`compoundable`). */
const compoundableSql = sql`CASE WHEN ${rule} ->> 'compounding' IN ('interest', 'interest_and_fee')
                 THEN p.interest_due - p.interest_paid - p.interest_waived ELSE 0 END
          + CASE WHEN ${rule} ->> 'compounding' IN ('fee', 'interest_and_fee')
                 THEN p.fees_due - p.fees_paid - p.fees_waived + p.penalties_due - p.penalties_paid - p.penalties_waived
                 ELSE 0 END`;

const calendar = sql`${rule} ->> 'compounding' <> 'none' AND (${rule} ->> 'compounding_frequency' IN ('weekly', 'monthly')
       OR (${rule} ->> 'compounding_frequency' = 'daily' AND coalesce((${rule} ->> 'compounding_interval')::int, 1) > 1))`;

/** The row's part of C(at): its compoundable amount when it compounds on or before `at`. */
export const compoundedSql = (
  at: SQL,
): SQL => sql`CASE WHEN p.due_date > ${at} OR ${rule} ->> 'compounding' = 'none' THEN 0
       WHEN ${calendar} AND ${compoundsOn} > ${at} THEN 0
       ELSE ${compoundableSql} END`;

/** The row's part of the joining amount X: due by `at`, compounding after it. */
export const joiningSql = (
  at: SQL,
): SQL => sql`CASE WHEN p.due_date <= ${at} AND ${calendar} AND ${compoundsOn} > ${at}
       THEN ${compoundableSql} ELSE 0 END`;

/** The joining date (all rows joining share it), null when none. */
export const joiningFromSql = (
  at: SQL,
): SQL => sql`max(CASE WHEN p.due_date <= ${at} AND ${calendar} AND ${compoundsOn} > ${at}
       THEN ${compoundsOn} END)`;

/** `joiningUnits`: X × yf(max(from, start), end), 0 when nothing joins before `end`; `b`: the alias of the sums. */
export const joiningUnitsSql = (b: string, dayCount: SQL, from: SQL, to: SQL): SQL => {
  const a = sql.raw(b);
  return sql`CASE WHEN ${a}.joining > 0 AND ${a}.joining_from < ${to}
            THEN ${a}.joining::numeric * lending_year_fraction_units(${dayCount}, greatest(${a}.joining_from, ${from}), ${to})
            ELSE 0 END`;
};
