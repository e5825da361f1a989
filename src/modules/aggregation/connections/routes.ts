import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listOf } from '../../../kernel/responses.js';
import { type Failure, type Result, unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import type { FinancialProviderDefinition } from '../domain/provider.js';
import { connectionOut, providerOut, startedOut } from '../responses.js';
import { type Connection, type ConnectionService, connectionView } from './service.js';

const idParams = z.object({ id: z.string() });
const returnUrl = z.url({ protocol: /^https?$/ }).max(2000);
const credentials = z.record(z.string(), z.unknown());

const providerJson = (d: FinancialProviderDefinition) => ({
  provider_key: d.key,
  display_name: d.displayName,
  category: d.metadata.category,
  auth_type: d.metadata.authType,
  capabilities: d.metadata.capabilities,
  required_settings: d.metadata.requiredSettings,
  secret_fields: d.secretFields,
  file_formats: d.metadata.fileFormats ?? null,
  documentation: d.metadata.documentation,
  tested_with: d.metadata.testedWith,
});

export const connectionJson = (c: Connection) => ({
  id: c.id,
  customer_id: c.customerId,
  provider: c.providerKey,
  auth_type: c.authType,
  provider_config_id: c.providerConfigId,
  status: c.status,
  status_reason: c.statusReason,
  connected_at: c.connectedAt?.toISOString() ?? null,
  last_sync_at: c.lastSyncAt?.toISOString() ?? null,
  next_sync_at: c.nextSyncAt?.toISOString() ?? null,
  created_at: c.createdAt.toISOString(),
  updated_at: c.updatedAt.toISOString(),
});

/** Like `unwrap`, and a failure that says when to retry also sets Retry-After. */
export function unwrapRetry<T>(reply: FastifyReply, result: Result<T, Failure>): T {
  const after = result.ok ? undefined : result.error.extra?.retry_after_seconds;
  if (typeof after === 'number') reply.header('retry-after', String(after));
  return unwrap(result);
}

/** The registry's providers, and connections: link, list, get, ask again, disconnect. */
export const connectionRoutes: FastifyPluginAsyncZod<{ connections: ConnectionService }> = async (
  app,
  { connections },
) => {
  app.get(
    '/v1/financial-providers',
    {
      schema: {
        tags: ['aggregation'],
        summary: 'Financial-data providers and their registry metadata',
        response: { 200: listOf(providerOut) },
      },
    },
    async () => ({
      data: connections.providers().map(providerJson),
    }),
  );

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
        response: { 201: startedOut },
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
        response: { 200: listOf(connectionOut) },
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
    {
      schema: {
        tags: ['aggregation'],
        summary: 'Get a connection',
        params: idParams,
        response: { 200: connectionOut },
      },
    },
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
        response: { 200: startedOut },
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
    {
      schema: {
        tags: ['aggregation'],
        summary: 'Disconnect (credentials are erased)',
        params: idParams,
        response: { 200: connectionOut },
      },
    },
    async (req) => connectionJson(unwrap(await connections.disconnect(scopeOf(req), req.params.id))),
  );
};
