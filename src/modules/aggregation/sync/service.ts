import { type Scope, SYSTEM_ACTOR } from '../../../kernel/audit.js';
import { type CalendarDate, dateInZone } from '../../../kernel/dates.js';
import { isUniqueViolation } from '../../../kernel/db.js';
import { ConfigurationError, type ProviderError } from '../../../kernel/errors.js';
import { isUuid, uuidv7 } from '../../../kernel/ids.js';
import type { Logger } from '../../../kernel/logging.js';
import { err, failure, ok, type Result } from '../../../kernel/result.js';
import type { KeyRing } from '../../../providers/index.js';
import { openCredentials, sealCredentials } from '../connections/credentials.js';
import { type ProviderDeps, providerById } from '../connections/provider-choice.js';
import * as connectionStore from '../connections/store.js';
import type { ApiKeyFinancialProvider, OAuthFinancialProvider, OAuthGrant } from '../domain/provider.js';
import {
  SYNC_INTERVAL_MS,
  type SyncScope,
  type SyncTrigger,
  secondsUntilAllowed,
  snapshotSource,
  syncWindow,
} from '../domain/sync-policy.js';
import { addCounts, emptyCounts, ingestStatement } from '../ingest/service.js';
import type { ConnectionRow, SyncRunRow } from '../tables.js';
import { providerProblem, recordFailure } from './failure.js';
import { type Access, apiKeyAccess, type FetchedData, fetchStatements, oauthAccess } from './fetch.js';
import * as store from './store.js';

/**
 * `POST /v1/connections/{id}/sync` and the scheduler: one run at a time per connection, at most one every five
 * minutes unless forced. The provider is read first, outside any database transaction; then everything it
 * returned is written in one transaction with the run's result, so a failure halfway leaves no half-written
 * sync. Provider failures are recorded on the run and decide the connection's fate: authentication ends it
 * (expired or revoked: the customer must act), rate limits and outages reschedule it.
 */

export interface SyncOptions {
  force?: boolean;
  scope?: SyncScope;
  startDate?: CalendarDate;
  endDate?: CalendarDate;
}

export interface SyncServiceDeps extends ProviderDeps {
  keyRing: KeyRing;
  logger: Logger;
  now: () => Date;
}

// A run still `running` after this long was left by a process that died.
const STALE_RUN_MS = 30 * 60_000;
const SYNC_ZONE = 'UTC';

export class SyncService {
  constructor(private readonly deps: SyncServiceDeps) {}

  async sync(
    scope: Scope,
    connectionId: string,
    opts: SyncOptions = {},
    requested: Exclude<SyncTrigger, 'initial'> = 'manual',
  ): Promise<Result<{ run: SyncRunRow; connection: ConnectionRow }>> {
    const { db } = this.deps;
    const connection = isUuid(connectionId)
      ? await connectionStore.findConnection(db, scope.tenantId, connectionId)
      : undefined;
    if (!connection) return err(failure('not_found', 'not_found', 'connection not found'));
    if (connection.authType === 'file_import')
      return err(
        failure('unprocessable', 'use_imports', 'file-import connections are updated by POST /v1/imports'),
      );
    if (connection.status !== 'active')
      return err(
        failure('conflict', 'connection_not_active', `the connection is ${connection.status}`, {
          extra: { connection_status: connection.status, status_reason: connection.statusReason },
        }),
      );
    const now = this.deps.now();
    const [last] = await store.latestRuns(db, scope.tenantId, connectionId, 1);
    const wait = secondsUntilAllowed(last?.startedAt ?? null, now, opts.force ?? false);
    if (wait > 0)
      return err(
        failure(
          'rate_limited',
          'sync_too_soon',
          `a sync ran less than 5 minutes ago; retry in ${wait} s or force`,
          {
            extra: { retry_after_seconds: wait },
          },
        ),
      );
    const syncScope = opts.scope ?? 'all';
    const oldest = await store.oldestPendingDate(db, scope.tenantId, connectionId);
    const window = syncWindow({
      today: dateInZone(now, SYNC_ZONE),
      startDate: opts.startDate,
      endDate: opts.endDate,
      oldestPending: oldest as CalendarDate | null,
    });
    if (!window.ok) return window;
    const trigger: SyncTrigger = connection.lastSyncAt ? requested : 'initial';
    await store.abandonStaleRuns(
      db,
      scope.tenantId,
      connectionId,
      new Date(now.getTime() - STALE_RUN_MS),
      now,
    );
    let run: SyncRunRow;
    try {
      run = await store.insertRun(db, {
        tenantId: scope.tenantId,
        id: uuidv7(),
        connectionId,
        trigger,
        scope: syncScope,
        source: snapshotSource(trigger, syncScope),
        status: 'running',
        windowStart: window.value.start,
        windowEnd: window.value.end,
        startedAt: now,
      });
    } catch (e) {
      if (isUniqueViolation(e, 'financial_sync_runs_one_running'))
        return err(failure('conflict', 'sync_in_progress', 'a sync of this connection is running'));
      throw e;
    }
    try {
      return await this.#run(connection, run, syncScope, window.value);
    } catch (e) {
      // Undecryptable credentials, a database error: the run ends failed (not `running` forever) and the error
      // goes on to the caller.
      const code = e instanceof ConfigurationError ? e.code : 'internal_error';
      await recordFailure(this.deps, connection, run, null, code, e instanceof Error ? e.message : String(e));
      throw e;
    }
  }

