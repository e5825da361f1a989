import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageJson, pageQuery } from '../../../kernel/paging.js';
import { pageOf } from '../../../kernel/responses.js';
import { failure, raise, unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import { emailRecipient, letterRecipient, type Recipient, smsRecipient } from '../domain/recipients.js';
import { MESSAGE_STATUSES } from '../domain/status.js';
import { CHANNELS, type Channel } from '../domain/templates/definition.js';
import { messageEventOut, messageOut } from '../responses.js';
import type { MessageEventRow } from '../tables.js';
import type { Message, MessageService } from './service.js';

export const messageJson = (m: Message) => ({
  id: m.id,
  channel: m.channel,
  template: m.templateKey,
  customer_id: m.customerId,
  loan_id: m.loanId,
  recipient: m.recipient,
  status: m.status,
  status_reason: m.statusReason,
  provider_key: m.providerKey,
  provider_config_id: m.providerConfigId,
  provider_message_id: m.providerMessageId,
  document_id: m.documentId,
  attachment_ids: m.attachmentIds,
  attempts: m.attempts,
  next_attempt_at: m.nextAttemptAt?.toISOString() ?? null,
  content: m.content,
  /** The domain event (and template) that produced it; null for a message sent through the API. */
  event_key: m.eventKey,
  created_at: m.createdAt.toISOString(),
  updated_at: m.updatedAt.toISOString(),
});

const eventJson = (e: MessageEventRow) => ({
  status: e.status,
  source: e.source,
  reason: e.reason,
  provider_event_id: e.providerEventId,
  occurred_at: e.occurredAt.toISOString(),
  recorded_at: e.recordedAt.toISOString(),
});

const RECIPIENT: Record<Channel, z.ZodType<Recipient>> = {
  email: emailRecipient,
  sms: smsRecipient,
  letter: letterRecipient,
};

/** The recipient checked for its channel: a bad address is a 422 naming the field (`to.phone`). */
function parseRecipient(channel: Channel, to: unknown): Recipient {
  const r = RECIPIENT[channel].safeParse(to);
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => ({ path: ['to', ...i.path].join('.'), message: i.message }));
  return raise(
    failure('unprocessable', 'invalid_recipient', fields.map((f) => `${f.path}: ${f.message}`).join('; '), {
      fields,
    }),
  );
}

const createBody = z
  .strictObject({
    channel: z.enum(CHANNELS),
    template: z.string().min(1).max(100),
    variables: z.record(z.string(), z.unknown()).default({}),
    customer_id: z.uuid().nullish(),
    loan_id: z.uuid().nullish(),
    to: z.record(z.string(), z.unknown()).nullish(),
    /** Stored documents (ids) an e-mail carries. */
    attachments: z.array(z.uuid()).max(10).optional(),
  })
  .refine((b) => b.to || b.customer_id || b.loan_id, {
    path: ['to'],
    message: 'give a recipient (to), a customer_id or a loan_id',
  });

export const messageRoutes: FastifyPluginAsyncZod<{ messages: MessageService }> = async (
  app,
  { messages },
) => {
  app.post(
    '/v1/messages',
    {
      schema: {
        tags: ['communications'],
        summary:
          'Send a message from a template (queued for the outbox; undeliverable with the reason when it cannot go)',
        response: { 201: messageOut },
        body: createBody,
      },
      // The same Idempotency-Key with the same body answers the first message; with another body, 422.
      config: { idempotent: true },
    },
    async (req, reply) => {
      const b = req.body;
      const to = b.to ? parseRecipient(b.channel, b.to) : null;
      const m = unwrap(
        await messages.create(scopeOf(req), {
          channel: b.channel,
          template: b.template,
          variables: b.variables,
          customerId: b.customer_id,
          loanId: b.loan_id,
          to,
          attachments: b.attachments,
        }),
      );
      return reply.code(201).send(messageJson(m));
    },
  );

  app.get(
    '/v1/messages',
    {
      schema: {
        tags: ['communications'],
        summary: 'List messages, newest first',
        response: { 200: pageOf(messageOut) },
        querystring: z.strictObject({
          ...pageQuery,
          channel: z.enum(CHANNELS).optional(),
          status: z.enum(MESSAGE_STATUSES).optional(),
          customer_id: z.string().optional(),
          loan_id: z.string().optional(),
        }),
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await messages.list(scopeOf(req), {
        channel: q.channel,
        status: q.status,
        customerId: q.customer_id,
        loanId: q.loan_id,
        limit: q.limit,
        before: q.before,
      });
      return pageJson(rows, q.limit, messageJson);
    },
  );

  app.get(
    '/v1/messages/:id',
    {
      schema: {
        tags: ['communications'],
        summary: 'A message and its events (every transition, timed and sourced)',
        response: { 200: messageOut.extend({ events: z.array(messageEventOut) }) },
        params: z.object({ id: z.string() }),
      },
    },
    async (req) => {
      const r = unwrap(await messages.get(scopeOf(req), req.params.id));
      return { ...messageJson(r.message), events: r.events.map(eventJson) };
    },
  );
};
