import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The headers every answer of a JSON API that carries keys and customer data should have (OWASP's REST security
 * list): no MIME sniffing, never stored by a browser or a shared cache (a tenant's first API key, masked secrets
 * and customer records all travel in ordinary responses, so `no-store` goes on every one rather than on a list of
 * routes that would drift), nothing may run or be framed from a response, no referrer leaks.
 */
const API = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
} as const;

/** The interactive docs are a page with scripts and styles: they may run, but not be framed, and may be cached. */
const DOCS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;

/** One year, subdomains included: sent only when Plinth is reached over HTTPS (PLINTH_PUBLIC_URL). */
const HSTS = 'max-age=31536000; includeSubDomains';

export function securityHeaders(publicUrl: string): (reply: FastifyReply, req: FastifyRequest) => void {
  const https = new URL(publicUrl).protocol === 'https:';
  return (reply, req) => {
    reply.headers(req.url === '/docs' || req.url.startsWith('/docs/') ? DOCS : API);
    if (https) reply.header('strict-transport-security', HSTS);
    reply.header('x-request-id', req.id);
  };
}

/** Set as the request arrives (a synchronous hook), so every answer carries them, errors included. */
export function registerSecurityHeaders(app: FastifyInstance, publicUrl: string): void {
  const set = securityHeaders(publicUrl);
  app.addHook('onRequest', (req, reply, done) => {
    set(reply, req);
    done();
  });
}
