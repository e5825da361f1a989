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

export async function startTestApp(
  opts: Omit<ContextOptions, 'config' | 'logger'> & { env?: Record<string, string> } = {},
): Promise<TestApp> {
  const database = await testDatabaseUrl();
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
    // The local simulators, as an operator running a sandbox would allow them.
    PLINTH_PROVIDER_ENDPOINTS: 'http://127.0.0.1:*',
    ...opts.env,
  });
  const ctx = await createContext({ ...opts, config, logger: createLogger(config.LOG_LEVEL, sink) });
  const app = await buildApp(ctx);
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
      await app.close();
      await ctx.close();
      await database.drop();
    },
  };
}
