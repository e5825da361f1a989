import { z } from 'zod';

/**
 * Building blocks of the routes' response schemas. A response schema documents the answer in the OpenAPI document
 * (the console's types are generated from it) and is what the answer is serialized through: fields it does not
 * declare are dropped, so it must name every field the route returns (test/helpers/app.ts checks this in every
 * integration suite).
 */

/** An instant as the API writes it: ISO 8601 in UTC (`Date.toISOString()`). */
export const instant = z.iso.datetime({ offset: true });

/** A calendar date, `YYYY-MM-DD`. */
export const calendarDate = z.iso.date();

/** An amount in minor units of its currency. */
export const minor = z.number().int();

/** A JSON object whose keys depend on the record (a program type's terms, a provider's config, an audit diff). */
export const anyObject = z.record(z.string(), z.unknown());

/** A page of a keyset-paged list (kernel/paging.ts): `next_before` starts the next page, null on the last. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), next_before: z.string().nullable() });

/** A whole list, unpaged. */
export const listOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });

/** A 204: the route answers with no body. */
export const noContent = z.null().optional().describe('No content');
