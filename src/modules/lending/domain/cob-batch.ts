import { type SQL, sql } from 'drizzle-orm';
import type { CalendarDate } from '../../../kernel/dates.js';

/**
 * One batch of one close-of-business day: a tenant's loans with ids in [firstLoan, lastLoan], locked by the caller.
 * The `*.sql.ts` files beside each engine rule build their set-based statement over one.
 */
export interface CobBatch {
  tenantId: string;
  date: CalendarDate;
  firstLoan: string;
  lastLoan: string;
}

/**
 * The last CTE of an accrual statement: one journal row per loan of `acc` whose recognised amount moved (its
 * `target` against what was `accrued`), debiting the receivable when it grew and the income when it shrank; the
 * statement's count is of those rows.
 */
export const accrualPostingSql = (b: CobBatch, receivable: string, income: string): SQL =>
  sql`posted AS (
            INSERT INTO loan_journal (tenant_id, loan_id, entry_date, kind, debit_account, credit_account, amount)
            SELECT ${b.tenantId}::uuid, loan_id, ${b.date}::date, 'accrual',
                   CASE WHEN target > accrued THEN ${sql.raw(`'${receivable}'`)} ELSE ${sql.raw(`'${income}'`)} END,
                   CASE WHEN target > accrued THEN ${sql.raw(`'${income}'`)} ELSE ${sql.raw(`'${receivable}'`)} END,
                   abs(target - accrued)
              FROM acc WHERE target <> accrued
            RETURNING 1)
          SELECT count(*) AS n FROM posted`;
