import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TenantService } from '../modules/tenancy/index.js';
import { type RouteAccess, roleSatisfies } from '../modules/tenancy/index.js';
import { type AuthThrottle, sourceOf } from './auth-throttle.js';
import { problemOf, sendProblem } from './errors.js';
import { addRouteHook } from './route-hooks.js';

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Compares through digests so the comparison takes the same time whatever the lengths. */
const sameSecret = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

function tooMany(req: FastifyRequest, reply: FastifyReply, seconds: number) {
  reply.header('retry-after', String(seconds));
  return sendProblem(
    reply,
    req,
    problemOf({
      kind: 'rate_limited',
      code: 'too_many_failed_authentications',
      message: `too many failed authentications from this address; retry after ${seconds} s`,
      extra: { retry_after: seconds },
    }),
  );
}

/**
 * Authenticates every request before its body is parsed. A route declares who may call it in `config.access`;
 * otherwise reads need a viewer key and writes an operator key. The check is added to each route that is not
 * public when it is declared, and checks `access` again when it runs (a scope may mark its routes public after).
 * Failed attempts (a wrong API key or admin token, not a missing one) are limited per source address.
 */
export function registerAuth(
  app: FastifyInstance,
  deps: { tenants: TenantService; adminToken?: string; throttle: AuthThrottle },
): void {
  app.addHook('onRoute', (route) => {
    if (route.config?.access !== 'public') addRouteHook(route, 'onRequest', authenticate);
  });

  async function authenticate(req: FastifyRequest, reply: FastifyReply) {
    const access: RouteAccess =
      req.routeOptions.config.access ??
      (req.method === 'GET' || req.method === 'HEAD' ? 'viewer' : 'operator');
    if (access === 'public' || !req.routeOptions.url) return;
    const source = sourceOf(req.ip);
    const wait = deps.throttle.retryAfter(source);
    if (wait > 0) return tooMany(req, reply, wait);
    const token = bearer(req);
    const unauthorized = (message: string) =>
      sendProblem(reply, req, problemOf({ kind: 'unauthorized', code: 'unauthorized', message }));
    if (!token) return unauthorized('missing bearer token');
    const failed = (message: string) => {
      deps.throttle.failed(source);
      return unauthorized(message);
    };

    if (access === 'platform_admin') {
      if (!deps.adminToken)
        return unauthorized('the platform admin API is disabled (PLINTH_ADMIN_TOKEN is not set)');
      if (!sameSecret(token, deps.adminToken)) return failed('invalid admin token');
      req.principal = { kind: 'platform_admin' };
      return;
    }

    const principal = await deps.tenants.authenticate(token);
    if (principal?.kind !== 'api_key') return failed('invalid or revoked API key');
    if (!roleSatisfies(principal.role, access)) {
      return sendProblem(
        reply,
        req,
        problemOf({
          kind: 'forbidden',
          code: 'insufficient_role',
          message: `this operation needs the ${access} role; the key has ${principal.role}`,
        }),
      );
    }
    req.principal = principal;
  }
}
