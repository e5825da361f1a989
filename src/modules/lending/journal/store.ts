import { and, asc, eq, sql } from 'drizzle-orm';
import { bigint, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { type Db, dateColumn, minorColumn, rows } from '../../../kernel/db.js';
import { exactMinor } from '../../../kernel/money.js';
import type { Balances } from './posting.js';

/** The append-only double-entry journal of every loan: one row per posting, debit and credit side together. */
export const loanJournal = pgTable(
  'loan_journal',
  {
    tenantId: uuid('tenant_id').notNull(),
    loanId: uuid('loan_id').notNull(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    entryDate: dateColumn('entry_date').notNull(),
    kind: text('kind').notNull(),
    eventId: uuid('event_id'),
    debitAccount: text('debit_account').notNull(),
    creditAccount: text('credit_account').notNull(),
    amount: minorColumn('amount').notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.loanId, t.id] })],
);

export type JournalRow = typeof loanJournal.$inferSelect;

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
