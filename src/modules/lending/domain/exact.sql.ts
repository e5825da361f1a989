import { sql } from 'drizzle-orm';
import { YEAR_UNITS } from './exact.js';

/**
 * The year-fraction units' denominator (exact.ts `YEAR_UNITS`, the unit of sql/exact.sql's
 * `lending_year_fraction_units`) as a SQL literal: every division by a year fraction in SQL uses this, never the
 * number itself, so the units change in one place.
 */
export const YEAR_UNITS_SQL = sql.raw(YEAR_UNITS.toString());
