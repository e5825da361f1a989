import cluster from 'node:cluster';
import { createContext } from '../context.js';
import { buildApp } from '../http/app.js';
import { authThrottleLimits, coordinateAuthThrottle } from '../http/auth-throttle.js';
import { loadConfig } from '../kernel/config.js';
import { createLogger } from '../kernel/logging.js';
import { loadKeyRing } from '../providers/index.js';
import { exitAfterLogs, SHUTDOWN_TIMEOUT_MS, shutdown } from './shutdown.js';

/**
 * `plinth serve`: the HTTP API. With PLINTH_HTTP_PROCESSES > 1 this process forks that many copies of itself,
 * which share the port (node:cluster hands each new connection to the next one): Node runs JavaScript on one core
 * per process, and on PostgreSQL every process is an equal peer (its own pool, caches kept current by
 * LISTEN/NOTIFY, group commit of its own requests). A copy that dies is replaced; SIGTERM or SIGINT stops them all.
 */
export async function serve(): Promise<undefined> {
  const config = loadConfig();
  if (cluster.isPrimary && config.PLINTH_HTTP_PROCESSES > 1) {
    const logger = createLogger(config.LOG_LEVEL);
    // Before forking: a development key is generated once, not raced by the copies (and production without a
    // key stops here).
    loadKeyRing(config, logger);
    coordinateAuthThrottle(authThrottleLimits(config));
    supervise(config.PLINTH_HTTP_PROCESSES, logger);
    return undefined;
  }
  if (!cluster.isWorker) return start();
  // A copy that cannot start exits, so the supervisor sees it never served (open connections would keep it up).
  return start().catch((e: unknown) => {
    console.error(e);
    return process.exit(1);
  });
}

async function start(): Promise<undefined> {
  const ctx = await createContext({ jobs: true });
  const app = await buildApp(ctx);
  const stop = (signal: string) =>
    void shutdown(ctx.logger, signal, async () => {
      await app.close();
      await ctx.close();
    });
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  await app.listen({ host: ctx.config.HOST, port: ctx.config.PORT });
  if (!ctx.config.DATABASE_URL)
    ctx.logger.info({ dir: ctx.config.PLINTH_DATA_DIR }, 'embedded database (PGlite)');
  // After listening: resuming an interrupted close of business must not keep the API from answering.
  await ctx.startWorkers();
  return undefined;
}

function supervise(processes: number, logger: ReturnType<typeof createLogger>): void {
  let stopping = false;
  const listening = new Set<number>();
  for (let k = 0; k < processes; k++) cluster.fork();
  cluster.on('listening', (worker) => listening.add(worker.id));
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) void exitAfterLogs();
      return;
    }
    if (!listening.has(worker.id)) {
      // It never served (bad configuration, no database): another would fail the same way.
      logger.fatal({ pid: worker.process.pid, code, signal }, 'an HTTP process failed to start');
      stop('SIGTERM');
      process.exitCode = code || 1;
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'an HTTP process exited: starting another');
    cluster.fork();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, processes }, 'shutting down');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    // Each copy bounds its own shutdown; one that is stuck anyway (a blocked event loop) is killed after it.
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
    }, SHUTDOWN_TIMEOUT_MS + 5_000).unref();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  logger.info({ processes }, 'serving with several HTTP processes');
}
