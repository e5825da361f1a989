import { z } from 'zod';

/** What the management routes share: their prefix, OpenAPI tag, and keyset paging. */
export const BASE = '/v1/card-authorizations';
export const tags = ['card authorizations'];
export const idParams = z.object({ id: z.string() });
export const ownerType = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be snake_case, e.g. customer');
export const page = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().optional(),
};

/** Lists are newest first; the next page starts before the last id of a full page. */
export const listJson = <R extends { id: string }, J>(rows: R[], limit: number, json: (r: R) => J) => ({
  data: rows.map(json),
  next_before: rows.length === limit ? rows.at(-1)!.id : null,
});
