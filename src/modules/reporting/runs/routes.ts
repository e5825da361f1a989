import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageJson, pageQuery } from '../../../kernel/paging.js';
import { failure, raise, unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import { FORMAT_MEDIA, REPORT_FORMATS, renderSvg } from '../domain/index.js';
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

const idParams = z.object({ id: z.string() });

/** The report generators, runs of them, their progress, and their stored output. */
export const reportRoutes: FastifyPluginAsyncZod<{ reports: ReportService }> = async (app, { reports }) => {
  app.get(
    '/v1/reports',
    { schema: { tags: ['reports'], summary: 'The report generators with their parameter schemas' } },
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
        querystring: z.strictObject(pageQuery),
      },
    },
    async (req) => pageJson(await reports.list(scopeOf(req), req.query), req.query.limit, runJson),
  );

  app.get(
    '/v1/report-runs/:id',
    { schema: { tags: ['reports'], summary: 'A report run: its state and progress', params: idParams } },
    async (req) => runJson(unwrap(await reports.get(scopeOf(req), req.params.id))),
  );

  app.get(
    '/v1/report-runs/:id/download',
    {
      schema: {
        tags: ['reports'],
        summary: 'The output of a succeeded run (CSV, JSON lines or XLSX), streamed from storage',
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
