import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateSchema } from '../../kernel/dates.js';
import { etagOf, ifMatchHeaders, parseIfMatch } from '../../kernel/etag.js';
import { positiveMinorSchema } from '../../kernel/money.js';
import { anyObject, listOf, pageOf } from '../../kernel/responses.js';
import { unwrap } from '../../kernel/result.js';
import { decisionJson } from '../compliance/index.js';
import { scopeOf } from '../tenancy/index.js';
import { computeApr } from './domain/apr/index.js';
import { nonNegativeMinorSchema } from './domain/common-terms.js';
import type { Program, ProgramService } from './programs.js';
import { LENDING_PROGRAM_DEFINITIONS } from './registry.js';
import { programOut, quoteOut } from './responses.js';

export const programJson = (p: Program) => ({
  id: p.id,
  name: p.name,
  program_type: p.programType,
  currency: p.currency,
  terms: p.terms,
  status: p.status,
  description: p.description,
  version: p.version,
  created_at: p.createdAt.toISOString(),
  updated_at: p.updatedAt.toISOString(),
});

/**
 * The OpenAPI description of a program's `terms`: each program type's own schema (its definition's configSchema,
 * input form), by program_type. The route accepts any object and the program type validates it (422
 * `invalid_terms` naming the field), so the document shows what each type takes without the route choosing one.
 */
const inputSchema = (schema: z.ZodType) => {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return json;
};

const termsSchema = z.record(z.string(), z.unknown()).meta({
  description:
    'The program type’s terms, validated by its schema: one of these, by program_type (the title).',
  oneOf: LENDING_PROGRAM_DEFINITIONS.map((d) => ({ title: d.key, ...inputSchema(d.configSchema) })),
});

export const programRoutes: FastifyPluginAsyncZod<{ programs: ProgramService }> = async (
  app,
  { programs },
) => {
  app.post(
    '/v1/programs',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['programs'],
        summary: 'Create a lending program; terms are validated by the program type’s schema',
        body: z.strictObject({
          name: z.string().trim().min(1).max(200),
          description: z.string().trim().max(2000).optional(),
          program_type: z.string().min(1).max(64),
          terms: termsSchema,
        }),
        response: { 201: programOut },
      },
    },
    async (req, reply) => {
      const { name, description, program_type, terms } = req.body;
      const program = unwrap(
        await programs.create(scopeOf(req), {
          name,
          description: description || undefined,
          programType: program_type,
          terms,
        }),
      );
      return reply.code(201).send(programJson(program));
    },
  );

  app.get(
    '/v1/program-types',
    {
      schema: {
        tags: ['programs'],
        summary:
          'Program types: the JSON Schema of each type’s terms and of a loan or quote request under it',
        response: {
          200: listOf(
            z.object({
              program_type: z.string(),
              display_name: z.string(),
              terms_schema: anyObject,
              request_schema: anyObject.nullable(),
            }),
          ),
        },
      },
    },
    async () => ({
      data: LENDING_PROGRAM_DEFINITIONS.map((d) => ({
        program_type: d.key,
        display_name: d.displayName,
        terms_schema: inputSchema(d.configSchema),
        request_schema: d.requestSchema ? inputSchema(d.requestSchema) : null,
      })),
    }),
  );

  app.get(
    '/v1/programs',
    {
      schema: {
        tags: ['programs'],
        summary: 'List programs, newest first',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          before: z.string().optional(),
        }),
        response: { 200: pageOf(programOut) },
      },
    },
    async (req) => {
      const rows = await programs.list(scopeOf(req), req.query);
      return {
        data: rows.map(programJson),
        next_before: rows.length === req.query.limit ? rows.at(-1)!.id : null,
      };
    },
  );

  app.get(
    '/v1/programs/:id',
    {
      schema: {
        tags: ['programs'],
        summary: 'Get a program; its ETag is the program’s version, for If-Match on PATCH',
        params: z.object({ id: z.string() }),
        response: { 200: programOut },
      },
    },
    async (req, reply) => {
      const program = unwrap(await programs.get(scopeOf(req), req.params.id));
      return reply.header('etag', etagOf(program.version)).send(programJson(program));
    },
  );

  app.patch(
    '/v1/programs/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['programs'],
        summary:
          'Change a program’s name, description, status or terms. New terms (whole, validated by the program type’s ' +
          'schema; program type and currency stay) apply to loans originated afterwards: existing loans keep the ' +
          'terms they were made with. Each change increments `version`; with If-Match, a program changed since is 412',
        params: z.object({ id: z.string() }),
        headers: ifMatchHeaders,
        body: z
          .strictObject({
            name: z.string().trim().min(1).max(200).optional(),
            description: z.string().trim().max(2000).nullable().optional(),
            status: z.enum(['active', 'retired']).optional(),
            terms: termsSchema.optional(),
          })
          .refine((b) => Object.values(b).some((v) => v !== undefined), {
            message: 'name, description, status or terms: at least one',
          }),
        response: { 200: programOut },
      },
    },
    async (req, reply) => {
      const precondition = unwrap(parseIfMatch(req.headers['if-match']));
      const { description, ...rest } = req.body;
      const program = unwrap(
        await programs.update(
          scopeOf(req),
          req.params.id,
          { ...rest, ...(description !== undefined && { description: description || null }) },
          precondition,
        ),
      );
      return reply.header('etag', etagOf(program.version)).send(programJson(program));
    },
  );

  app.post(
    '/v1/programs/:id/quotes',
    {
      schema: {
        tags: ['programs'],
        summary:
          'Quote a loan under the program: its schedule, totals and disclosure, without creating anything',
        params: z.object({ id: z.string() }),
        body: z.record(z.string(), z.unknown()),
        response: { 200: quoteOut },
      },
    },
    async (req) => {
      // `customer_id` names the borrower the compliance rules see; the rest is the program's loan request.
      const { customer_id, ...request } = req.body;
      const customerId = typeof customer_id === 'string' ? customer_id : undefined;
      const r = unwrap(await programs.quote(scopeOf(req), req.params.id, request, customerId));
      return { ...r.quote, ...(r.compliance?.evaluationId && { compliance: decisionJson(r.compliance) }) };
    },
  );

  const flows = (amount: typeof positiveMinorSchema) =>
    z
      .array(z.strictObject({ amount, date: dateSchema }))
      .min(1)
      .max(2000);
  app.post(
    '/v1/calculations/apr',
    {
      schema: {
        tags: ['calculations'],
        summary: 'Annual percentage rate by the actuarial method of Regulation Z, Appendix J',
        // A payment of zero is a unit-period with nothing paid (a grace period); at least one must be paid.
        body: z.strictObject({
          advances: flows(positiveMinorSchema),
          payments: flows(nonNegativeMinorSchema),
        }),
        response: {
          200: z.object({
            apr: z.string().describe('percent, as a decimal string'),
            unit_period: z.string(),
            unit_periods_per_year: z.string(),
            transaction_kind: z.string(),
            tolerance: z.string(),
          }),
        },
      },
    },
    async (req) => {
      const apr = unwrap(computeApr(req.body));
      return {
        apr: apr.apr,
        unit_period: apr.unitPeriod,
        unit_periods_per_year: apr.unitPeriodsPerYear,
        transaction_kind: apr.transactionKind,
        tolerance: apr.tolerance,
      };
    },
  );
};
