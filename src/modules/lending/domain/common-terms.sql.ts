import { type SQL, sql } from 'drizzle-orm';

/**
 * `lateFeeAmount` in SQL for the loan `l`: flat, or the percent of `overdue` (> 0) rounded once with the loan's
 * mode, kept within min and max.
 */
export const lateFeeSql = (overdue: SQL) =>
  sql`CASE WHEN l.late_fee->>'type' = 'flat' THEN (l.late_fee->>'amount')::bigint
           ELSE least(coalesce((l.late_fee->>'max')::bigint, 9007199254740991),
                      greatest(coalesce((l.late_fee->>'min')::bigint, 0),
                               lending_round((${overdue})::numeric * (l.late_fee->>'percent')::numeric,
                                             100, l.rounding_mode)::bigint))
      END`;
