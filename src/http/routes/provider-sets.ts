import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listOf, noContent } from '../../kernel/responses.js';
import { unwrap } from '../../kernel/result.js';
import type { ProgramService } from '../../modules/lending/index.js';
import { scopeOf } from '../../modules/tenancy/index.js';
import type { ProviderResolver, ProviderSetAssignments, SetAssignment } from '../../providers/index.js';
import { SERVICE_TYPES } from '../../providers/index.js';

const serviceType = z.enum(SERVICE_TYPES);
const params = z.object({
  id: z.string(),
  service_type: serviceType,
  provider_key: z.string().min(1).max(64),
});

const assignmentOut = z.object({
  program_id: z.string(),
  service_type: z.string(),
  provider_key: z.string(),
  provider_config_id: z.string().nullable().describe('null: the key is switched off for the program'),
});

const assignmentJson = (a: SetAssignment) => ({
  program_id: a.programId,
  service_type: a.serviceType,
  provider_key: a.providerKey,
  provider_config_id: a.providerConfigId,
});

/**
 * Sets of configs that apply at once (compliance rules) over HTTP: a program's override of one provider key (one
 * config of that key, or null to switch the key off for the program), and the set that applies.
 */
export const providerSetRoutes: FastifyPluginAsyncZod<{
  sets: ProviderSetAssignments;
  resolver: ProviderResolver;
  programs: ProgramService;
}> = async (app, { sets, resolver, programs }) => {
  app.put(
    '/v1/programs/:id/provider-set-assignments/:service_type/:provider_key',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['providers'],
        summary:
          'For this program, use one config of a provider key instead of the tenant’s configs of that key (null: none)',
        params,
        body: z.strictObject({ provider_config_id: z.string().uuid().nullable() }),
        response: { 200: assignmentOut },
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      const program = unwrap(await programs.get(scope, req.params.id));
      const a = unwrap(
        await sets.set(scope, {
          programId: program.id,
          serviceType: req.params.service_type,
          providerKey: req.params.provider_key,
          providerConfigId: req.body.provider_config_id,
        }),
      );
      return assignmentJson(a);
    },
  );

  app.delete(
    '/v1/programs/:id/provider-set-assignments/:service_type/:provider_key',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['providers'],
        summary: 'Apply the tenant’s configs of the key again',
        params,
        response: { 204: noContent },
      },
    },
    async (req, reply) => {
      const scope = scopeOf(req);
      const program = unwrap(await programs.get(scope, req.params.id));
      unwrap(
        await sets.remove(scope, {
          programId: program.id,
          serviceType: req.params.service_type,
          providerKey: req.params.provider_key,
        }),
      );
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/programs/:id/provider-set-assignments',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['providers'],
        summary: 'The program’s overrides of sets of configs',
        params: z.object({ id: z.string() }),
        querystring: z.strictObject({ service_type: serviceType.optional() }),
        response: { 200: listOf(assignmentOut) },
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      const program = unwrap(await programs.get(scope, req.params.id));
      return { data: (await sets.list(scope, program.id, req.query.service_type)).map(assignmentJson) };
    },
  );

  app.get(
    '/v1/provider-resolution/sets',
    {
      schema: {
        tags: ['providers'],
        summary: 'Every config that applies at once of a service type (for a program)',
        querystring: z.strictObject({ service_type: serviceType, program_id: z.string().optional() }),
        response: {
          200: listOf(
            z.object({
              source: z.enum(['tenant', 'program', 'tenant_default', 'direct']),
              provider_config_id: z.string(),
              provider_key: z.string(),
            }),
          ),
        },
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      const programId = req.query.program_id
        ? unwrap(await programs.get(scope, req.query.program_id)).id
        : null;
      const members = await resolver.resolveSet(scope.tenantId, req.query.service_type, programId);
      return {
        data: members.map((m) => ({
          source: m.source,
          provider_config_id: m.providerConfigId,
          provider_key: m.providerKey,
        })),
      };
    },
  );
};
