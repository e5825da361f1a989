import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { CalendarDate } from '../../../kernel/dates.js';
import type { Db } from '../../../kernel/db.js';
import type { StatusRecord } from '../domain/servicing-status.js';
import { businessDates, loanServicingStatuses, loans, type ServicingStatusRow } from '../tables.js';

/** A loan's status records in the order they were made. */
export async function listStatusRecords(
  db: Db,
  tenantId: string,
  loanId: string,
): Promise<ServicingStatusRow[]> {
  return db
    .select()
    .from(loanServicingStatuses)
    .where(and(eq(loanServicingStatuses.tenantId, tenantId), eq(loanServicingStatuses.loanId, loanId)))
    .orderBy(asc(loanServicingStatuses.sequence));
}

/** The records of a page of loans (the credit report's), by loan. */
export async function statusRecordsOf(
  db: Db,
  tenantId: string,
  loanIds: readonly string[],
): Promise<Map<string, StatusRecord[]>> {
  const byLoan = new Map<string, StatusRecord[]>();
  if (loanIds.length === 0) return byLoan;
  const found = await db
    .select()
    .from(loanServicingStatuses)
    .where(
      and(eq(loanServicingStatuses.tenantId, tenantId), inArray(loanServicingStatuses.loanId, [...loanIds])),
    )
    .orderBy(asc(loanServicingStatuses.loanId), asc(loanServicingStatuses.sequence));
  for (const r of found) byLoan.set(r.loanId, [...(byLoan.get(r.loanId) ?? []), statusRecordOf(r)]);
  return byLoan;
}

export const statusRecordOf = (r: ServicingStatusRow): StatusRecord => ({
  sequence: r.sequence,
  action: r.action,
  effectiveDate: r.effectiveDate,
  agency: r.agency,
  firstDelinquency: r.firstDelinquency,
});

/**
 * Moves the loan to its next version while it is still at `version` and the tenant's business date is still
 * `businessDate` (a write or a close of business that moved it on makes this change read again); the new version,
 * or null.
 */
export async function bumpVersion(
  db: Db,
  tenantId: string,
  loanId: string,
  version: number,
  businessDate: CalendarDate,
): Promise<number | null> {
  const [r] = await db
    .update(loans)
    .set({ version: sql`${loans.version} + 1`, updatedAt: new Date() })
    .where(
      and(
        eq(loans.tenantId, tenantId),
        eq(loans.id, loanId),
        eq(loans.version, version),
        sql`EXISTS (SELECT 1 FROM ${businessDates} WHERE ${businessDates.tenantId} = ${tenantId}
                     AND ${businessDates.businessDate} = ${businessDate}::date)`,
      ),
    )
    .returning({ version: loans.version });
  return r?.version ?? null;
}

export async function insertStatusRecord(
  db: Db,
  row: typeof loanServicingStatuses.$inferInsert,
): Promise<ServicingStatusRow> {
  const [r] = await db.insert(loanServicingStatuses).values(row).returning();
  return r!;
}
