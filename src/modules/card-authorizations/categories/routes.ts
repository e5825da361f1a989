import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageJson, pageQuery } from '../../../kernel/paging.js';
import { instant, pageOf } from '../../../kernel/responses.js';
import { unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import type { ExpenseCategory, ExpenseCategoryService } from './service.js';

const tags = ['card authorizations'];
const idParams = z.object({ id: z.string() });
/** `?include_terminated=true` lists terminated ones too. */
export const includeTerminated = { include_terminated: z.enum(['true', 'false']).optional() };

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const categoryJson = (c: ExpenseCategory) => ({
  id: c.id,
  code: c.code,
  name: c.name,
  description: c.description,
  reference: c.reference,
  created_at: c.createdAt.toISOString(),
  terminated_at: iso(c.terminatedAt),
});

const categoryOut = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  reference: z.string().nullable(),
  created_at: instant,
  terminated_at: instant.nullable(),
});

/** Expense categories (the seed's ExpenseCategoryLogic), under /v1/card-authorizations. */
export const categoryRoutes: FastifyPluginAsyncZod<{ categories: ExpenseCategoryService }> = async (
  app,
  { categories },
) => {
  app.post(
    '/expense-categories',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Create an expense category (its code is unique)',
        body: z.strictObject({
          code: z
            .string()
            .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'letters, digits, _ . : - (at most 64)'),
          name: z.string().trim().min(1).max(255),
          description: z.string().max(2000).nullish(),
          reference: z.string().max(2000).nullish(),
        }),
        response: { 201: categoryOut },
      },
    },
    async (req, reply) => {
      const created = await categories.createExpenseCategory(scopeOf(req), req.body);
      return reply.code(201).send(categoryJson(unwrap(created)));
    },
  );

  app.get(
    '/expense-categories',
    {
      schema: {
        tags,
        summary: 'List expense categories, newest first; ?code= finds one by code',
        querystring: z.strictObject({ ...pageQuery, ...includeTerminated, code: z.string().optional() }),
        response: { 200: pageOf(categoryOut) },
      },
    },
    async (req) => {
      const q = req.query;
      const scope = scopeOf(req);
      if (q.code !== undefined) {
        const id = await categories.getExpenseCategoryIdByCode(scope, q.code);
        return {
          data: id.ok ? [categoryJson(unwrap(await categories.getExpenseCategory(scope, id.value)))] : [],
          next_before: null,
        };
      }
      const rows = await categories.listExpenseCategories(scope, {
        limit: q.limit,
        before: q.before,
        includeTerminated: q.include_terminated === 'true',
      });
      return pageJson(rows, q.limit, categoryJson);
    },
  );

  app.get(
    '/expense-categories/:id',
    {
      schema: { tags, summary: 'Get an expense category', params: idParams, response: { 200: categoryOut } },
    },
    async (req) => categoryJson(unwrap(await categories.getExpenseCategory(scopeOf(req), req.params.id))),
  );

  app.post(
    '/expense-categories/:id/terminate',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Terminate an expense category (final)',
        params: idParams,
        response: { 200: categoryOut },
      },
    },
    async (req) =>
      categoryJson(unwrap(await categories.terminateExpenseCategory(scopeOf(req), req.params.id))),
  );
};
