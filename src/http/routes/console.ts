import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { PROJECT_ROOT } from '../../kernel/paths.js';
import { problemOf, sendProblem } from '../errors.js';

/** Where `npm run build` (and `npm install`, through `prepare`) writes the console. */
export const CONSOLE_DIR = join(PROJECT_ROOT, 'dist', 'console');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

// The console talks to this origin (and the document store the operator names for uploads) only, and runs no
// script it did not ship.
const csp = (connectSrc: readonly string[]) =>
  `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ${["'self'", ...connectSrc].join(' ')}; ` +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * The operator console: a single-page application served from memory under /console. Its assets have hashed
 * names and are cached for good; every other path under /console is the page itself (index.html), so deep links
 * work and the browser's router takes over.
 */
export const consoleRoutes: FastifyPluginAsync<{ dir?: string; connectSrc?: readonly string[] }> = async (
  app,
  opts,
) => {
  const dir = opts.dir ?? CONSOLE_DIR;
  const CSP = csp(opts.connectSrc ?? []);
  const files = new Map<string, Buffer>();
  if (existsSync(join(dir, 'index.html')))
    for (const name of readdirSync(dir)) files.set(name, readFileSync(join(dir, name)));
  const index = files.get('index.html');

  const page = (reply: FastifyReply) => {
    if (!index) return undefined;
    return reply
      .type(TYPES['.html']!)
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(index);
  };
  const notBuilt = {
    kind: 'unavailable',
    code: 'console_not_built',
    message: 'the console is not built: run `npm run build` (npm install does it)',
  } as const;

  const access = { access: 'public' } as const;
  app.get('/console', { config: access, schema: { hide: true } }, (_req, reply) =>
    reply.redirect('/console/'),
  );
  app.get('/console/*', { config: access, schema: { hide: true } }, (req, reply) => {
    const rest = (req.params as { '*': string })['*'];
    const asset = rest.startsWith('assets/') ? files.get(rest.slice('assets/'.length)) : undefined;
    if (asset) {
      return reply
        .type(TYPES[extname(rest)] ?? 'application/octet-stream')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .send(asset);
    }
    if (rest.startsWith('assets/') && index)
      return sendProblem(
        reply,
        req,
        problemOf({ kind: 'not_found', code: 'not_found', message: 'no such asset' }),
      );
    return page(reply) ?? sendProblem(reply, req, problemOf(notBuilt));
  });
};
