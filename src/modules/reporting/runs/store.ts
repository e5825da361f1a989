import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import { type ReportRunRow, reportRuns } from '../tables.js';

export async function insertRun(db: Db, row: typeof reportRuns.$inferInsert): Promise<ReportRunRow> {
  const [r] = await db.insert(reportRuns).values(row).returning();
  return r!;
}

export async function findRun(db: Db, tenantId: string, id: string): Promise<ReportRunRow | undefined> {
  const [r] = await db
    .select()
    .from(reportRuns)
    .where(and(eq(reportRuns.tenantId, tenantId), eq(reportRuns.id, id)));
  return r;
}

export async function updateRun(
  db: Db,
  tenantId: string,
  id: string,
  set: Partial<typeof reportRuns.$inferInsert>,
): Promise<void> {
  await db
    .update(reportRuns)
    .set(set)
    .where(and(eq(reportRuns.tenantId, tenantId), eq(reportRuns.id, id)));
}

export async function listRuns(
  db: Db,
  tenantId: string,
  opts: { limit: number; before?: string },
): Promise<ReportRunRow[]> {
  return db
    .select()
    .from(reportRuns)
    .where(and(eq(reportRuns.tenantId, tenantId), opts.before ? lt(reportRuns.id, opts.before) : undefined))
    .orderBy(desc(reportRuns.id))
    .limit(opts.limit);
}
