import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { anyObject, instant, listOf, noContent } from '../../kernel/responses.js';
import { unwrap } from '../../kernel/result.js';
import type { ProgramService } from '../../modules/lending/index.js';
import { scopeOf } from '../../modules/tenancy/index.js';
import type {
  Catalog,
  ProviderConfigService,
  ProviderConfigView,
  ProviderResolver,
} from '../../providers/index.js';
import { configJsonSchema, SERVICE_TYPES } from '../../providers/index.js';

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const snakeKeys = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [snake(k), v]));

const configJson = (v: ProviderConfigView) => ({
  id: v.id,
  label: v.label,
  service_type: v.serviceType,
  provider_key: v.providerKey,
  config: v.config,
  ...(v.configError && { config_error: v.configError }),
  is_active: v.isActive,
  is_default: v.isDefault,
  version: v.version,
  created_at: v.createdAt.toISOString(),
  updated_at: v.updatedAt.toISOString(),
});

const serviceType = z.enum(SERVICE_TYPES);

const configOut = z.object({
  id: z.string(),
  label: z.string(),
  service_type: z.string(),
  provider_key: z.string(),
  config: anyObject.nullable().describe('the config, secrets masked'),
  config_error: z
    .string()
    .optional()
    .describe('why the stored config no longer reads (it is shown as stored)'),
  is_active: z.boolean(),
  is_default: z.boolean(),
  version: z.number().int(),
  created_at: instant,
  updated_at: instant,
});

const definitionOut = z.object({
  service_type: serviceType,
  provider_key: z.string(),
  display_name: z.string(),
  metadata: anyObject,
  config_schema: anyObject.describe('JSON Schema (draft 2020-12) of the config'),
  secret_fields: z.array(z.string()).readonly(),
});

const idParams = z.object({ id: z.string() });

/** The provider framework over HTTP: definitions, per-tenant configs, per-program assignments, resolution. */
export const providerRoutes: FastifyPluginAsyncZod<{
  catalog: Catalog;
  configs: ProviderConfigService;
  resolver: ProviderResolver;
  programs: ProgramService;
}> = async (app, { catalog, configs, resolver, programs }) => {
  app.get(
    '/v1/providers',
    {
      schema: {
        tags: ['providers'],
        summary: 'Every registered provider definition',
        response: { 200: listOf(definitionOut) },
      },
    },
    async () => ({
      data: catalog.list().map((d) => ({
        service_type: d.serviceType,
        provider_key: d.key,
        display_name: d.displayName,
        metadata: snakeKeys(d.metadata),
        config_schema: configJsonSchema(d) as Record<string, unknown>,
        secret_fields: d.secretFields,
      })),
    }),
  );

  app.post(
    '/v1/provider-configs',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['providers'],
        summary: 'Configure a provider for this tenant (secrets are write-only)',
        body: z.strictObject({
          label: z.string().trim().min(1).max(200),
          service_type: serviceType,
          provider_key: z.string().min(1).max(64),
          config: z.record(z.string(), z.unknown()),
          is_default: z.boolean().optional(),
          is_active: z.boolean().optional(),
        }),
        response: { 201: configOut },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const view = unwrap(
        await configs.create(scopeOf(req), {
          label: b.label,
          serviceType: b.service_type,
          providerKey: b.provider_key,
          config: b.config,
          isDefault: b.is_default,
          isActive: b.is_active,
        }),
      );
      return reply.code(201).send(configJson(view));
    },
  );

  app.get(
    '/v1/provider-configs',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['providers'],
        summary: 'List provider configs (masked)',
        querystring: z.strictObject({ service_type: serviceType.optional() }),
        response: { 200: listOf(configOut) },
      },
    },
    async (req) => ({ data: (await configs.list(scopeOf(req), req.query.service_type)).map(configJson) }),
  );

  app.get(
    '/v1/provider-configs/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['providers'],
        summary: 'Get a provider config (masked)',
        params: idParams,
        response: { 200: configOut },
      },
    },
    async (req) => configJson(unwrap(await configs.get(scopeOf(req), req.params.id))),
  );

  app.patch(
    '/v1/provider-configs/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['providers'],
        summary: 'Update a provider config; secrets the body omits are kept',
        params: idParams,
        body: z.strictObject({
          label: z.string().trim().min(1).max(200).optional(),
          config: z.record(z.string(), z.unknown()).optional(),
          is_default: z.boolean().optional(),
          is_active: z.boolean().optional(),
        }),
        response: { 200: configOut },
      },
    },
    async (req) => {
      const b = req.body;
      return configJson(
        unwrap(
          await configs.update(scopeOf(req), req.params.id, {
            label: b.label,
            config: b.config,
            isDefault: b.is_default,
            isActive: b.is_active,
          }),
        ),
      );
    },
  );

  app.delete(
    '/v1/provider-configs/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['providers'],
        summary: 'Delete a provider config',
        params: idParams,
        response: { 204: noContent },
      },
    },
    async (req, reply) => {
      unwrap(await configs.remove(scopeOf(req), req.params.id));
      return reply.code(204).send(null);
    },
  );

  const assignmentParams = z.object({ id: z.string(), service_type: serviceType });

  app.put(
    '/v1/programs/:id/provider-assignments/:service_type',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['providers'],
        summary: 'Use a specific provider config for this program',
        params: assignmentParams,
        body: z.strictObject({ provider_config_id: z.string() }),
        response: {
          200: z.object({ program_id: z.string(), service_type: z.string(), provider_config_id: z.string() }),
        },
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      const program = unwrap(await programs.get(scope, req.params.id));
      const a = unwrap(
        await configs.assign(scope, program.id, req.params.service_type, req.body.provider_config_id),
      );
      return { program_id: a.programId, service_type: a.serviceType, provider_config_id: a.providerConfigId };
    },
  );

  app.delete(
    '/v1/programs/:id/provider-assignments/:service_type',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['providers'],
        summary: 'Fall back to the tenant default',
        params: assignmentParams,
        response: { 204: noContent },
      },
    },
    async (req, reply) => {
      const scope = scopeOf(req);
      const program = unwrap(await programs.get(scope, req.params.id));
      unwrap(await configs.unassign(scope, program.id, req.params.service_type));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/provider-resolution',
    {
      schema: {
        tags: ['providers'],
        summary: 'Which provider config serves a service type (for a program)',
        querystring: z.strictObject({ service_type: serviceType, program_id: z.string().optional() }),
        response: {
          200: z.object({
            source: z.string().describe('program, tenant_default or none'),
            provider_config_id: z.string().nullable(),
            provider_key: z.string().nullable(),
          }),
        },
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      const programId = req.query.program_id
        ? unwrap(await programs.get(scope, req.query.program_id)).id
        : null;
      const r = await resolver.resolve(scope.tenantId, req.query.service_type, programId);
      return r.source === 'none'
        ? { source: 'none', provider_config_id: null, provider_key: null }
        : { source: r.source, provider_config_id: r.providerConfigId, provider_key: r.providerKey };
    },
  );
};