  async #run(
    connection: ConnectionRow,
    run: SyncRunRow,
    scope: SyncScope,
    window: { start: CalendarDate; end: CalendarDate },
  ): Promise<Result<{ run: SyncRunRow; connection: ConnectionRow }>> {
    const { db, logger } = this.deps;
    const handle = await providerById(this.deps, connection.tenantId, connection.providerConfigId);
    if (!handle.ok)
      return err(
        await recordFailure(this.deps, connection, run, null, handle.error.code, handle.error.message),
      );
    const capabilities = handle.value.definition.metadata.capabilities;
    const access = await this.#access(connection, handle.value.resolved.instance as OAuthFinancialProvider);
    let fetched: Result<FetchedData, ProviderError>;
    if (!access.ok) fetched = access;
    else {
      try {
        fetched = await fetchStatements(
          access.value,
          { scope, window, capabilities },
          {
            logger,
            connectionId: connection.id,
          },
        );
      } finally {
        await access.value.session.close();
      }
    }
    if (!fetched.ok) return this.#providerFailed(connection, run, fetched.error);
    const now = this.deps.now();
    const counts = emptyCounts();
    const target = {
      tenantId: connection.tenantId,
      connectionId: connection.id,
      customerId: connection.customerId,
      source: run.source as ReturnType<typeof snapshotSource>,
      now,
      syncRunId: run.id,
    };
    const notes = access.ok ? access.value.notes : { refreshed: false, rotated: false };
    return db.transaction(async (tx) => {
      for (const statement of fetched.value.statements)
        addCounts(counts, await ingestStatement(tx, target, statement));
      const done = await store.finishRun(tx, connection.tenantId, run.id, {
        status: 'succeeded',
        finishedAt: now,
        result: {
          ...counts,
          accounts: fetched.value.statements.length,
          skippedRecords: fetched.value.skipped.length,
          tokenRefreshed: notes.refreshed,
          refreshTokenRotated: notes.rotated,
        },
      });
      await connectionStore.updateConnection(tx, connection.tenantId, connection.id, {
        lastSyncAt: now,
        nextSyncAt: new Date(now.getTime() + SYNC_INTERVAL_MS),
      });
      return ok({ run: done, connection: { ...connection, lastSyncAt: now } });
    });
  }

  async #access(
    connection: ConnectionRow,
    provider: OAuthFinancialProvider | ApiKeyFinancialProvider,
  ): Promise<Result<Access, ProviderError>> {
    const { keyRing, db, logger } = this.deps;
    if (provider.authType === 'api_key')
      return ok(apiKeyAccess(provider, openCredentials(keyRing, connection)));
    const grant = openCredentials<OAuthGrant>(keyRing, connection);
    return oauthAccess(provider, grant, this.deps.now(), async (fresh) => {
      await connectionStore.updateConnection(db, connection.tenantId, connection.id, {
        credentials: sealCredentials(keyRing, connection, fresh),
      });
      logger.info({ connectionId: connection.id }, 'access token refreshed');
    });
  }

  async #providerFailed(connection: ConnectionRow, run: SyncRunRow, e: ProviderError) {
    this.deps.logger.warn(
      {
        connectionId: connection.id,
        runId: run.id,
        kind: e.kind,
        status: e.details.status,
        code: e.details.vendorCode,
      },
      'sync failed at the provider',
    );
    return err(await recordFailure(this.deps, connection, run, e, providerProblem(e).code, e.message));
  }

  /** A scheduled sync: never throws, whatever happens; the outcome is on the run and in the log. */
  async runScheduled(tenantId: string, connectionId: string): Promise<void> {
    try {
      const r = await this.sync({ tenantId, actor: SYSTEM_ACTOR }, connectionId, {}, 'scheduled');
      if (!r.ok && r.error.code !== 'sync_too_soon')
        this.deps.logger.info({ connectionId, code: r.error.code }, 'scheduled sync did not complete');
    } catch (e) {
      this.deps.logger.error({ connectionId, err: e }, 'scheduled sync crashed');
    }
  }

  dueConnections(limit = 500): Promise<ConnectionRow[]> {
    return store.dueConnections(this.deps.db, this.deps.now(), limit);
  }

  async runs(scope: Scope, connectionId: string, limit = 20): Promise<Result<SyncRunRow[]>> {
    const connection = isUuid(connectionId)
      ? await connectionStore.findConnection(this.deps.db, scope.tenantId, connectionId)
      : undefined;
    if (!connection) return err(failure('not_found', 'not_found', 'connection not found'));
    return ok(await store.latestRuns(this.deps.db, scope.tenantId, connectionId, limit));
  }
}
