import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateSchema } from '../../../kernel/dates.js';
import { listOf } from '../../../kernel/responses.js';
import { unwrap } from '../../../kernel/result.js';
import { scopeOf } from '../../tenancy/index.js';
import { connectionJson, unwrapRetry } from '../connections/routes.js';
import { connectionView } from '../connections/service.js';
import { SYNC_SCOPES } from '../domain/sync-policy.js';
import { countsJson } from '../ingest/json.js';
import type { IngestCounts } from '../ingest/service.js';
import { connectionOut, syncRunOut } from '../responses.js';
import type { SyncRunRow } from '../tables.js';
import type { SyncService } from './service.js';

const idParams = z.object({ id: z.string() });

const syncRunJson = (r: SyncRunRow) => {
  const result = r.result as
    | (IngestCounts & { skippedRecords?: number; tokenRefreshed?: boolean; refreshTokenRotated?: boolean })
    | null;
  return {
    id: r.id,
    connection_id: r.connectionId,
    trigger: r.trigger,
    scope: r.scope,
    snapshot_source: r.source,
    status: r.status,
    window: r.windowStart ? { start_date: r.windowStart, end_date: r.windowEnd } : null,
    started_at: r.startedAt.toISOString(),
    finished_at: r.finishedAt?.toISOString() ?? null,
    result: result
      ? {
          ...countsJson(result),
          skipped_records: result.skippedRecords ?? 0,
          token_refreshed: result.tokenRefreshed ?? false,
          refresh_token_rotated: result.refreshTokenRotated ?? false,
        }
      : null,
    error: r.errorCode
      ? {
          kind: r.errorKind,
          code: r.errorCode,
          message: r.errorMessage,
          retry_after_seconds: r.retryAfterSeconds,
        }
      : null,
  };
};

/** `POST /v1/connections/{id}/sync` and the connection's sync runs. */
export const syncRoutes: FastifyPluginAsyncZod<{ sync: SyncService }> = async (app, { sync }) => {
  app.post(
    '/v1/connections/:id/sync',
    {
      schema: {
        tags: ['aggregation'],
        summary: 'Sync now (at most every 5 minutes unless forced; default window: the last 30 days)',
        params: idParams,
        body: z
          .strictObject({
            force: z.boolean().optional(),
            scope: z.enum(SYNC_SCOPES).optional(),
            start_date: dateSchema.optional(),
            end_date: dateSchema.optional(),
          })
          .optional(),
        response: { 200: z.object({ sync_run: syncRunOut, connection: connectionOut }) },
      },
    },
    async (req, reply) => {
      const b = req.body ?? {};
      const done = unwrapRetry(
        reply,
        await sync.sync(scopeOf(req), req.params.id, {
          force: b.force,
          scope: b.scope,
          startDate: b.start_date,
          endDate: b.end_date,
        }),
      );
      return { sync_run: syncRunJson(done.run), connection: connectionJson(connectionView(done.connection)) };
    },
  );

  app.get(
    '/v1/connections/:id/sync-runs',
    {
      schema: {
        tags: ['aggregation'],
        summary: 'Recent sync runs, newest first',
        params: idParams,
        response: { 200: listOf(syncRunOut) },
      },
    },
    async (req) => ({ data: unwrap(await sync.runs(scopeOf(req), req.params.id)).map(syncRunJson) }),
  );
};
