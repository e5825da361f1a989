import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { unwrap } from '../../../kernel/result.js';
import { WEBHOOK_CHANNELS, type WebhookService } from './service.js';

const BODY_LIMIT = 1024 * 1024;

/**
 * Where SendGrid, Twilio and Lob post status events (and Twilio inbound messages: a STOP reply). Public: the
 * vendor's signature is the authentication. Its own plugin, so the raw-body parser applies to these routes only.
 */
export const webhookRoutes: FastifyPluginAsyncZod<{
  webhooks: WebhookService;
  publicUrl: string;
  now: () => Date;
}> = async (app, { webhooks, publicUrl, now }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );

  app.post(
    '/v1/communications/webhooks/:channel/:configId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['communications'],
        summary: 'Delivery-status webhook of an e-mail, SMS or letter provider config (signed by the vendor)',
        response: {
          200: z
            .object({ applied: z.number().int(), ignored: z.number().int(), opt_outs: z.number().int() })
            .describe('what the events did (Twilio gets an empty TwiML response instead)'),
        },
        params: z.object({ channel: z.enum(WEBHOOK_CHANNELS), configId: z.string() }),
      },
    },
    async (req, reply) => {
      const summary = unwrap(
        await webhooks.receive(req.params.channel, req.params.configId, {
          body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
          headers: req.headers,
          // Twilio signs the URL it called: Plinth's public URL and the path with its query.
          url: new URL(req.url, publicUrl).href,
          now: now(),
        }),
      );
      // Twilio reads the answer to an inbound message as TwiML: an empty response sends no reply.
      // A string is sent as it is (the response schema types the JSON summary the others get).
      if (req.params.channel === 'sms') return reply.type('text/xml').send('<Response></Response>' as never);
      return summary;
    },
  );
};
