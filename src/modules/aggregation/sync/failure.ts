import type { Db } from '../../../kernel/db.js';
import type { ProviderError } from '../../../kernel/errors.js';
import { type Failure, type FailureKind, failure } from '../../../kernel/result.js';
import * as connectionStore from '../connections/store.js';
import { failureStatus } from '../domain/connection-status.js';
import { RETRY_DELAY_MS, SYNC_INTERVAL_MS } from '../domain/sync-policy.js';
import type { ConnectionRow, SyncRunRow } from '../tables.js';
import * as store from './store.js';

/**
 * What a failed sync leaves behind. The run records the error. Refused credentials end the connection (expired
 * for OAuth, revoked for keys) until the customer acts; a rate limit or an outage moves its next sync to when the
 * provider said (Retry-After) or 15 minutes on; anything else waits for the next regular sync.
 */

export function providerProblem(e: ProviderError): { code: string; kind: FailureKind } {
  switch (e.kind) {
    case 'authentication':
      return { code: 'reauthorization_required', kind: 'conflict' };
    case 'rate_limited':
      return { code: 'provider_rate_limited', kind: 'unavailable' };
    case 'unavailable':
      return { code: 'provider_unavailable', kind: 'unavailable' };
    case 'configuration':
      return { code: 'provider_misconfigured', kind: 'unprocessable' };
    default:
      return { code: 'provider_error', kind: 'unavailable' };
  }
}

export async function recordFailure(
  deps: { db: Db; now: () => Date },
  connection: ConnectionRow,
  run: SyncRunRow,
  e: ProviderError | null,
  code: string,
  message: string,
): Promise<Failure> {
  const now = deps.now();
  const retryAfter = e?.details.retryAfter ?? null;
  const ended = e?.kind === 'authentication' ? failureStatus(connection.authType) : null;
  const waitMs = e?.transient ? (retryAfter !== null ? retryAfter * 1000 : RETRY_DELAY_MS) : SYNC_INTERVAL_MS;
  await deps.db.transaction(async (tx) => {
    await store.finishRun(tx, connection.tenantId, run.id, {
      status: 'failed',
      finishedAt: now,
      errorKind: e?.kind ?? 'configuration',
      errorCode: code,
      errorMessage: message,
      retryAfterSeconds: retryAfter,
    });
    if (ended)
      await connectionStore.moveConnection(tx, connection.tenantId, connection.id, 'active', ended, {
        statusReason: `${message}; the customer must reconnect`,
        nextSyncAt: null,
      });
    else
      await connectionStore.updateConnection(tx, connection.tenantId, connection.id, {
        nextSyncAt: new Date(now.getTime() + waitMs),
      });
  });
  return failure(e ? providerProblem(e).kind : 'conflict', code, message, {
    extra: {
      sync_run_id: run.id,
      ...(ended && { connection_status: ended }),
      ...(retryAfter !== null && { retry_after_seconds: retryAfter }),
    },
  });
}
