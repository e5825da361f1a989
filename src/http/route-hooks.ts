import type { RouteOptions } from 'fastify';

type HookName = 'onRequest' | 'preHandler' | 'onSend';

/**
 * Adds a hook to one route, from an `onRoute` hook. A hook added with `app.addHook` runs on every request; one
 * added here runs only on the routes that need it (the card relay, for one, needs neither API-key auth nor
 * Idempotency-Key handling, and answers a card network within its deadline).
 */
export function addRouteHook(route: RouteOptions, name: HookName, hook: unknown): void {
  const existing = route[name] as unknown;
  const hooks = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  (route as unknown as Record<HookName, unknown[]>)[name] = [...hooks, hook];
}
