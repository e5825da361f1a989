import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import { oauthStates } from '../tables.js';

/** Queries on OAuth states. The callback is public, so a state is found by its hash before the tenant is known. */

export async function insertState(db: Db, row: typeof oauthStates.$inferInsert): Promise<void> {
  await db.insert(oauthStates).values(row);
}

export type StateRow = typeof oauthStates.$inferSelect;

/**
 * Spends a state: one UPDATE that succeeds only while the state is unused and unexpired, so a state works once
 * even under concurrent callbacks. Looked up by hash before the tenant is known (the callback is public).
 */
export async function consumeState(
  db: Db,
  stateHash: Buffer,
  providerKey: string,
  now: Date,
): Promise<StateRow | undefined> {
  const [r] = await db
    .update(oauthStates)
    .set({ usedAt: now })
    .where(
      and(
        eq(oauthStates.stateHash, stateHash),
        eq(oauthStates.providerKey, providerKey),
        isNull(oauthStates.usedAt),
        sql`${oauthStates.expiresAt} > ${now}`,
      ),
    )
    .returning();
  return r;
}

/** Why a state could not be spent, for the error message (no tenant is known yet either). */
export async function stateProblem(
  db: Db,
  stateHash: Buffer,
  providerKey: string,
): Promise<'unknown' | 'used' | 'expired'> {
  const [r] = await db
    .select({ usedAt: oauthStates.usedAt })
    .from(oauthStates)
    .where(and(eq(oauthStates.stateHash, stateHash), eq(oauthStates.providerKey, providerKey)));
  if (!r) return 'unknown';
  return r.usedAt ? 'used' : 'expired';
}
