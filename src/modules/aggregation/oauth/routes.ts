import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FailureError, unwrap } from '../../../kernel/result.js';
import { connectionJson } from '../connections/routes.js';
import { connectionView } from '../connections/service.js';
import { connectionOut } from '../responses.js';
import type { OAuthService } from './service.js';

/**
 * The OAuth callback every OAuth provider in the registry gets: `GET /v1/oauth/{provider}/callback`. It is public
 * (the customer's browser carries no API key); the state alone identifies tenant, customer and provider config.
 */
export const oauthRoutes: FastifyPluginAsyncZod<{ oauth: OAuthService }> = async (app, { oauth }) => {
  app.get(
    '/v1/oauth/:provider/callback',
    {
      config: { access: 'public' },
      schema: {
        tags: ['aggregation'],
        summary: 'Where the provider sends the customer back after consent (state is single-use, 10 minutes)',
        params: z.object({ provider: z.string() }),
        // Providers add their own parameters (Schwab: `session`): accepted and ignored.
        querystring: z.object({
          code: z.string().max(4096).optional(),
          state: z.string().max(512).optional(),
          error: z.string().max(256).optional(),
        }),
        response: {
          200: z.object({ connection: connectionOut }).describe('no return URL: the connection, as JSON'),
          303: z.null().optional().describe('to the return URL, with connection_id and status (or error)'),
        },
      },
    },
    async (req, reply) => {
      const key = req.params.provider;
      const outcome = unwrap(await oauth.completeAuthorization(key, req.query));
      const { connection, returnUrl, failure } = outcome;
      if (returnUrl) {
        const url = new URL(returnUrl);
        url.searchParams.set('connection_id', connection.id);
        if (failure) url.searchParams.set('error', failure.code);
        else url.searchParams.set('status', connection.status);
        return reply.redirect(url.toString(), 303);
      }
      if (failure)
        throw new FailureError({ ...failure, extra: { ...failure.extra, connection_id: connection.id } });
      return { connection: connectionJson(connectionView(connection)) };
    },
  );
};
