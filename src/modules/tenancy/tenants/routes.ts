import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { instant, listOf } from '../../../kernel/responses.js';
import { unwrap } from '../../../kernel/result.js';
import { ROLES, scopeOf } from '../domain/principal.js';
import { timeZoneSchema } from '../domain/time-zone.js';
import type { TenantRow } from '../tables.js';
import type { TenantService } from './service.js';

const tenantJson = (t: TenantRow) => ({
  id: t.id,
  name: t.name,
  status: t.status,
  time_zone: t.timeZone,
  created_at: t.createdAt.toISOString(),
});

const tenantOut = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  time_zone: z.string(),
  created_at: instant,
});

const apiKeyOut = z.object({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  prefix: z.string(),
  created_by: z.string().nullable(),
  created_at: instant,
  revoked_at: instant.nullable(),
  expires_at: instant.nullable(),
});
/** A new key: the secret is in the answer this once. */
const issuedKeyOut = apiKeyOut.extend({ api_key: z.string() });

const idParams = z.object({ id: z.string() });

/** Tenants (platform admin) and the calling tenant's API keys. */
export const tenantRoutes: FastifyPluginAsyncZod<{ tenants: TenantService }> = async (app, { tenants }) => {
  app.post(
    '/v1/tenants',
    {
      config: { access: 'platform_admin' },
      schema: {
        tags: ['tenancy'],
        summary: 'Create a tenant and its first admin API key (platform admin token)',
        body: z.strictObject({
          name: z.string().trim().min(1).max(200),
          time_zone: timeZoneSchema.optional(),
        }),
        response: { 201: z.object({ tenant: tenantOut, api_key: z.string() }) },
      },
    },
    async (req, reply) => {
      const { tenant, apiKey } = await tenants.createTenant(
        { name: req.body.name, timeZone: req.body.time_zone },
        'platform_admin',
      );
      return reply.code(201).send({ tenant: tenantJson(tenant), api_key: apiKey });
    },
  );

  app.post(
    '/v1/tenants/:id/api-keys',
    {
      config: { access: 'platform_admin' },
      schema: {
        tags: ['tenancy'],
        summary:
          'Issue an API key for a tenant (platform admin token): the way back when a tenant lost its admin keys',
        params: idParams,
        body: z.strictObject({
          name: z.string().trim().min(1).max(100),
          role: z.enum(ROLES).default('admin'),
        }),
        response: { 201: issuedKeyOut },
      },
    },
    async (req, reply) => {
      const { apiKey, view } = unwrap(await tenants.issueKeyAsPlatformAdmin(req.params.id, req.body));
      return reply.code(201).send({ ...apiKeyJson(view), api_key: apiKey });
    },
  );

  app.get(
    '/v1/tenant',
    { schema: { tags: ['tenancy'], summary: 'The calling key’s tenant', response: { 200: tenantOut } } },
    async (req) => {
      const tenant = await tenants.getTenant(scopeOf(req).tenantId);
      return tenantJson(tenant!);
    },
  );

  app.get(
    '/v1/me',
    {
      schema: {
        tags: ['tenancy'],
        summary: 'The calling key: its role and tenant (the console shows only what the role may do)',
        response: {
          200: z.object({
            tenant: tenantOut,
            role: z.enum(ROLES).nullable().describe('null for the platform admin token'),
            api_key_id: z.string().nullable(),
          }),
        },
      },
    },
    async (req) => {
      const principal = req.principal!;
      const tenant = await tenants.getTenant(scopeOf(req).tenantId);
      return {
        tenant: tenantJson(tenant!),
        role: principal.kind === 'api_key' ? principal.role : null,
        api_key_id: principal.kind === 'api_key' ? principal.apiKeyId : null,
      };
    },
  );

  app.post(
    '/v1/api-keys',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['tenancy'],
        summary: 'Create an API key (shown once)',
        body: z.strictObject({ name: z.string().trim().min(1).max(100), role: z.enum(ROLES) }),
        response: { 201: issuedKeyOut },
      },
    },
    async (req, reply) => {
      const { apiKey, view } = await tenants.createApiKey(scopeOf(req), req.body);
      return reply.code(201).send({ ...apiKeyJson(view), api_key: apiKey });
    },
  );

  app.get(
    '/v1/api-keys',
    {
      config: { access: 'admin' },
      schema: { tags: ['tenancy'], summary: 'List API keys', response: { 200: listOf(apiKeyOut) } },
    },
    async (req) => ({ data: (await tenants.listApiKeys(scopeOf(req))).map(apiKeyJson) }),
  );

  app.delete(
    '/v1/api-keys/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['tenancy'],
        summary: 'Revoke an API key',
        params: idParams,
        response: { 200: apiKeyOut },
      },
    },
    async (req) => apiKeyJson(unwrap(await tenants.revokeApiKey(scopeOf(req), req.params.id))),
  );
};

const apiKeyJson = (k: Awaited<ReturnType<TenantService['listApiKeys']>>[number]) => ({
  id: k.id,
  name: k.name,
  role: k.role,
  prefix: k.prefix,
  created_by: k.createdBy,
  created_at: k.createdAt.toISOString(),
  revoked_at: k.revokedAt?.toISOString() ?? null,
  expires_at: k.expiresAt?.toISOString() ?? null,
});
