import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateSchema } from '../../../kernel/dates.js';
import { unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import { connectionView } from '../connections.js';
import { SYNC_SCOPES } from '../domain/sync-policy.js';
import { connectionJson, syncRunJson } from '../json.js';
import type { Aggregation } from '../module.js';
import { unwrapRetry } from './problems.js';

const idParams = z.object({ id: z.string() });
const returnUrl = z.url({ protocol: /^https?$/ }).max(2000);
const credentials = z.record(z.string(), z.unknown());

export const connectionRoutes: FastifyPluginAsyncZod<{ aggregation: Aggregation }> = async (
  app,
  { aggregation },
) => {
  const { connections, sync } = aggregation;

  app.post(
    '/v1/connections',
    {
      schema: {
        tags: ['aggregation'],
        summary: 'Link a customer to a financial-data provider (OAuth: returns the authorization URL)',
        body: z.strictObject({
          customer_id: z.string(),
          provider: z.string().min(1).max(64),
          provider_config_id: z.string().optional(),
          credentials: credentials.optional(),
          return_url: returnUrl.optional(),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const started = unwrapRetry(
        reply,
        await connections.create(scopeOf(req), {
          customerId: b.customer_id,
          provider: b.provider,
          providerConfigId: b.provider_config_id,
          credentials: b.credentials,
          returnUrl: b.return_url,
        }),
      );
      return reply.code(201).send({
        connection: connectionJson(started.connection),
        authorization_url: started.authorizationUrl,
      });
    },
  );

  app.get(
    '/v1/connections',
    {
      schema: {
        tags: ['aggregation'],
        summary: 'List connections (of one customer)',
        querystring: z.strictObject({ customer_id: z.string().optional() }),
      },
    },
    async (req) => ({
      data: unwrap(await connections.list(scopeOf(req), req.query.customer_id)).map((c) =>
        connectionJson(connectionView(c)),
      ),
    }),
  );

  app.get(
    '/v1/connections/:id',
    { schema: { tags: ['aggregation'], summary: 'Get a connection', params: idParams } },
    async (req) => connectionJson(connectionView(unwrap(await connections.get(scopeOf(req), req.params.id)))),
  );

  app.post(
    '/v1/connections/:id/reauthorize',
    {
      schema: {
        tags: ['aggregation'],
        summary: 'Ask the customer again: a new authorization URL (OAuth) or new credentials (API key)',
        params: idParams,
        body: z.strictObject({ credentials: credentials.optional(), return_url: returnUrl.optional() }),
      },
    },
    async (req, reply) => {
      const started = unwrapRetry(
        reply,
        await connections.reauthorize(scopeOf(req), req.params.id, {
          credentials: req.body.credentials,
          returnUrl: req.body.return_url,
        }),
      );
      return { connection: connectionJson(started.connection), authorization_url: started.authorizationUrl };
    },
  );

  app.delete(
    '/v1/connections/:id',
    { schema: { tags: ['aggregation'], summary: 'Disconnect (credentials are erased)', params: idParams } },
    async (req) => connectionJson(unwrap(await connections.disconnect(scopeOf(req), req.params.id))),
  );

  app.post(
    '/v1/connections/:id/sync',
    {
      schema: {
        tags: ['aggregation'],
        summary: 'Sync now (at most every 5 minutes unless forced; default window: the last 30 days)',
        params: idParams,
        body: z
          .strictObject({
            force: z.boolean().optional(),
            scope: z.enum(SYNC_SCOPES).optional(),
            start_date: dateSchema.optional(),
            end_date: dateSchema.optional(),
          })
          .optional(),
      },
    },
    async (req, reply) => {
      const b = req.body ?? {};
      const done = unwrapRetry(
        reply,
        await sync.sync(scopeOf(req), req.params.id, {
          force: b.force,
          scope: b.scope,
          startDate: b.start_date,
          endDate: b.end_date,
        }),
      );
      return { sync_run: syncRunJson(done.run), connection: connectionJson(connectionView(done.connection)) };
    },
  );

  app.get(
    '/v1/connections/:id/sync-runs',
    { schema: { tags: ['aggregation'], summary: 'Recent sync runs, newest first', params: idParams } },
    async (req) => ({ data: unwrap(await sync.runs(scopeOf(req), req.params.id)).map(syncRunJson) }),
  );
};
