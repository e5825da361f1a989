import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';
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

/**
 * A route's response schema serializes what it declares and strips the rest (fastify-type-provider-zod parses the
 * payload with it). Every integration suite checks that nothing the handler returned was dropped or changed on the
 * way out, so a schema that forgot a field fails the suite that exercises it (reported when the app closes).
 */
function guardResponseSchemas(app: FastifyInstance): string[] {
  const problems: string[] = [];
  const sent = new WeakMap<object, unknown>();
  app.addHook('preSerialization', async (req, _reply, payload) => {
    if (payload && typeof payload === 'object') sent.set(req, JSON.parse(JSON.stringify(payload)));
    return payload;
  });
  app.addHook('onSend', async (req, reply, payload) => {
    const before = sent.get(req);
    if (before === undefined || typeof payload !== 'string') return payload;
    const after = JSON.parse(payload);
    const differences = differ(before, after, '');
    if (differences.length > 0)
      problems.push(`${req.method} ${req.routeOptions.url} ${reply.statusCode}: ${differences.join('; ')}`);
    return payload;
  });
  return problems;
}

/** Where the serialized answer differs from what the handler returned (the first few paths). */
function differ(before: unknown, after: unknown, at: string): string[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (before && after && typeof before === 'object' && typeof after === 'object') {
    const out: string[] = [];
    for (const k of Object.keys(before)) {
      const path = `${at}.${k}`;
      if (!(k in after)) out.push(`${path} dropped`);
      else out.push(...differ((before as never)[k], (after as never)[k], path));
      if (out.length >= 5) break;
    }
    return out;
  }
  return [
    `${at || 'body'} changed from ${JSON.stringify(before)?.slice(0, 80)} to ${JSON.stringify(after)?.slice(0, 80)}`,
  ];
}

async function closeQuietly(app: FastifyInstance, ctx: Context, database: { drop(): Promise<void> }) {
  await app.close().catch(() => {});
  await ctx.close().catch(() => {});
  await database.drop().catch(() => {});
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
  const stripped = guardResponseSchemas(app);
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
      if (stripped.length > 0) {
        await closeQuietly(app, ctx, database);
        throw new Error(`response schemas dropped or changed fields:\n${stripped.join('\n')}`);
      }
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
