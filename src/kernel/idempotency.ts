import { and, eq, sql } from 'drizzle-orm';
import { integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Db, RawQuery } from './db.js';
import { err, failure, ok, type Result } from './result.js';

/**
 * Idempotency keys (the `idempotency_keys` table, served over HTTP by src/http/idempotency/). Two ways to honour a
 * key: the HTTP layer claims it before the handler and completes it after (any route); or a service whose write
 * is one statement stores the completed key in that statement (`keyInsertSql`), after reading it in its read
 * (`heldKeySql`). The second costs no extra round trip and cannot leave a key half done. A service that must
 * record something before an outside call and finish it after (a payment) claims the key in the statement that
 * records (`keyClaimSql`) and completes it in the statement that finishes (`keyCompleteSql`). All answer a key
 * that was used already the same way (`answerFor`). This file is the only one that touches the table.
 */

/** A response as stored with its key: a retry gets it back byte for byte. */
export interface StoredResponse {
  status: number;
  body: string;
}

/** A request's Idempotency-Key and the hash of what it asked (method, URL and body). */
export interface IdempotencyKey {
  key: string;
  requestHash: string;
}

/** The row of a key already used. */
export interface HeldKey {
  requestHash: string;
  state: 'in_progress' | 'completed';
  status: number | null;
  body: string | null;
}

/** What a key already used answers: its stored response, or why there is none to give. */
export function answerFor(held: HeldKey, requestHash: string): Result<StoredResponse> {
  if (held.requestHash !== requestHash)
    return err(
      failure(
        'unprocessable',
        'idempotency_key_reused',
        'this Idempotency-Key was used with a different request',
      ),
    );
  if (held.state === 'in_progress')
    return err(failure('conflict', 'idempotency_key_in_progress', 'the original request is still running'));
  return ok({ status: held.status ?? 200, body: held.body ?? '' });
}

/** A json expression for a read statement: the key's row as [hash, state, status, body], or null. */
export const heldKeySql = (tenant: string, key: string): string =>
  `(SELECT json_build_array(request_hash, state, response_status, response_body)
      FROM idempotency_keys WHERE tenant_id = ${tenant} AND key = ${key})`;

export function heldKeyOf(value: unknown): HeldKey | null {
  if (!Array.isArray(value)) return null;
  const [requestHash, state, status, body] = value as [
    string,
    HeldKey['state'],
    number | null,
    string | null,
  ];
  return { requestHash, state, status, body };
}

/**
 * Inserts the key completed with its response, once per row of `source` (a write statement's guard: no row, no
 * key). A concurrent request with the same key makes the statement fail on the primary key
 * (`isUniqueViolation(e, KEY_CONSTRAINT)`): nothing it wrote stays, and a read finds the winner's response.
 */
export const keyInsertSql = (
  source: string,
  v: { tenant: string; key: string; requestHash: string; status: string; body: string },
): string =>
  `INSERT INTO idempotency_keys (tenant_id, key, request_hash, state, response_status, response_body, completed_at)
   SELECT ${v.tenant}, ${v.key}, ${v.requestHash}, 'completed', ${v.status}, ${v.body}, now() FROM ${source}`;

export const KEY_CONSTRAINT = 'idempotency_keys_pkey';

/**
 * A data-modifying CTE body that claims a key (in progress) for a request, or takes over one a request with the
 * same hash abandoned (still in progress after ABANDONED_AFTER), once per row of `source`; it returns the
 * (tenant_id, key) of each claim that succeeded. The statement that holds it records a request's work only when
 * its key is returned, so the key and that work commit together. The values are SQL expressions over `source`.
 * The keys are claimed in (tenant, key) order: two statements in flight lock the keys they share in one order.
 */
export const keyClaimSql = (
  source: string,
  v: { tenant: string; key: string; requestHash: string },
): string =>
  `INSERT INTO idempotency_keys AS i (tenant_id, key, request_hash, state)
   SELECT ${v.tenant}, ${v.key}, ${v.requestHash}, 'in_progress' FROM ${source} ORDER BY 1, 2
   ON CONFLICT (tenant_id, key) DO UPDATE SET created_at = now()
    WHERE i.state = 'in_progress' AND i.request_hash = EXCLUDED.request_hash
      AND i.created_at < now() - ${ABANDONED_AFTER_SQL}
   RETURNING i.tenant_id, i.key`;

/**
 * Completes a claimed key with its response, once per row of `source` (a write statement's rows: no row, no
 * completion). Only a key still in progress is completed.
 */
export const keyCompleteSql = (
  source: string,
  v: { tenant: string; key: string; status: string; body: string },
): string =>
  `UPDATE idempotency_keys i SET state = 'completed', response_status = ${v.status}, response_body = ${v.body},
          completed_at = now()
     FROM ${source} WHERE i.tenant_id = ${v.tenant} AND i.key = ${v.key} AND i.state = 'in_progress'`;

/**
 * Stores a response under a key by itself (a request that failed and wrote nothing else). false: the key was
 * taken in the meantime, and a read finds what it holds.
 */
export async function storeResponse(
  raw: RawQuery,
  tenantId: string,
  k: IdempotencyKey,
  response: StoredResponse,
): Promise<boolean> {
  const { rows } = await raw.query(
    `INSERT INTO idempotency_keys (tenant_id, key, request_hash, state, response_status, response_body, completed_at)
     VALUES ($1, $2, $3, 'completed', $4, $5, now()) ON CONFLICT DO NOTHING RETURNING 1 AS stored`,
    [tenantId, k.key, k.requestHash, response.status, response.body],
    'plinth_idempotency_store',
  );
  return rows.length > 0;
}

// The claim-then-complete way, for routes whose write is not one statement.

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
const ABANDONED_AFTER_SQL = `interval '5 minutes'`;
const ABANDONED_AFTER = sql.raw(ABANDONED_AFTER_SQL);

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
