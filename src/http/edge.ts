import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldIssue } from '../kernel/result.js';
import { unstorableFields } from '../kernel/text.js';
import { problemOf, sendProblem } from './errors.js';

/** The longest path parameter the router matches (Fastify's `maxParamLength`, left at its default). */
export const MAX_PATH_PARAMETER = 100;

const invalid = (fields: FieldIssue[]) =>
  problemOf({
    kind: 'invalid',
    code: 'validation_failed',
    message: fields.map((f) => `${f.path}: ${f.message}`).join('; '),
    fields,
  });

/**
 * Refuses, for every route, before its schema runs, text that PostgreSQL cannot store (a NUL, a lone surrogate)
 * in path parameters, the query string and a parsed JSON body, naming each field. Without it such text reached
 * the database and came back as a 500, or was stored altered (PGlite turns a lone surrogate into U+FFFD).
 * Raw bodies (the card relay's signed bytes) are the route's own wire parser's business.
 */
export function registerEdgeValidation(app: FastifyInstance): void {
  app.addHook('preValidation', (req, reply, done) => {
    const body = req.body;
    const fields = [
      ...unstorableFields(req.params, 'params'),
      ...unstorableFields(req.query, 'querystring'),
      ...(body !== null && typeof body === 'object' && !Buffer.isBuffer(body) ? unstorableFields(body) : []),
    ];
    if (fields.length === 0) return done();
    sendProblem(reply, req, invalid(fields));
  });
}

const PLACEHOLDER = '~plinth-edge~';

/**
 * The path parameters a URL the router refused would have filled: each segment that cannot be decoded, or that is
 * longer than a parameter may be, is replaced by a placeholder and the route looked up again.
 */
function refusedParameters(req: FastifyRequest, tooLong: boolean): string[] {
  const [path = ''] = req.url.split('?');
  const segments = path.split('/');
  const bad = segments.map((s) => {
    try {
      return decodeURIComponent(s).length > MAX_PATH_PARAMETER && tooLong;
    } catch {
      return true;
    }
  });
  const probe = segments.map((s, i) => (bad[i] ? PLACEHOLDER : s)).join('/');
  const route = req.server.findRoute({ method: req.method as 'GET', url: probe });
  const params = (route?.params ?? {}) as Record<string, string>;
  return Object.entries(params)
    .filter(([, v]) => v === PLACEHOLDER)
    .map(([name]) => `params.${name}`);
}

/**
 * Fastify's `frameworkErrors`: what the router refuses before any route runs (a path that does not decode as
 * UTF-8, a path parameter over 100 characters) as problem+json naming the parameter, instead of Fastify's own body.
 */
export function edgeFrameworkErrors(
  decorate: (reply: FastifyReply, req: FastifyRequest) => void,
): (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => void {
  return (error, req, reply) => {
    decorate(reply, req);
    const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
    const message = tooLong
      ? `longer than ${MAX_PATH_PARAMETER} characters`
      : 'not a valid percent-encoded UTF-8 path segment';
    const named = refusedParameters(req, tooLong);
    const fields = (named.length > 0 ? named : ['url']).map((path) => ({ path, message }));
    const problem = invalid(fields);
    sendProblem(reply, req, tooLong ? { ...problem, status: 414, title: 'URI Too Long' } : problem);
  };
}
