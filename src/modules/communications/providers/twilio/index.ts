import { z } from 'zod';
import type { SmsDefinition } from '../../domain/channels.js';
import { E164 } from '../../domain/recipients.js';
import { TwilioSms } from './client.js';

export const twilioConfigSchema = z
  .strictObject({
    account_sid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be an account SID (AC + 32 hex digits)'),
    auth_token: z.string().min(16).max(128),
    /** The sending number (E.164), or a Messaging Service that picks one. */
    from_number: z.string().regex(E164, 'must be an E.164 phone number').optional(),
    messaging_service_sid: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'must be a Messaging Service SID')
      .optional(),
    base_url: z.url({ protocol: /^https?$/ }).default('https://api.twilio.com'),
    timeout_ms: z.number().int().min(100).max(60_000).default(10_000),
  })
  .refine((c) => (c.from_number === undefined) !== (c.messaging_service_sid === undefined), {
    path: ['from_number'],
    message: 'set exactly one of from_number and messaging_service_sid',
  });
export type TwilioConfig = z.infer<typeof twilioConfigSchema>;

export const twilioSmsProvider: SmsDefinition<TwilioConfig> = {
  serviceType: 'sms',
  key: 'twilio',
  displayName: 'Twilio',
  metadata: {
    documentation: 'https://www.twilio.com/docs/messaging/api/message-resource',
    requiredSettings: ['account_sid', 'auth_token'],
    testedWith: 'sandbox/simulators/twilio',
    category: 'sms',
    authType: 'basic',
    capabilities: ['status_callbacks', 'inbound_opt_out', 'signed_webhooks'],
  },
  configSchema: twilioConfigSchema,
  secretFields: ['auth_token'],
  endpoints: { base_url: ['api.twilio.com'] },
  create: (c) =>
    new TwilioSms({
      accountSid: c.account_sid,
      authToken: c.auth_token,
      from: c.from_number,
      messagingServiceSid: c.messaging_service_sid,
      baseUrl: c.base_url,
      timeoutMs: c.timeout_ms,
    }),
};
