import { eq, sql } from 'drizzle-orm';
import type { CalendarDate } from '../../../kernel/dates.js';
import type { Db } from '../../../kernel/db.js';
import { businessDates, cobRuns } from '../tables.js';

export async function findBusinessDate(
  db: Db,
  tenantId: string,
  opts: { lock?: boolean } = {},
): Promise<CalendarDate | undefined> {
  const q = db
    .select({ d: businessDates.businessDate })
    .from(businessDates)
    .where(eq(businessDates.tenantId, tenantId));
  const [r] = opts.lock ? await q.for('update') : await q;
  return r?.d;
}

/** Fixes the tenant's business date unless it already has one; returns the one in force. */
export async function initBusinessDate(
  db: Db,
  tenantId: string,
  initial: CalendarDate,
): Promise<CalendarDate> {
  await db.insert(businessDates).values({ tenantId, businessDate: initial }).onConflictDoNothing();
  return (await findBusinessDate(db, tenantId))!;
}

export async function setBusinessDate(db: Db, tenantId: string, value: CalendarDate): Promise<void> {
  await db
    .insert(businessDates)
    .values({ tenantId, businessDate: value })
    .onConflictDoUpdate({
      target: businessDates.tenantId,
      set: { businessDate: value, updatedAt: sql`now()` },
    });
}

/** Has close of business ever run for the tenant (any day, finished or not)? */
export async function hasClosedDays(db: Db, tenantId: string): Promise<boolean> {
  const [r] = await db
    .select({ one: sql<number>`1` })
    .from(cobRuns)
    .where(eq(cobRuns.tenantId, tenantId))
    .limit(1);
  return r !== undefined;
}
