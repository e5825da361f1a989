import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import { type OfacListRow, ofacLists } from '../tables.js';

export type OfacListSummary = Omit<OfacListRow, 'sdnCsv' | 'altCsv'>;

const summary = {
  tenantId: ofacLists.tenantId,
  id: ofacLists.id,
  status: ofacLists.status,
  source: ofacLists.source,
  entries: ofacLists.entries,
  aliases: ofacLists.aliases,
  sdnSha256: ofacLists.sdnSha256,
  loadedAt: ofacLists.loadedAt,
};

export async function activeListId(db: Db, tenantId: string): Promise<string | undefined> {
  const [r] = await db
    .select({ id: ofacLists.id })
    .from(ofacLists)
    .where(and(eq(ofacLists.tenantId, tenantId), eq(ofacLists.status, 'active')));
  return r?.id;
}

export async function findList(db: Db, tenantId: string, id: string): Promise<OfacListRow | undefined> {
  const [r] = await db
    .select()
    .from(ofacLists)
    .where(and(eq(ofacLists.tenantId, tenantId), eq(ofacLists.id, id)));
  return r;
}

export async function listLists(db: Db, tenantId: string, limit: number): Promise<OfacListSummary[]> {
  return db
    .select(summary)
    .from(ofacLists)
    .where(eq(ofacLists.tenantId, tenantId))
    .orderBy(desc(ofacLists.id))
    .limit(limit);
}

/** Supersedes the active list and makes `row` the active one (the caller's transaction). */
export async function activate(db: Db, row: typeof ofacLists.$inferInsert): Promise<OfacListSummary> {
  await db
    .update(ofacLists)
    .set({ status: 'superseded' })
    .where(and(eq(ofacLists.tenantId, row.tenantId), eq(ofacLists.status, 'active')));
  const [created] = await db
    .insert(ofacLists)
    .values({ ...row, status: 'active' })
    .returning(summary);
  return created!;
}
