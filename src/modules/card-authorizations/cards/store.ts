import { and, desc, eq, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import { type CardRow, cards } from '../tables.js';

export async function insertCard(db: Db, row: typeof cards.$inferInsert): Promise<CardRow> {
  const [created] = await db.insert(cards).values(row).returning();
  return created!;
}

export async function findCard(db: Db, tenantId: string, id: string): Promise<CardRow | undefined> {
  const [row] = await db
    .select()
    .from(cards)
    .where(and(eq(cards.tenantId, tenantId), eq(cards.id, id)));
  return row;
}

/** Keyset pagination on the time-ordered id, newest first. */
export interface CardFilter {
  cardId?: string;
  ownerType?: string;
  ownerRef?: string;
  status?: string;
  limit: number;
  before?: string;
}

export async function listCards(db: Db, tenantId: string, f: CardFilter): Promise<CardRow[]> {
  return db
    .select()
    .from(cards)
    .where(
      and(
        eq(cards.tenantId, tenantId),
        f.cardId ? eq(cards.cardId, f.cardId) : undefined,
        f.ownerType ? eq(cards.ownerType, f.ownerType) : undefined,
        f.ownerRef ? eq(cards.ownerRef, f.ownerRef) : undefined,
        f.status ? eq(cards.status, f.status) : undefined,
        f.before ? lt(cards.id, f.before) : undefined,
      ),
    )
    .orderBy(desc(cards.id))
    .limit(f.limit);
}

/** Sets the status of a card that is not closed; undefined when it is. */
export async function setCardStatus(
  db: Db,
  tenantId: string,
  id: string,
  status: string,
): Promise<CardRow | undefined> {
  const [updated] = await db
    .update(cards)
    .set({ status, updatedAt: sql`now()` })
    .where(and(eq(cards.tenantId, tenantId), eq(cards.id, id), ne(cards.status, 'closed')))
    .returning();
  return updated;
}
