import { and, asc, desc, eq, gte, lte, sql } from 'drizzle-orm';
import type { CalendarDate } from '../../../kernel/dates.js';
import { type Db, rows } from '../../../kernel/db.js';
import { type CobBatchRow, type CobRunRow, cobBatches, cobRuns } from '../tables.js';

export async function findRun(db: Db, tenantId: string, day: CalendarDate): Promise<CobRunRow | undefined> {
  const [r] = await db
    .select()
    .from(cobRuns)
    .where(and(eq(cobRuns.tenantId, tenantId), eq(cobRuns.businessDate, day)));
  return r;
}

export async function insertRun(db: Db, row: typeof cobRuns.$inferInsert): Promise<void> {
  await db.insert(cobRuns).values(row);
}

/**
 * Splits the loans close of business visits into batches of `size` consecutive ids, recorded as id ranges.
 * Returns how many batches and loans there are. (uuid has no min/max; its text form sorts the same way.)
 */
export async function planBatches(
  db: Db,
  tenantId: string,
  day: CalendarDate,
  size: number,
): Promise<{ batches: number; loans: number }> {
  const [r] = await rows<{ batches: string | number; loans: string | number | null }>(
    db,
    sql`WITH planned AS (
          INSERT INTO cob_batches (tenant_id, business_date, batch, first_loan, last_loan, loans)
          SELECT ${tenantId}::uuid, ${day}::date, batch, min(id::text)::uuid, max(id::text)::uuid, count(*)
            FROM (SELECT id, (row_number() OVER (ORDER BY id) - 1) / ${size} AS batch
                    FROM loans WHERE tenant_id = ${tenantId} AND cob_active) AS ranked
           GROUP BY batch
          RETURNING loans)
        SELECT count(*) AS batches, sum(loans) AS loans FROM planned`,
  );
  return { batches: Number(r?.batches ?? 0), loans: Number(r?.loans ?? 0) };
}

export async function setRunTotals(
  db: Db,
  tenantId: string,
  day: CalendarDate,
  totals: { batches: number; loans: number },
): Promise<void> {
  await db
    .update(cobRuns)
    .set({ batchesTotal: totals.batches, loansTotal: totals.loans })
    .where(and(eq(cobRuns.tenantId, tenantId), eq(cobRuns.businessDate, day)));
}

export async function lockBatch(
  db: Db,
  tenantId: string,
  day: CalendarDate,
  batch: number,
): Promise<CobBatchRow | undefined> {
  const [r] = await db
    .select()
    .from(cobBatches)
    .where(
      and(eq(cobBatches.tenantId, tenantId), eq(cobBatches.businessDate, day), eq(cobBatches.batch, batch)),
    )
    .for('update');
  return r;
}

export async function markBatchDone(
  db: Db,
  tenantId: string,
  day: CalendarDate,
  batch: number,
): Promise<void> {
  await db
    .update(cobBatches)
    .set({ status: 'done', completedAt: sql`now()` })
    .where(
      and(eq(cobBatches.tenantId, tenantId), eq(cobBatches.businessDate, day), eq(cobBatches.batch, batch)),
    );
}

export async function pendingBatches(db: Db, tenantId: string, day: CalendarDate): Promise<number[]> {
  const found = await db
    .select({ batch: cobBatches.batch })
    .from(cobBatches)
    .where(
      and(
        eq(cobBatches.tenantId, tenantId),
        eq(cobBatches.businessDate, day),
        eq(cobBatches.status, 'pending'),
      ),
    )
    .orderBy(asc(cobBatches.batch));
  return found.map((b) => b.batch);
}

/** Completes a running day; returns the run when this call completed it (exactly one caller does). */
export async function completeRun(
  db: Db,
  tenantId: string,
  day: CalendarDate,
): Promise<CobRunRow | undefined> {
  const [r] = await db
    .update(cobRuns)
    .set({ status: 'completed', completedAt: sql`now()`, error: null })
    .where(and(eq(cobRuns.tenantId, tenantId), eq(cobRuns.businessDate, day), eq(cobRuns.status, 'running')))
    .returning();
  return r;
}

export async function updateRun(
  db: Db,
  tenantId: string,
  day: CalendarDate,
  changes: Partial<Pick<CobRunRow, 'status' | 'throughDate' | 'error'>>,
): Promise<void> {
  await db
    .update(cobRuns)
    .set(changes)
    .where(and(eq(cobRuns.tenantId, tenantId), eq(cobRuns.businessDate, day)));
}

export async function unfinishedRuns(db: Db, tenantId?: string): Promise<CobRunRow[]> {
  return db
    .select()
    .from(cobRuns)
    .where(and(sql`${cobRuns.status} <> 'completed'`, tenantId ? eq(cobRuns.tenantId, tenantId) : undefined))
    .orderBy(asc(cobRuns.businessDate));
}

export interface RunProgress extends CobRunRow {
  batchesDone: number;
  loansDone: number;
}

/** Runs with their progress, newest first, optionally within [from, to]. */
export async function listRuns(
  db: Db,
  tenantId: string,
  opts: { from?: CalendarDate; to?: CalendarDate; limit: number },
): Promise<RunProgress[]> {
  const runs = await db
    .select()
    .from(cobRuns)
    .where(
      and(
        eq(cobRuns.tenantId, tenantId),
        opts.from ? gte(cobRuns.businessDate, opts.from) : undefined,
        opts.to ? lte(cobRuns.businessDate, opts.to) : undefined,
      ),
    )
    .orderBy(desc(cobRuns.businessDate))
    .limit(opts.limit);
  if (runs.length === 0) return [];
  const done = await rows<{ day: string; batches: string | number; loans: string | number }>(
    db,
    sql`SELECT business_date::text AS day, count(*) AS batches, coalesce(sum(loans), 0) AS loans
          FROM cob_batches
         WHERE tenant_id = ${tenantId} AND status = 'done'
           AND business_date BETWEEN ${runs.at(-1)!.businessDate}::date AND ${runs[0]!.businessDate}::date
         GROUP BY business_date`,
  );
  const byDay = new Map(done.map((d) => [d.day, d]));
  return runs.map((r) => ({
    ...r,
    batchesDone: Number(byDay.get(r.businessDate)?.batches ?? 0),
    loansDone: Number(byDay.get(r.businessDate)?.loans ?? 0),
  }));
}

/**
 * Locks the batch's loans (the ones close of business visits) and moves each to a new version, so that a write
 * that read one before the batch fails its guard and reads again; returns how many.
 */
export async function lockBatchLoans(db: Db, tenantId: string, first: string, last: string): Promise<number> {
  const [r] = await rows<{ n: string | number }>(
    db,
    sql`WITH locked AS (
          UPDATE loans SET version = version + 1
           WHERE tenant_id = ${tenantId} AND id BETWEEN ${first}::uuid AND ${last}::uuid AND cob_active
          RETURNING 1)
        SELECT count(*) AS n FROM locked`,
  );
  return Number(r?.n ?? 0);
}

/** Tenants with a business date: the ones close of business may have work for. */
export async function tenantsWithBusinessDate(db: Db): Promise<string[]> {
  const found = await rows<{ tenant_id: string }>(
    db,
    sql`SELECT tenant_id FROM business_dates ORDER BY tenant_id`,
  );
  return found.map((r) => r.tenant_id);
}
