import { z } from 'zod';
import { err, type Failure, failure, ok, type Result } from './result.js';

/**
 * Entity tags of versioned records (a loan, a program): the record's `version`, which every write increments, as a
 * strong tag (`"7"`). A client sends it back in `If-Match` and the write applies only to that version (RFC 9110
 * §13.1.1); the check sits in the write's own guard, so nothing can land between the comparison and the write.
 */
export const etagOf = (version: number): string => `"${version}"`;

/** What an `If-Match` header asks: nothing (absent or `*`: the record must merely exist), or one of these versions. */
export type Precondition = readonly number[] | null;

/**
 * Parses `If-Match`. Weak tags (`W/"7"`) never match (If-Match uses the strong comparison), and neither does a
 * tag that is no version of ours; only a header that is not a list of entity tags is refused as malformed.
 */
export function parseIfMatch(header: string | string[] | undefined): Result<Precondition> {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value === undefined || value.trim() === '' || value.trim() === '*') return ok(null);
  const versions: number[] = [];
  for (const part of value.split(',')) {
    const tag = part.trim();
    const m = /^(W\/)?"([\x21\x23-\x7e]*)"$/.exec(tag);
    if (!m) return err(malformed);
    if (!m[1] && /^[1-9][0-9]{0,15}$/.test(m[2]!)) versions.push(Number(m[2]));
  }
  return ok(versions);
}

/** Whether a record at `version` satisfies the precondition. */
export const satisfies = (precondition: Precondition, version: number): boolean =>
  precondition === null || precondition.includes(version);

const malformed: Failure = failure(
  'invalid',
  'invalid_if_match',
  'If-Match must be "*" or a list of entity tags such as "7" (from the ETag of a GET)',
  { fields: [{ path: 'headers.if-match', message: 'not an entity tag' }] },
);

/** The 412 of a write whose If-Match names a version the record has moved past. */
export const stale = (entity: string, current: number): Failure =>
  failure(
    'precondition_failed',
    'stale_version',
    `the ${entity} has changed since it was read (now version ${current}): read it again before writing`,
    { extra: { current_etag: etagOf(current) } },
  );

/** The request headers of a write that honours If-Match (documented in OpenAPI; every other header passes). */
export const ifMatchHeaders = z.looseObject({
  'if-match': z.string().optional().meta({
    description:
      'The ETag of the GET the change is based on: the write applies only to that version (412 otherwise)',
  }),
});
