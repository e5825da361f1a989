import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currencySchema } from '../../../kernel/money.js';
import { pageJson, pageQuery } from '../../../kernel/paging.js';
import { instant, minor, pageOf } from '../../../kernel/responses.js';
import { unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import { includeTerminated } from '../categories/routes.js';
import { ownerTypeSchema } from '../domain/owners.js';
import type { LineOfCredit, LineOfCreditService } from './service.js';

const tags = ['card authorizations'];
const idParams = z.object({ id: z.string() });
const credits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const lineJson = (l: LineOfCredit) => ({
  id: l.id,
  expense_category_id: l.expenseCategoryId,
  owner_type: l.ownerType,
  owner_ref: l.ownerRef,
  currency: l.currency,
  credits_limit: l.creditsLimit,
  expensed_credits: l.expensedCredits,
  available_credits: l.availableCredits,
  created_at: l.createdAt.toISOString(),
  terminated_at: iso(l.terminatedAt),
});

const lineOut = z.object({
  id: z.string(),
  expense_category_id: z.string(),
  owner_type: z.string(),
  owner_ref: z.string(),
  currency: z.string(),
  credits_limit: minor,
  expensed_credits: minor,
  available_credits: minor,
  created_at: instant,
  terminated_at: instant.nullable(),
});

/** Lines of credit and their expense trackers (the seed's LineOfCreditLogic), under /v1/card-authorizations. */
export const lineRoutes: FastifyPluginAsyncZod<{ lines: LineOfCreditService }> = async (app, { lines }) => {
  app.post(
    '/lines-of-credit',
    {
      config: { access: 'admin', idempotent: true },
      schema: {
        tags,
        summary: 'Create a line of credit (and its expense tracker) for an owner and an expense category',
        body: z.strictObject({
          owner_type: ownerTypeSchema,
          owner_ref: z.uuid(),
          expense_category_id: z.string(),
          currency: currencySchema,
          credits_limit: credits.optional(),
          expensed_credits: credits.optional(),
        }),
        response: { 201: lineOut },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const line = await lines.createLineOfCredit(scopeOf(req), {
        ownerType: b.owner_type,
        ownerRef: b.owner_ref,
        expenseCategoryId: b.expense_category_id,
        currency: b.currency,
        creditsLimit: b.credits_limit,
        expensedCredits: b.expensed_credits,
      });
      return reply.code(201).send(lineJson(unwrap(line)));
    },
  );

  app.get(
    '/lines-of-credit',
    {
      schema: {
        tags,
        summary: 'List lines of credit, newest first, by owner and category',
        querystring: z.strictObject({
          ...pageQuery,
          ...includeTerminated,
          owner_type: ownerTypeSchema.optional(),
          owner_ref: z.string().optional(),
          expense_category_id: z.string().optional(),
        }),
        response: { 200: pageOf(lineOut) },
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await lines.listLinesOfCredit(scopeOf(req), {
        ownerType: q.owner_type,
        ownerRef: q.owner_ref,
        expenseCategoryId: q.expense_category_id,
        includeTerminated: q.include_terminated === 'true',
        limit: q.limit,
        before: q.before,
      });
      return pageJson(rows, q.limit, lineJson);
    },
  );

  app.get(
    '/lines-of-credit/:id',
    {
      schema: {
        tags,
        summary: 'Get a line of credit with its credits',
        params: idParams,
        response: { 200: lineOut },
      },
    },
    async (req) => lineJson(unwrap(await lines.getLineOfCredit(scopeOf(req), req.params.id))),
  );

  app.put(
    '/lines-of-credit/:id/credits-limit',
    {
      config: { access: 'admin', idempotent: true },
      schema: {
        tags,
        summary: 'Set the credits limit',
        params: idParams,
        body: z.strictObject({ credits_limit: credits }),
        response: { 200: lineOut },
      },
    },
    async (req) =>
      lineJson(unwrap(await lines.setCreditsLimit(scopeOf(req), req.params.id, req.body.credits_limit))),
  );

  app.post(
    '/lines-of-credit/:id/reset-credits',
    {
      config: { access: 'admin', idempotent: true },
      schema: {
        tags,
        summary: 'Reset the credits limit and the expensed credits (a new period)',
        params: idParams,
        body: z.strictObject({ credits_limit: credits, expensed_credits: credits }),
        response: { 200: lineOut },
      },
    },
    async (req) =>
      lineJson(
        unwrap(
          await lines.resetCredits(
            scopeOf(req),
            req.params.id,
            req.body.credits_limit,
            req.body.expensed_credits,
          ),
        ),
      ),
  );

  app.post(
    '/lines-of-credit/:id/terminate',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Terminate a line of credit (final)',
        params: idParams,
        response: { 200: lineOut },
      },
    },
    async (req) => lineJson(unwrap(await lines.terminateLineOfCredit(scopeOf(req), req.params.id))),
  );
};
