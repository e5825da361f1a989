import { type SQL, sql } from 'drizzle-orm';
import { addDays } from '../../../../kernel/dates.js';
import { accrualPostingSql, type CobBatch } from '../../domain/cob-batch.js';
import { inBatch, LINES, yearDays } from '../../domain/revolving/batch.sql.js';

// `interestThrough` (ledger.ts: `cycleInterest` in closed form) in SQL, over a batch: the day's interest.

/**
 * The open cycle's interest through D: the average-daily-balance finance charge of [cycle_start, D] with the sum
 * of daily balances in closed form, S = principal × days − movement_days (ledger.ts), posted as the difference
 * from what was recognised. R = rate_num / rate_den:
 *
 *   actual/365 (360)   S × R / 365 (360)
 *   30/360             S × R × days30360(cycle_start, D + 1) / (360 × days)
 *   actual/actual      R × (S_prev × 366 + S_this × 365) / 133,590 for a cycle spanning a new year (S_prev its
 *                      first year's part, kept in prior_year_sum from its Dec 31), R × S / days_in_year otherwise
 */
export function lineAccrualSql(b: CobBatch): SQL {
  const d = sql`${b.date}::date`;
  // On Dec 31 a cycle going on into the new year keeps its sum of daily balances so far (actual/actual).
  const yearEnd = sql.raw(b.date.endsWith('-12-31') ? 'true' : 'false');
  return sql`WITH acc AS (
            SELECT c.loan_id, c.accrued, s.total, CASE
                     WHEN l.day_count = 'actual/365'
                       THEN lending_round(s.total * l.rate_num, l.rate_den * 365, l.rounding_mode)
                     WHEN l.day_count = 'actual/360'
                       THEN lending_round(s.total * l.rate_num, l.rate_den * 360, l.rounding_mode)
                     WHEN l.day_count = '30/360'
                       THEN lending_round(s.total * l.rate_num
                                            * (lending_year_fraction_units('30/360', c.cycle_start, ${addDays(b.date, 1)}::date) / 405223),
                                          l.rate_den * 360 * s.days, l.rounding_mode)
                     WHEN extract(year FROM ${d}) > extract(year FROM c.cycle_start)
                       THEN lending_round(l.rate_num * (c.prior_year_sum::numeric * (133590 / ${yearDays(sql`c.cycle_start`)})
                                                        + (s.total - c.prior_year_sum) * (133590 / ${yearDays(d)})),
                                          l.rate_den * 133590, l.rounding_mode)
                     ELSE lending_round(s.total * l.rate_num, l.rate_den * ${yearDays(d)}, l.rounding_mode)
                   END::bigint AS target
              FROM ${LINES}
             CROSS JOIN LATERAL (SELECT (${d} - c.cycle_start + 1) AS days,
                                        (c.principal * (${d} - c.cycle_start + 1) - c.movement_days)::numeric AS total) AS s
             WHERE ${inBatch(b)} AND c.accrued_through < ${d}),
          recognised AS (
            UPDATE credit_lines c
               SET accrued = acc.target, accrued_through = ${d},
                   prior_year_sum = CASE WHEN ${yearEnd} AND c.cycle_end > ${d} THEN acc.total::bigint ELSE c.prior_year_sum END
              FROM acc WHERE c.tenant_id = ${b.tenantId} AND c.loan_id = acc.loan_id),
          ${accrualPostingSql(b, 'interest_receivable', 'interest_income')}`;
}
