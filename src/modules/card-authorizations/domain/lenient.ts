import { z } from 'zod';

/**
 * Lenient zod leaves for reading platform payloads. A field of the wrong type reads as undefined instead of
 * failing the whole parse, so validation (finalizeDraft) can name the precise problem (a string amount is an
 * `invalid_amount`, not a generic schema error) and the relay still answers the network.
 */
export const optString = z.string().nullish().catch(undefined);
export const optNumber = z.number().nullish().catch(undefined);
export const optBoolean = z.boolean().nullish().catch(undefined);

/** A nested object whose own fields are lenient; anything that is not an object reads as undefined. */
export const optObject = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.looseObject(shape).nullish().catch(undefined);

/** A reference that a platform sends either as an id or as the expanded object with an `id`. */
export const optIdRef = z
  .union([z.string(), z.looseObject({ id: z.string() }).transform((o) => o.id)])
  .nullish()
  .catch(undefined);

/** Unix seconds to an ISO instant; undefined when absent or not a number. */
export const unixToIso = (seconds: number | null | undefined): string | undefined =>
  typeof seconds === 'number' && Number.isFinite(seconds)
    ? new Date(seconds * 1000).toISOString()
    : undefined;
