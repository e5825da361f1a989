import { and, eq, sql } from 'drizzle-orm';
import { integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Db } from '../../kernel/db.js';
import type { HeldKey } from '../../kernel/idempotency.js';

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tenantId: uuid('tenant_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    state: text('state').$type<HeldKey['state']>().notNull(),
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] })],
);

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;

/** A request that died mid-flight leaves its key in progress; after this long another attempt may take it over. */
const ABANDONED_AFTER = sql`interval '5 minutes'`;

/**
 * Claims a key for a request. Returns undefined when the claim succeeded (a new key, or an abandoned one taken
 * over), otherwise the row that holds it.
 */
export async function claim(
  db: Db,
  tenantId: string,
  key: string,
  requestHash: string,
): Promise<HeldKey | undefined> {
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ tenantId, key, requestHash, state: 'in_progress' })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length > 0) return undefined;
  const takenOver = await db
    .update(idempotencyKeys)
    .set({ createdAt: sql`now()` })
    .where(
      and(
        eq(idempotencyKeys.tenantId, tenantId),
        eq(idempotencyKeys.key, key),
        eq(idempotencyKeys.requestHash, requestHash),
        eq(idempotencyKeys.state, 'in_progress'),
        sql`${idempotencyKeys.createdAt} < now() - ${ABANDONED_AFTER}`,
      ),
    )
    .returning({ key: idempotencyKeys.key });
  if (takenOver.length > 0) return undefined;
  const [row] = await db
    .select({
      requestHash: idempotencyKeys.requestHash,
      state: idempotencyKeys.state,
      status: idempotencyKeys.responseStatus,
      body: idempotencyKeys.responseBody,
    })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key)));
  return row;
}

export async function complete(
  db: Db,
  tenantId: string,
  key: string,
  status: number,
  body: string,
): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ state: 'completed', responseStatus: status, responseBody: body, completedAt: sql`now()` })
    .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key)));
}

/** Frees a key whose request failed on our side (5xx), so the client can retry it. */
export async function release(db: Db, tenantId: string, key: string): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.tenantId, tenantId),
        eq(idempotencyKeys.key, key),
        eq(idempotencyKeys.state, 'in_progress'),
      ),
    );
}

/** Housekeeping: completed keys are kept for a day, like the processors' own idempotency windows. */
export async function purgeOlderThan(db: Db, hours: number): Promise<number> {
  const rows = await db
    .delete(idempotencyKeys)
    .where(sql`${idempotencyKeys.createdAt} < now() - make_interval(hours => ${hours})`)
    .returning({ key: idempotencyKeys.key });
  return rows.length;
}
