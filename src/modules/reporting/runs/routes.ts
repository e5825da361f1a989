import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageJson, pageQuery } from '../../../kernel/paging.js';
import { anyObject, instant, listOf, pageOf } from '../../../kernel/responses.js';
import { failure, raise, unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import { CHART_KINDS, FORMAT_MEDIA, REPORT_FORMATS, renderSvg } from '../domain/index.js';
import { RUN_STATUSES } from '../tables.js';
import type { ReportRun, ReportService } from './service.js';

export const runJson = (r: ReportRun) => ({
  id: r.id,
  generator: r.generator,
  params: r.params,
  format: r.format,
  status: r.status,
  // progress: rows written so far (the total is known only at the end)
  rows_written: r.rowsWritten,
  summary: r.summary,
  chart: r.chart,
  bytes: r.bytes,
  error: r.error,
  created_at: r.createdAt.toISOString(),
  started_at: r.startedAt?.toISOString() ?? null,
  finished_at: r.finishedAt?.toISOString() ?? null,
  download_url: r.status === 'succeeded' ? `/v1/report-runs/${r.id}/download` : null,
});

const runOut = z.object({
  id: z.string(),
  generator: z.string(),
  params: anyObject,
  format: z.enum(REPORT_FORMATS),
  status: z.enum(RUN_STATUSES),
  rows_written: z.number().int(),
  summary: z
    .object({
      rows: z.number().int(),
      figures: z.array(
        z.object({
          label: z.string(),
          value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
          type: z.string(),
          currency: z.string().optional(),
        }),
      ),
    })
    .nullable(),
  // Stored as the generator drew it, so its optional labels are camelCase.
  chart: z
    .object({
      kind: z.enum(CHART_KINDS),
      title: z.string(),
      categories: z.array(z.string()),
      series: z.array(z.object({ name: z.string(), values: z.array(z.number().nullable()) })),
      xLabel: z.string().optional(),
      yLabel: z.string().optional(),
      yFormat: z.enum(['number', 'percent', 'money']).optional(),
    })
    .nullable(),
  bytes: z.number().int().nullable(),
  error: z.string().nullable(),
  created_at: instant,
  started_at: instant.nullable(),
  finished_at: instant.nullable(),
  download_url: z.string().nullable().describe('set once the run succeeded'),
});

const idParams = z.object({ id: z.string() });

/** The report generators, runs of them, their progress, and their stored output. */
export const reportRoutes: FastifyPluginAsyncZod<{ reports: ReportService }> = async (app, { reports }) => {
  app.get(
    '/v1/reports',
    {
      schema: {
        tags: ['reports'],
        summary: 'The report generators with their parameter schemas',
        response: {
          200: listOf(
            z.object({
              key: z.string(),
              display_name: z.string(),
              description: z.string(),
              params_schema: anyObject.describe('JSON Schema of the run’s params'),
            }),
          ),
        },
      },
    },
    async () => ({
      data: reports.generators().map((g) => {
        const { $schema: _, ...params } = z.toJSONSchema(g.paramsSchema, {
          io: 'input',
          unrepresentable: 'any',
        });
        return { key: g.key, display_name: g.displayName, description: g.description, params_schema: params };
      }),
    }),
  );

  app.post(
    '/v1/reports/:key/runs',
    {
      schema: {
        tags: ['reports'],
        summary: 'Start a run of a report (a job); poll GET /v1/report-runs/{id}, then download its output',
        response: { 202: runOut },
        params: z.object({ key: z.string() }),
        body: z.strictObject({
          format: z.enum(REPORT_FORMATS).default('csv'),
          params: z.record(z.string(), z.unknown()).default({}),
        }),
      },
    },
    async (req, reply) => {
      const run = unwrap(await reports.start(scopeOf(req), req.params.key, req.body));
      return reply.code(202).header('location', `/v1/report-runs/${run.id}`).send(runJson(run));
    },
  );

  app.get(
    '/v1/report-runs',
    {
      schema: {
        tags: ['reports'],
        summary: 'Report runs, newest first',
        response: { 200: pageOf(runOut) },
        querystring: z.strictObject(pageQuery),
      },
    },
    async (req) => pageJson(await reports.list(scopeOf(req), req.query), req.query.limit, runJson),
  );

  app.get(
    '/v1/report-runs/:id',
    {
      schema: {
        tags: ['reports'],
        summary: 'A report run: its state and progress',
        params: idParams,
        response: { 200: runOut },
      },
    },
    async (req) => runJson(unwrap(await reports.get(scopeOf(req), req.params.id))),
  );

  app.get(
    '/v1/report-runs/:id/download',
    {
      schema: {
        tags: ['reports'],
        summary: 'The output of a succeeded run (CSV, JSON lines or XLSX), streamed from storage',
        produces: [
          'text/csv',
          'application/x-ndjson',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        ],
        response: { 200: z.unknown().describe('the file: text/csv, application/x-ndjson or XLSX') },
        params: idParams,
      },
    },
    async (req, reply) => {
      const { run, body } = unwrap(await reports.download(scopeOf(req), req.params.id));
      const media = FORMAT_MEDIA[run.format];
      return reply
        .header('content-type', media.contentType)
        .header('content-disposition', `attachment; filename="${run.generator}-${run.id}.${media.extension}"`)
        .send(body);
    },
  );

  app.get(
    '/v1/report-runs/:id/chart.svg',
    {
      schema: {
        tags: ['reports'],
        summary: 'The run’s chart as SVG (aging and other charted reports)',
        produces: ['image/svg+xml'],
        response: { 200: z.string().describe('the SVG document') },
        params: idParams,
      },
    },
    async (req, reply) => {
      const run = unwrap(await reports.get(scopeOf(req), req.params.id));
      if (!run.chart) return raise(failure('not_found', 'no_chart', 'this run has no chart (yet)'));
      return reply.header('content-type', 'image/svg+xml').send(renderSvg(run.chart));
    },
  );
};
