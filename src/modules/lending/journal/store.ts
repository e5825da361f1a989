import { and, asc, eq, sql } from 'drizzle-orm';
import { type Db, rows } from '../../../kernel/db.js';
import { exactMinor } from '../../../kernel/money.js';
import { type JournalRow, loanJournal } from '../tables.js';
import type { Balances } from './posting.js';

/**
 * Signed balances (debits positive) of the loan's journal rows with id above `afterId`, and the highest id seen.
 * A write adds them to the loan's checkpoint, so it reads only what close of business posted since the last write.
 */
export async function balancesSince(
  db: Db,
  tenantId: string,
  loanId: string,
  afterId: number,
): Promise<{ balances: Balances; through: number }> {
  const found = await rows<{ account: string; amount: string | number; last: string | number }>(
    db,
    sql`SELECT s.account, sum(s.amount) AS amount, max(j.id) AS last
          FROM loan_journal j
          CROSS JOIN LATERAL (VALUES (j.debit_account, j.amount), (j.credit_account, -j.amount)) AS s (account, amount)
         WHERE j.tenant_id = ${tenantId} AND j.loan_id = ${loanId} AND j.id > ${afterId}
         GROUP BY s.account`,
  );
  const balances: Balances = {};
  let through = afterId;
  for (const r of found) {
    balances[r.account] = exactMinor(r.amount);
    through = Math.max(through, Number(r.last));
  }
  return { balances, through };
}

export async function journalRows(db: Db, tenantId: string, loanId: string): Promise<JournalRow[]> {
  return db
    .select()
    .from(loanJournal)
    .where(and(eq(loanJournal.tenantId, tenantId), eq(loanJournal.loanId, loanId)))
    .orderBy(asc(loanJournal.id));
}
