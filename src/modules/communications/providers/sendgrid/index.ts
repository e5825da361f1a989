import { z } from 'zod';
import type { EmailDefinition } from '../../domain/channels.js';
import { SendGridEmail } from './client.js';

export const sendGridConfigSchema = z.strictObject({
  api_key: z.string().min(10).max(200),
  from_email: z.email(),
  from_name: z.string().trim().min(1).max(100).optional(),
  reply_to: z.email().optional(),
  /** SendGrid's API; the EU subuser region or a simulator otherwise. */
  base_url: z.url({ protocol: /^https?$/ }).default('https://api.sendgrid.com'),
  /** Settings → Mail Settings → Signed Event Webhook: the verification key (base64). */
  event_webhook_public_key: z.string().min(40).max(400).optional(),
  timeout_ms: z.number().int().min(100).max(60_000).default(10_000),
});
export type SendGridConfig = z.infer<typeof sendGridConfigSchema>;

export const sendGridEmailProvider: EmailDefinition<SendGridConfig> = {
  serviceType: 'email',
  key: 'sendgrid',
  displayName: 'SendGrid',
  metadata: {
    documentation: 'https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send',
    requiredSettings: ['api_key', 'from_email'],
    testedWith: 'sandbox/simulators/sendgrid',
    category: 'email',
    authType: 'api_key',
    capabilities: ['html', 'text', 'attachments', 'signed_event_webhook'],
  },
  configSchema: sendGridConfigSchema,
  secretFields: ['api_key'],
  endpoints: { base_url: ['api.sendgrid.com', 'api.eu.sendgrid.com'] },
  create: (c) =>
    new SendGridEmail({
      apiKey: c.api_key,
      baseUrl: c.base_url,
      from: { email: c.from_email, ...(c.from_name && { name: c.from_name }) },
      replyTo: c.reply_to,
      timeoutMs: c.timeout_ms,
      eventWebhookPublicKey: c.event_webhook_public_key,
    }),
};
