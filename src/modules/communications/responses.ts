import { z } from 'zod';
import { anyObject, instant } from '../../kernel/responses.js';
import { MESSAGE_STATUSES } from './domain/status.js';
import { CHANNELS } from './domain/templates/definition.js';
import { EVENT_SOURCES } from './tables.js';

/** The response schemas of the communications routes (see kernel/responses.ts). */

export const messageOut = z.object({
  id: z.string(),
  channel: z.enum(CHANNELS),
  template: z.string(),
  customer_id: z.string().nullable(),
  loan_id: z.string().nullable(),
  recipient: anyObject.describe('the address, as the channel takes it (email, phone, postal address)'),
  status: z.enum(MESSAGE_STATUSES),
  status_reason: z.string().nullable(),
  provider_key: z.string().nullable(),
  provider_config_id: z.string().nullable(),
  provider_message_id: z.string().nullable(),
  document_id: z.string().nullable(),
  attachment_ids: z.array(z.string()),
  attempts: z.number().int(),
  next_attempt_at: instant.nullable(),
  content: z.record(z.string(), z.string()).describe('what was rendered, by field (subject, text, body)'),
  event_key: z
    .string()
    .nullable()
    .describe('the domain event that produced it; null when sent through the API'),
  created_at: instant,
  updated_at: instant,
});

export const messageEventOut = z.object({
  status: z.enum(MESSAGE_STATUSES),
  source: z.enum(EVENT_SOURCES),
  reason: z.string().nullable(),
  provider_event_id: z.string().nullable(),
  occurred_at: instant,
  recorded_at: instant,
});

export const preferencesOut = z
  .object({ email: z.boolean(), sms: z.boolean(), letter: z.boolean() })
  .describe('true: the customer may be contacted on the channel');

const contentOut = z.object({
  email: z.object({ subject: z.string(), html: z.string(), text: z.string() }).optional(),
  sms: z.object({ body: z.string() }).optional(),
  letter: z.object({ body: z.string() }).optional(),
});

export const templateOut = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  channels: z.array(z.enum(CHANNELS)),
  overridden_channels: z.array(z.enum(CHANNELS)),
  variables: z.record(z.string(), z.string()).readonly().describe('variable → what it holds'),
  sample_variables: anyObject.readonly(),
  content: contentOut,
});

export const renderedOut = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('email'), subject: z.string(), html: z.string(), text: z.string() }),
  z.object({ channel: z.literal('sms'), body: z.string() }),
  z.object({ channel: z.literal('letter'), body: z.string() }),
]);

export const lenderOut = z.object({
  name: z.string(),
  address: z.string(),
  phone: z.string(),
  email: z.string(),
});
