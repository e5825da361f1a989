import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Context } from '../context.js';
import { uuidv7 } from '../kernel/ids.js';
import { type Logger, lazyChild } from '../kernel/logging.js';
import { registerAuth } from './auth.js';
import { authThrottleLimits, createAuthThrottle } from './auth-throttle.js';
import { edgeFrameworkErrors, registerEdgeValidation } from './edge.js';
import { errorHandler, problemOf, sendProblem } from './errors.js';
import { registerSecurityHeaders, securityHeaders } from './headers.js';
import { registerIdempotency } from './idempotency/index.js';
import { registerOpenApi } from './openapi.js';
import { consoleRoutes } from './routes/console.js';
import { healthRoutes } from './routes/health.js';
import { providerSetRoutes } from './routes/provider-sets.js';
import { providerRoutes } from './routes/providers.js';

const REQUEST_ID_RE = /^[A-Za-z0-9._-]{1,64}$/;

/** Assembles the HTTP API from the context's services. Routes are thin: validate, call a service, map the result. */
export async function buildApp(ctx: Context): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    childLoggerFactory: (logger, bindings, options) => lazyChild(logger as Logger, bindings, options),
    bodyLimit: ctx.config.PLINTH_BODY_LIMIT_BYTES,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID_RE.test(incoming) ? incoming : uuidv7();
    },
    return503OnClosing: true,
    frameworkErrors: edgeFrameworkErrors(securityHeaders(ctx.config.publicUrl)),
    trustProxy: ctx.config.trustedProxies,
  });
  // The API speaks JSON (and multipart for uploads): anything else is a 415, not a string handed to validation.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler(ctx.logger));
  app.setNotFoundHandler((req, reply) =>
    sendProblem(
      reply,
      req,
      problemOf({ kind: 'not_found', code: 'route_not_found', message: `no route ${req.method} ${req.url}` }),
    ),
  );
  registerSecurityHeaders(app, ctx.config.publicUrl);
  registerEdgeValidation(app);
  registerAuth(app, {
    tenants: ctx.tenancy.tenants,
    adminToken: ctx.config.PLINTH_ADMIN_TOKEN,
    throttle: createAuthThrottle(authThrottleLimits(ctx.config)),
  });
  registerIdempotency(app, ctx.database.db);
  await registerOpenApi(app, ctx.config.publicUrl);

  await app.register(healthRoutes, { db: ctx.database.db });
  await app.register(consoleRoutes, { connectSrc: ctx.config.consoleConnectSrc });
  await app.register(providerRoutes, {
    catalog: ctx.catalog,
    configs: ctx.providerConfigs,
    resolver: ctx.resolver,
    programs: ctx.lending.programs,
  });
  await app.register(providerSetRoutes, {
    sets: ctx.providerSets,
    resolver: ctx.resolver,
    programs: ctx.lending.programs,
  });
  for (const m of ctx.modules) if (m.routes) await app.register(m.routes);
  return app;
}
