import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { type Context, type ContextOptions, createContext } from '../../src/context.js';
import { buildApp } from '../../src/http/app.js';
import { loadConfig } from '../../src/kernel/config.js';
import { generateFernetKey } from '../../src/kernel/crypto/fernet.js';
import { createLogger } from '../../src/kernel/logging.js';
import { testDatabaseUrl } from './database.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp {
  app: FastifyInstance;
  /** The server's base URL (also its PLINTH_PUBLIC_URL) when started with `listen: true`. */
  url?: string;
  ctx: Context;
  /** Every log line written while the app ran. */
  logs: string[];
  call(
    method: InjectOptions['method'],
    url: string,
    opts?: { key?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  /** Creates a tenant through the admin API; returns its id and admin key. */
  tenant(name?: string): Promise<{ id: string; key: string }>;
  close(): Promise<void>;
}

/** A loopback port nothing listens on now. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export async function startTestApp(
  opts: Omit<ContextOptions, 'config' | 'logger'> & {
    env?: Record<string, string>;
    /** Serve on a loopback port, for clients outside the process (simulators' webhooks, presigned URLs). */
    listen?: boolean;
  } = {},
): Promise<TestApp> {
  const database = await testDatabaseUrl();
  const port = opts.listen ? await freePort() : undefined;
  const url = port ? `http://127.0.0.1:${port}` : undefined;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const config = loadConfig({
    DATABASE_URL: database.url,
    PLINTH_ADMIN_TOKEN: ADMIN_TOKEN,
    PROVIDER_ENCRYPTION_KEY: generateFernetKey(),
    LOG_LEVEL: 'info',
    PLINTH_DATA_DIR: '/tmp/plinth-test-unused',
    ...(url && { HOST: '127.0.0.1', PORT: String(port), PLINTH_PUBLIC_URL: url }),
    // The local simulators, as an operator running a sandbox would allow them.
    PLINTH_PROVIDER_ENDPOINTS: 'http://127.0.0.1:*,smtp://127.0.0.1:*',
    ...opts.env,
  });
  const ctx = await createContext({ ...opts, config, logger: createLogger(config.LOG_LEVEL, sink) });
  const app = await buildApp(ctx);
  if (port) await app.listen({ host: '127.0.0.1', port });
  await ctx.startWorkers();
  const call: TestApp['call'] = (method, url, o = {}) =>
    app.inject({
      method,
      url,
      headers: { ...(o.key && { authorization: `Bearer ${o.key}` }), ...o.headers },
      ...(o.body !== undefined && { payload: o.body as InjectOptions['payload'] }),
    });
  return {
    app,
    url,
    ctx,
    logs,
    call,
    async tenant(name = 'Tenant') {
      const r = await call('POST', '/v1/tenants', { key: ADMIN_TOKEN, body: { name } });
      if (r.statusCode !== 201) throw new Error(`tenant creation failed: ${r.body}`);
      const b = r.json() as { tenant: { id: string }; api_key: string };
      return { id: b.tenant.id, key: b.api_key };
    },
    async close() {
      // A request a client left in flight (a simulator's webhook delivery on PostgreSQL, seen in the
      // communications suite) would keep close() waiting for ever: after 5 s its connection is cut.
      const cut = setTimeout(() => app.server.closeAllConnections(), 5_000);
      await app.close();
      clearTimeout(cut);
      await ctx.close();
      await database.drop();
    },
  };
}
