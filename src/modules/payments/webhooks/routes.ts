import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { unwrap } from '../../../kernel/result.js';
import type { WebhookService } from './service.js';

/** Processors sign the exact bytes they send: the body is kept raw for verification. */
const WEBHOOK_BODY_LIMIT = 512 * 1024;

/**
 * `POST /v1/webhooks/payment-processors/{provider_config_id}`: a processor's events, verified with the config's
 * signing secret (401 `invalid_signature`, nothing recorded). Registered as its own plugin so its raw-body
 * content parser applies to this route only.
 */
export const webhookRoutes: FastifyPluginAsyncZod<{ webhooks: WebhookService }> = async (
  app,
  { webhooks },
) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );

  app.post(
    '/v1/webhooks/payment-processors/:configId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['payments'],
        summary: "A payment processor's webhook (Stripe-Signature, X-ANET-Signature)",
        response: {
          200: z.object({
            received: z.boolean(),
            duplicate: z.boolean(),
            payment_id: z.string().nullable(),
          }),
        },
        params: z.object({ configId: z.string() }),
      },
    },
    async (req) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const r = unwrap(await webhooks.receive(req.params.configId, raw, req.headers));
      return { received: true, duplicate: r.duplicate, payment_id: r.paymentId };
    },
  );
};
