import type {} from 'fastify';
import type { Actor, Scope } from '../../../kernel/audit.js';
import { failure, raise } from '../../../kernel/result.js';

export const ROLES = ['admin', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Does a key with role `held` satisfy a route that needs `needed`? admin ⊃ operator ⊃ viewer. */
export const roleSatisfies = (held: Role, needed: Role): boolean => RANK[held] >= RANK[needed];

export type Principal =
  | { kind: 'api_key'; tenantId: string; apiKeyId: string; role: Role }
  | { kind: 'platform_admin' };

/**
 * Who may call a route: `public` (health, docs, signed webhooks that verify themselves), `platform_admin` (the
 * PLINTH_ADMIN_TOKEN), or the least tenant role required. The HTTP layer enforces it before the handler runs.
 */
export type RouteAccess = 'public' | 'platform_admin' | Role;

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

export function actorOf(principal: Principal): Actor {
  return principal.kind === 'api_key'
    ? { type: 'api_key', id: principal.apiKeyId }
    : { type: 'admin', id: null };
}

/** The tenant scope of an authenticated tenant request. */
export function scopeOf(req: { principal?: Principal; id: string }): Scope {
  const p = req.principal;
  if (p?.kind !== 'api_key')
    return raise(failure('unauthorized', 'unauthorized', 'a tenant API key is required'));
  return { tenantId: p.tenantId, actor: actorOf(p), requestId: req.id };
}
