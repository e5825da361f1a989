import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isUuid } from '../../../kernel/ids.js';
import { failure, raise } from '../../../kernel/result.js';
import type { DecisionEngine } from './engine.js';
import type { CardRelays } from './relays.js';

/** Platforms sign the exact bytes they send, and some send bodies no JSON parser would accept. */
const RELAY_BODY_LIMIT = 256 * 1024;

/**
 * `POST /v1/card-authorizations/relay/{provider_config_id}` (registered under the module's prefix): where an issuing platform sends its real-time
 * authorization requests and lifecycle events. Verify the signature (401, nothing recorded), parse, decide
 * within the config's deadline, answer in the platform's own format. Every validly signed request gets a 200
 * with a decision (a decline for anything unreadable) or an acknowledgement.
 *
 * Registered as its own plugin so its raw-body content parser applies to this route only.
 */
export const relayRoutes: FastifyPluginAsyncZod<{
  relays: CardRelays;
  engine: DecisionEngine;
  now: () => Date;
}> = async (app, { relays, engine, now }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: RELAY_BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );

  app.post(
    '/relay/:configId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['card authorizations'],
        summary: 'Relay endpoint for an issuing platform (signed by the platform; answered in its format)',
        params: z.object({ configId: z.string() }),
        response: {
          200: z.unknown().describe('the decision or acknowledgement, in the platform’s own format'),
        },
      },
    },
    async (req, reply) => {
      const started = performance.now();
      const { configId } = req.params;
      const bound = isUuid(configId) ? await relays.find(configId) : undefined;
      if (!bound) return raise(failure('not_found', 'relay_not_found', 'no card relay with this id'));
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!bound.verify(raw, req.headers, now()))
        return raise(failure('unauthorized', 'invalid_signature', 'the signature does not verify'));
      const { adapter, deadlineMs, fallback } = bound.relay;
      const parsed = adapter.parse(raw, req.headers);
      const answer = await engine.handle(bound.binding, parsed, { at: started + deadlineMs, fallback });
      const res = answer.fallback
        ? adapter.fallbackResponse({ fallback }, parsed)
        : adapter.respond(answer.decision, parsed);
      // The platform's own status codes (the schema documents the 200 every signed request gets).
      return reply
        .code(res.status as 200)
        .headers(res.headers)
        .send(res.body);
    },
  );
};
