import { type SQL, sql } from 'drizzle-orm';

/**
 * `pendingUnits` (recalculation-rest.ts) in SQL: the loan's principal paid but earning until its rest date
 * (`rest_pending` until `rest_until`) times the year fraction of [from, min(rest_until, to)), in the units of
 * `lending_year_fraction_units`; 0 when nothing is pending or the rest date is not after `from`. `loan`: the alias of
 * a row holding the loan's rest_pending, rest_until and day_count.
 */
export const pendingUnitsSql = (loan: string, from: SQL, to: SQL): SQL =>
  sql`CASE WHEN ${sql.raw(loan)}.rest_pending IS NOT NULL AND ${sql.raw(loan)}.rest_until > ${from}
            THEN ${sql.raw(loan)}.rest_pending::numeric * lending_year_fraction_units(${sql.raw(loan)}.day_count, ${from},
                   least(${sql.raw(loan)}.rest_until, ${to}))
            ELSE 0 END`;
