import { type SQL, sql } from 'drizzle-orm';
import { YEAR_UNITS_SQL } from '../exact.sql.js';
import { RECALCULATED_DAILY } from './recalculation.js';
import { pendingUnitsSql } from './recalculation-rest.sql.js';

// Interest after maturity (recalculation-maturity.ts) in the close of business's accrual (interest.sql.ts): `l` the
// loan, `i` its cursor installment, `end` the first day not recognised.

/** Whether the cursor row is the last installment of a loan past maturity (its stretch opened). */
export const pastMaturitySql = sql`(l.after_maturity_from IS NOT NULL AND i.due_date <= l.after_maturity_from)`;

/** `maturityAccrual`: earned + round((balance × yf(since, end) + pending principal's units) × R), once the stretch runs. */
export const maturityAccrualSql = (
  end: SQL,
): SQL => sql`WHEN ${pastMaturitySql} AND ${end} > l.after_maturity_from
                          THEN l.after_maturity_earned + lending_round(
                            (l.after_maturity_balance::numeric * lending_year_fraction_units(l.day_count, l.after_maturity_from, ${end})
                              + ${pendingUnitsSql('l', sql`l.after_maturity_from`, end)}) * l.rate_num,
                            l.rate_den * ${YEAR_UNITS_SQL}, l.rounding_mode)::bigint`;

/** The cursor's row is the last installment of a daily recalculating loan: the stretch opens as it ends. */
const opensSql = sql`acc.number >= acc.installment_count AND l.interest_calculation = ${RECALCULATED_DAILY}`;

/**
 * As the cursor passes a due date (`moved` in interest.sql.ts, on loans not past maturity yet): the next row, or past
 * the last due date of a daily recalculating loan the last row still, its stretch opening at the due date with what
 * the period earned (the target) and the balance then (`openAfterMaturity`); other loans' cursor ends.
 */
export const passDueDateSql = sql`accrual_cursor = CASE WHEN acc.number < acc.installment_count THEN acc.number + 1
                                                 WHEN ${opensSql} THEN acc.number END,
               after_maturity_from = CASE WHEN ${opensSql} THEN acc.due_date ELSE l.after_maturity_from END,
               after_maturity_earned = CASE WHEN ${opensSql} THEN acc.target ELSE l.after_maturity_earned END,
               after_maturity_balance = CASE WHEN ${opensSql} THEN acc.principal ELSE l.after_maturity_balance END`;

/** An installment row past maturity: its interest earned and due follow the accrual (`owePastMaturity`). */
export const owePastMaturitySql = sql`interest_accrual = CASE WHEN acc.past_maturity THEN acc.target ELSE i.interest_accrual END,
                   interest_due = CASE WHEN acc.past_maturity THEN i.interest_due + acc.target - i.interest_accrual
                                       ELSE i.interest_due END`;
