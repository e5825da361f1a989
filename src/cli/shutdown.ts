import { drainLogs } from '../kernel/log-destination.js';
import type { Logger } from '../kernel/logging.js';

/**
 * How long a shutdown may take: in-flight requests finish, job workers stop, the database closes. Below the
 * 30 s that process managers (Kubernetes, systemd) commonly allow before SIGKILL, so the exit is Plinth's own and
 * logged. Work cut off here is transactional: a close-of-business batch or a job rolls back and resumes later.
 */
export const SHUTDOWN_TIMEOUT_MS = 20_000;
/** How long the last log lines may take to reach a slow reader before the process exits without them. */
const LOG_DRAIN_MS = 1_000;

/**
 * Closes everything and exits, within a bounded time whatever hangs: a close that does not finish is abandoned
 * after `timeoutMs` (exit code 1), and the logs are given at most a second (a reader that has gone ends logging
 * at once).
 */
export async function shutdown(
  logger: Logger,
  signal: string,
  close: () => Promise<void>,
  timeoutMs = SHUTDOWN_TIMEOUT_MS,
): Promise<never> {
  logger.info({ signal }, 'shutting down');
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    close().then(
      () => 'closed' as const,
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        return 'failed' as const;
      },
    ),
    new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (outcome === 'timeout') logger.error({ timeoutMs }, 'shutdown did not finish in time: exiting anyway');
  return exitAfterLogs(outcome === 'closed' ? 0 : 1);
}

/** Exits once the logs are written, or after a second. */
export async function exitAfterLogs(code?: number): Promise<never> {
  await drainLogs(LOG_DRAIN_MS);
  return process.exit(code);
}
