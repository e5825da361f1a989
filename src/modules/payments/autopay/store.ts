import { and, eq } from 'drizzle-orm';
import type { CalendarDate } from '../../../kernel/dates.js';
import type { Db } from '../../../kernel/db.js';
import { autopayDays, loanAutopay } from '../tables.js';

export type AutopayRow = typeof loanAutopay.$inferSelect;

export async function findAutopay(db: Db, tenantId: string, loanId: string): Promise<AutopayRow | undefined> {
  const [r] = await db
    .select()
    .from(loanAutopay)
    .where(and(eq(loanAutopay.tenantId, tenantId), eq(loanAutopay.loanId, loanId)));
  return r;
}

export async function upsertAutopay(db: Db, row: typeof loanAutopay.$inferInsert): Promise<AutopayRow> {
  const [r] = await db
    .insert(loanAutopay)
    .values(row)
    .onConflictDoUpdate({
      target: [loanAutopay.tenantId, loanAutopay.loanId],
      set: { paymentMethodId: row.paymentMethodId, enabled: row.enabled, updatedAt: row.updatedAt },
    })
    .returning();
  return r!;
}

export async function enabledLoans(db: Db, tenantId: string): Promise<AutopayRow[]> {
  return db
    .select()
    .from(loanAutopay)
    .where(and(eq(loanAutopay.tenantId, tenantId), eq(loanAutopay.enabled, true)));
}

/** Marks a day's autopay as queued; false when it already was (a rerun of the same close of business). */
export async function claimDay(
  db: Db,
  tenantId: string,
  date: CalendarDate,
  loans: number,
): Promise<boolean> {
  const r = await db
    .insert(autopayDays)
    .values({ tenantId, businessDate: date, loans })
    .onConflictDoNothing()
    .returning({ d: autopayDays.businessDate });
  return r.length > 0;
}
