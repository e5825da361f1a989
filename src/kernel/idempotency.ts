import type { RawQuery } from './db.js';
import { err, failure, ok, type Result } from './result.js';

/**
 * Idempotency keys (the `idempotency_keys` table, served over HTTP by src/http/idempotency/). Two ways to honour a
 * key: the HTTP layer claims it before the handler and completes it after (any route); or a service whose write
 * is one statement stores the completed key in that statement (`keyInsertSql`), after reading it in its read
 * (`heldKeySql`). The second costs no extra round trip and cannot leave a key half done. Both answer a key that
 * was used already the same way (`answerFor`).
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
