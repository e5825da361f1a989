import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currencySchema } from '../../../kernel/money.js';
import { unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import type { ExpenseCategoryService } from '../categories.js';
import type { LineOfCreditService } from '../lines.js';
import { BASE, idParams, listJson, ownerType, page, tags } from './common.js';
import { categoryJson, lineJson } from './json.js';

const credits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const terminated = { include_terminated: z.enum(['true', 'false']).optional() };

/** Expense categories and lines of credit (the seed's ExpenseCategoryLogic and LineOfCreditLogic). */
export const catalogRoutes: FastifyPluginAsyncZod<{
  categories: ExpenseCategoryService;
  lines: LineOfCreditService;
}> = async (app, { categories, lines }) => {
  app.post(
    `${BASE}/expense-categories`,
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
      },
    },
    async (req, reply) => {
      const created = await categories.createExpenseCategory(scopeOf(req), req.body);
      return reply.code(201).send(categoryJson(unwrap(created)));
    },
  );

  app.get(
    `${BASE}/expense-categories`,
    {
      schema: {
        tags,
        summary: 'List expense categories, newest first; ?code= finds one by code',
        querystring: z.strictObject({ ...page, ...terminated, code: z.string().optional() }),
      },
    },
    async (req) => {
      const q = req.query;
      const scope = scopeOf(req);
      if (q.code !== undefined) {
        const id = await categories.getExpenseCategoryIdByCode(scope, q.code);
        return {
          data: id.ok ? [categoryJson(unwrap(await categories.getExpenseCategory(scope, id.value)))] : [],
        };
      }
      const rows = await categories.listExpenseCategories(scope, {
        limit: q.limit,
        before: q.before,
        includeTerminated: q.include_terminated === 'true',
      });
      return listJson(rows, q.limit, categoryJson);
    },
  );

  app.get(
    `${BASE}/expense-categories/:id`,
    { schema: { tags, summary: 'Get an expense category', params: idParams } },
    async (req) => categoryJson(unwrap(await categories.getExpenseCategory(scopeOf(req), req.params.id))),
  );

  app.post(
    `${BASE}/expense-categories/:id/terminate`,
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Terminate an expense category (final)', params: idParams },
    },
    async (req) =>
      categoryJson(unwrap(await categories.terminateExpenseCategory(scopeOf(req), req.params.id))),
  );

  app.post(
    `${BASE}/lines-of-credit`,
    {
      config: { access: 'admin', idempotent: true },
      schema: {
        tags,
        summary: 'Create a line of credit (and its expense tracker) for an owner and an expense category',
        body: z.strictObject({
          owner_type: ownerType,
          owner_ref: z.uuid(),
          expense_category_id: z.string(),
          currency: currencySchema,
          credits_limit: credits.optional(),
          expensed_credits: credits.optional(),
        }),
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
    `${BASE}/lines-of-credit`,
    {
      schema: {
        tags,
        summary: 'List lines of credit, newest first, by owner and category',
        querystring: z.strictObject({
          ...page,
          ...terminated,
          owner_type: ownerType.optional(),
          owner_ref: z.string().optional(),
          expense_category_id: z.string().optional(),
        }),
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
      return listJson(rows, q.limit, lineJson);
    },
  );

  app.get(
    `${BASE}/lines-of-credit/:id`,
    { schema: { tags, summary: 'Get a line of credit with its credits', params: idParams } },
    async (req) => lineJson(unwrap(await lines.getLineOfCredit(scopeOf(req), req.params.id))),
  );

  app.put(
    `${BASE}/lines-of-credit/:id/credits-limit`,
    {
      config: { access: 'admin', idempotent: true },
      schema: {
        tags,
        summary: 'Set the credits limit',
        params: idParams,
        body: z.strictObject({ credits_limit: credits }),
      },
    },
    async (req) =>
      lineJson(unwrap(await lines.setCreditsLimit(scopeOf(req), req.params.id, req.body.credits_limit))),
  );

  app.post(
    `${BASE}/lines-of-credit/:id/reset-credits`,
    {
      config: { access: 'admin', idempotent: true },
      schema: {
        tags,
        summary: 'Reset the credits limit and the expensed credits (a new period)',
        params: idParams,
        body: z.strictObject({ credits_limit: credits, expensed_credits: credits }),
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
    `${BASE}/lines-of-credit/:id/terminate`,
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Terminate a line of credit (final)', params: idParams },
    },
    async (req) => lineJson(unwrap(await lines.terminateLineOfCredit(scopeOf(req), req.params.id))),
  );
};
