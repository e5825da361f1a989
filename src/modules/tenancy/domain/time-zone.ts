import { z } from 'zod';
import { isTimeZone } from '../../../kernel/dates.js';

export const timeZoneSchema = z
  .string()
  .refine(isTimeZone, { message: 'must be an IANA time zone, e.g. America/New_York' });
