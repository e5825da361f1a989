import { type SQL, sql } from 'drizzle-orm';
import type { CobBatch } from '../cob-batch.js';

/** Lines (`l`) with their cycle row (`c`). */
export const LINES = sql`loans l JOIN credit_lines c ON c.tenant_id = l.tenant_id AND c.loan_id = l.id`;

/** The batch's lines close of business visits (the range on both tables lets the planner scan each once). */
export const inBatch = (b: CobBatch): SQL =>
  sql`l.tenant_id = ${b.tenantId} AND l.id BETWEEN ${b.firstLoan}::uuid AND ${b.lastLoan}::uuid
      AND c.tenant_id = ${b.tenantId} AND c.loan_id BETWEEN ${b.firstLoan}::uuid AND ${b.lastLoan}::uuid
      AND l.product = 'line_of_credit' AND l.cob_active`;

/** Whole days in the year of a date (365 or 366). */
export const yearDays = (d: SQL): SQL =>
  sql`(make_date(extract(year FROM ${d})::int + 1, 1, 1) - make_date(extract(year FROM ${d})::int, 1, 1))`;
