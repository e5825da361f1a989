import { z } from 'zod';
import { holdExpiryDaysField } from '../../domain/relay.js';
import { GENERIC_TIMEOUT_MS } from './relay.js';

/** Settings of a generic relay. The secret is shared with the platform out of band; 32+ characters. */
export const genericConfigSchema = z.strictObject({
  webhook_secret: z.string().min(32, { message: 'use at least 32 random characters' }),
  deadline_ms: z
    .number()
    .int()
    .min(100)
    .max(GENERIC_TIMEOUT_MS - 100)
    .default(1500),
  fallback: z.enum(['approve', 'decline']).default('decline'),
  hold_expiry_days: holdExpiryDaysField,
});
export type GenericConfig = z.infer<typeof genericConfigSchema>;

export const GENERIC_SECRET_FIELDS = ['webhook_secret'] as const;
