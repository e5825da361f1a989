import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { Scope } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import { isUuid, uuidv7 } from '../../../kernel/ids.js';
import type { JobQueue } from '../../../kernel/jobs.js';
import type { Logger } from '../../../kernel/logging.js';
import { err, failure, invalidField, notFound, ok, type Result } from '../../../kernel/result.js';
import { fieldIssues } from '../../../kernel/validation.js';
import type { Catalog, ProviderDeps } from '../../../providers/index.js';
import type { Worker } from '../../platform.js';
import { FORMAT_MEDIA, type ReportFormat, writeReport } from '../domain/index.js';
import type { ReportSource } from '../generators/source.js';
import type { AnyReportGenerator } from '../registry.js';
import type { ReportRunRow } from '../tables.js';
import * as store from './store.js';

export const REPORT_RUN_QUEUE = 'reporting.run';
export type ReportRun = ReportRunRow;

interface RunJob {
  tenantId: string;
  runId: string;
}

/** How often a running report writes its row count (progress) at most. */
const PROGRESS_EVERY_MS = 500;

/**
 * Report runs: a run validates its parameters against the generator's schema, is stored `queued`, and is executed
 * by a worker of `reporting.run` (or, in a process without a job queue, in the background of this one). The
 * output streams to a file under PLINTH_DATA_DIR/reports (document storage will take it once that module exists),
 * written under a temporary name and renamed when complete, so a download never sees half a file.
 */
export class ReportService {
  readonly #running = new Set<Promise<void>>();

  constructor(
    private readonly deps: {
      db: Db;
      catalog: Catalog;
      providerDeps: ProviderDeps;
      logger: Logger;
      /** Where outputs are stored (a directory; created as needed). */
      dir: string;
      source: (tenantId: string) => ReportSource;
      queue?: JobQueue;
    },
  ) {}

  generators(): AnyReportGenerator[] {
    const registry = this.deps.catalog.registry('report_generator');
    return (registry?.list() ?? []).map((d) => d.create({}, this.deps.providerDeps));
  }

  generator(key: string): AnyReportGenerator | undefined {
    const def = this.deps.catalog.registry('report_generator')?.get(key);
    return def?.create({}, this.deps.providerDeps);
  }

  async start(
    scope: Scope,
    key: string,
    input: { format: ReportFormat; params: Record<string, unknown> },
  ): Promise<Result<ReportRun>> {
    const generator = this.generator(key);
    if (!generator) return err(notFound('report generator'));
    const parsed = (generator.paramsSchema as z.ZodType).safeParse(input.params);
    if (!parsed.success)
      return err(
        failure('unprocessable', 'validation_failed', 'the report parameters are invalid', {
          fields: fieldIssues(parsed.error, 'params'),
        }),
      );
    const params = parsed.data as Record<string, unknown>;
    if (typeof params.program_id === 'string') {
      const programs = await this.deps.source(scope.tenantId).lending.programs(scope.tenantId);
      if (!programs.some((p) => p.id === params.program_id))
        return err(invalidField('params.program_id', 'no such program', 'unknown_program'));
    }
    const problems = (await generator.check?.(params, this.deps.source(scope.tenantId))) ?? [];
    if (problems.length > 0)
      return err(
        failure('unprocessable', 'validation_failed', 'the report parameters do not match the data', {
          fields: problems.map((p) => ({ path: `params.${p.param}`, message: p.message })),
        }),
      );
    const run = await store.insertRun(this.deps.db, {
      tenantId: scope.tenantId,
      id: uuidv7(),
      generator: key,
      params,
      format: input.format,
      status: 'queued',
      requestedBy: scope.actor.id ? `${scope.actor.type}:${scope.actor.id}` : scope.actor.type,
    });
    const job: RunJob = { tenantId: scope.tenantId, runId: run.id };
    if (this.deps.queue) await this.deps.queue.send(REPORT_RUN_QUEUE, job);
    else this.#background(job);
    return ok(run);
  }

  #background(job: RunJob): void {
    const p = this.execute(job).finally(() => this.#running.delete(p));
    this.#running.add(p);
  }

  /** Runs a queued report to its stored output; a failure is recorded on the run, never thrown. */
  async execute({ tenantId, runId }: RunJob): Promise<void> {
    const { db } = this.deps;
    const run = await store.findRun(db, tenantId, runId);
    if (!run || run.status === 'succeeded') return;
    const generator = this.generator(run.generator);
    const dir = join(this.deps.dir, tenantId);
    const file = join(dir, `${run.id}.${FORMAT_MEDIA[run.format].extension}`);
    const part = `${file}.part`;
    try {
      if (!generator) throw new Error(`no report generator ${run.generator}`);
      await store.updateRun(db, tenantId, runId, {
        status: 'running',
        startedAt: new Date(),
        rowsWritten: 0,
      });
      await mkdir(dir, { recursive: true });
      let last = 0;
      const out = createWriteStream(part);
      const result = await writeReport(
        generator.run(run.params, this.deps.source(tenantId)),
        run.format,
        out,
        (rows) => {
          const now = Date.now();
          if (now - last < PROGRESS_EVERY_MS) return;
          last = now;
          void store.updateRun(db, tenantId, runId, { rowsWritten: rows }).catch(() => {});
        },
      );
      await rename(part, file);
      await store.updateRun(db, tenantId, runId, {
        status: 'succeeded',
        rowsWritten: result.rows,
        summary: result.summary,
        chart: result.chart ?? null,
        location: file,
        bytes: (await stat(file)).size,
        finishedAt: new Date(),
      });
    } catch (e) {
      this.deps.logger.error({ err: e, runId, generator: run.generator }, 'report run failed');
      await rm(part, { force: true });
      await store.updateRun(db, tenantId, runId, {
        status: 'failed',
        error: e instanceof Error ? e.message : String(e),
        finishedAt: new Date(),
      });
    }
  }

  async get(scope: Scope, id: string): Promise<Result<ReportRun>> {
    const run = isUuid(id) ? await store.findRun(this.deps.db, scope.tenantId, id) : undefined;
    return run ? ok(run) : err(notFound('report run'));
  }

  list(scope: Scope, opts: { limit: number; before?: string }): Promise<ReportRun[]> {
    return store.listRuns(this.deps.db, scope.tenantId, {
      limit: opts.limit,
      before: opts.before && isUuid(opts.before) ? opts.before : undefined,
    });
  }

  /** The stored output of a finished run, as a stream; 409 while it runs or when it failed. */
  async download(scope: Scope, id: string): Promise<Result<{ run: ReportRun; body: Readable }>> {
    const found = await this.get(scope, id);
    if (!found.ok) return found;
    const run = found.value;
    if (run.status !== 'succeeded' || !run.location)
      return err(
        failure(
          'conflict',
          'run_not_ready',
          `the run is ${run.status}: only a succeeded run can be downloaded`,
        ),
      );
    return ok({ run, body: createReadStream(run.location) });
  }

  worker(): Worker<RunJob> {
    return {
      queue: REPORT_RUN_QUEUE,
      handle: async (jobs) => {
        for (const job of jobs) await this.execute(job.data);
      },
    };
  }

  /** Waits for the runs this process started in the background (close). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#running]);
  }
}
