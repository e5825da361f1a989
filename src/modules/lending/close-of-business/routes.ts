import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateSchema } from '../../../kernel/dates.js';
import { calendarDate } from '../../../kernel/responses.js';
import { unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import type { BusinessDateService } from '../business-date/service.js';
import { runOut } from '../responses.js';
import type { CloseOfBusinessService } from './service.js';
import type { RunProgress } from './store.js';

export const runJson = (r: RunProgress) => ({
  business_date: r.businessDate,
  status: r.status,
  through_date: r.throughDate,
  batches: { total: r.batchesTotal, done: r.batchesDone },
  loans: { total: r.loansTotal, done: r.loansDone },
  started_at: r.startedAt.toISOString(),
  completed_at: r.completedAt?.toISOString() ?? null,
  error: r.error,
});

const businessDateOut = z.object({ business_date: calendarDate });
const requested = z.object({ business_date: calendarDate, runs: z.array(runOut) });

export const closeOfBusinessRoutes: FastifyPluginAsyncZod<{
  businessDates: BusinessDateService;
  closeOfBusiness: CloseOfBusinessService;
}> = async (app, { businessDates, closeOfBusiness }) => {
  app.get(
    '/v1/business-date',
    {
      schema: {
        tags: ['close of business'],
        summary: 'The tenant’s business date (the open business day)',
        response: { 200: businessDateOut },
      },
    },
    async (req) => ({ business_date: await businessDates.get(scopeOf(req)) }),
  );

  app.put(
    '/v1/business-date',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['close of business'],
        summary:
          'Set the business date; only before the tenant’s first loan (afterwards close of business moves it)',
        body: z.strictObject({ business_date: dateSchema }),
        response: { 200: businessDateOut },
      },
    },
    async (req) => ({ business_date: unwrap(await businessDates.set(scopeOf(req), req.body.business_date)) }),
  );

  app.post(
    '/v1/close-of-business',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['close of business'],
        summary: 'Close every business day through `date`, in order; a day already closed is a no-op',
        body: z.strictObject({ date: dateSchema }),
        response: {
          200: requested.describe('every day through the date is closed'),
          202: requested.describe('runs are under way: follow them with GET /v1/close-of-business'),
        },
      },
    },
    async (req, reply) => {
      const scope = scopeOf(req);
      const runs = unwrap(await closeOfBusiness.request(scope, req.body.date));
      const done = runs.every((r) => r.status === 'completed');
      return reply
        .code(done ? 200 : 202)
        .send({ business_date: await businessDates.get(scope), runs: runs.map(runJson) });
    },
  );

  app.get(
    '/v1/close-of-business',
    {
      schema: {
        tags: ['close of business'],
        summary: 'Close-of-business runs with their progress, newest first',
        querystring: z.strictObject({
          from: dateSchema.optional(),
          to: dateSchema.optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(50),
        }),
        response: { 200: z.object({ business_date: calendarDate, data: z.array(runOut) }) },
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      // The date first: a day's run commits with the date's move past it, so every run the date implies is listed.
      const businessDate = await businessDates.get(scope);
      const runs = await closeOfBusiness.runs(scope, req.query);
      return { business_date: businessDate, data: runs.map(runJson) };
    },
  );
};
