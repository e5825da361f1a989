import { z } from 'zod';

/**
 * Keyset paging, as every list route does it: newest first by the time-ordered id, `limit` rows, and the next page
 * starts before the last id of a full page.
 */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().optional(),
};

export const pageJson = <R extends { id: string }, J>(
  rows: readonly R[],
  limit: number,
  json: (r: R) => J,
) => ({
  data: rows.map(json),
  next_before: rows.length === limit ? rows.at(-1)!.id : null,
});
