import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import { consoleSignInLinks } from '../tables.js';

export type SignInLinkRow = typeof consoleSignInLinks.$inferSelect;

export async function insertLink(
  db: Db,
  row: typeof consoleSignInLinks.$inferInsert,
): Promise<SignInLinkRow> {
  const [r] = await db.insert(consoleSignInLinks).values(row).returning();
  return r!;
}

/**
 * Marks the link with this hash used, if it is unused and unexpired, and returns it. One statement, so two browsers
 * racing on one link cannot both sign in.
 */
export async function useLink(db: Db, tokenHash: Buffer): Promise<SignInLinkRow | undefined> {
  const [r] = await db
    .update(consoleSignInLinks)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(consoleSignInLinks.tokenHash, tokenHash),
        isNull(consoleSignInLinks.usedAt),
        gt(consoleSignInLinks.expiresAt, sql`now()`),
      ),
    )
    .returning();
  return r;
}
