import { z } from 'zod';

/** Who owns a card or a line of credit: a snake_case type (`customer`, `loan`, `team`…) and its id. */
export const ownerTypeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be snake_case, e.g. customer');
