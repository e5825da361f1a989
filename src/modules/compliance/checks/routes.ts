import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageJson, pageQuery } from '../../../kernel/paging.js';
import { calendarDate, instant, listOf, pageOf } from '../../../kernel/responses.js';
import type { Catalog, ProviderResolver } from '../../../providers/index.js';
import { scopeOf } from '../../tenancy/index.js';
import { HOOK_POINTS, type HookPoint, RULE_KEYS, RULE_OUTCOMES } from '../domain/index.js';
import { factsOut } from './gate.js';
import type { ComplianceCheck, ComplianceService } from './service.js';

export const checkJson = (c: ComplianceCheck) => ({
  id: c.id,
  evaluation_id: c.evaluationId,
  hook: c.hook,
  subject_type: c.subjectType,
  subject_id: c.subjectId,
  program_id: c.programId,
  rule: c.rule,
  provider_config_id: c.providerConfigId,
  outcome: c.outcome,
  reasons: c.reasons,
  citation: c.citation,
  facts: c.facts,
  remedy: c.remedy,
  request_id: c.requestId,
  at: c.at.toISOString(),
});

const checkOut = z.object({
  id: z.string(),
  evaluation_id: z.string(),
  hook: z.enum(HOOK_POINTS),
  subject_type: z.string(),
  subject_id: z.string().nullable(),
  program_id: z.string().nullable(),
  rule: z.string(),
  provider_config_id: z.string(),
  outcome: z.enum(RULE_OUTCOMES),
  reasons: z.array(z.string()),
  citation: z.string(),
  facts: factsOut.nullable(),
  // Stored as the rule returned it, so its fields are camelCase here (unlike `compliance.checks[].remedy`).
  remedy: z
    .object({
      kind: z.literal('rate_reduction'),
      effectiveDate: calendarDate,
      maxAnnualRatePercent: z.string(),
      throughDate: calendarDate.optional(),
    })
    .nullable(),
  request_id: z.string().nullable(),
  at: instant,
});

const ruleOut = z.object({
  key: z.string(),
  display_name: z.string(),
  citation: z.string(),
  description: z.string(),
  hooks: z.array(z.enum(HOOK_POINTS)).readonly(),
  applied: z.array(z.object({ provider_config_id: z.string(), source: z.string(), config: z.unknown() })),
});

/** The audit record of every evaluation, and the rules a tenant (and a program) applies. */
export const checkRoutes: FastifyPluginAsyncZod<{
  checks: ComplianceService;
  catalog: Catalog;
  resolver: ProviderResolver;
}> = async (app, { checks, catalog, resolver }) => {
  app.get(
    '/v1/compliance/checks',
    {
      schema: {
        tags: ['compliance'],
        summary: 'Rule evaluations at the hook points, newest first',
        querystring: z.strictObject({
          ...pageQuery,
          outcome: z.enum(RULE_OUTCOMES).optional(),
          exceptions: z.stringbool().optional(),
          hook: z.enum(HOOK_POINTS).optional(),
          rule: z.enum(RULE_KEYS).optional(),
          subject_type: z.string().max(32).optional(),
          subject_id: z.string().max(64).optional(),
        }),
        response: { 200: pageOf(checkOut) },
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await checks.list(scopeOf(req), {
        limit: q.limit,
        before: q.before,
        outcome: q.outcome,
        exceptions: q.exceptions,
        hook: q.hook,
        rule: q.rule,
        subjectType: q.subject_type,
        subjectId: q.subject_id,
      });
      return pageJson(rows, q.limit, checkJson);
    },
  );

  app.get(
    '/v1/compliance/rules',
    {
      schema: {
        tags: ['compliance'],
        summary:
          'The rule engines with their hooks and citations, and the configs that apply (for a program); configure a rule with POST /v1/provider-configs (service_type compliance_rule)',
        querystring: z.strictObject({ program_id: z.string().uuid().optional() }),
        response: { 200: listOf(ruleOut) },
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      const applied = await resolver.resolveSet(
        scope.tenantId,
        'compliance_rule',
        req.query.program_id ?? null,
      );
      return {
        data: (catalog.registry('compliance_rule')?.list() ?? []).map((d) => ({
          key: d.key,
          display_name: d.displayName,
          citation: d.metadata.citation as string,
          description: d.metadata.description as string,
          hooks: d.metadata.hooks as readonly HookPoint[],
          applied: applied
            .filter((m) => m.providerKey === d.key)
            .map((m) => ({ provider_config_id: m.providerConfigId, source: m.source, config: m.config })),
        })),
      };
    },
  );
};
