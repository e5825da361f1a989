import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ConfigurationError } from '../kernel/errors.js';
import type { Logger } from '../kernel/logging.js';
import { type Failure, FailureError, type FailureKind, type FieldIssue } from '../kernel/result.js';
import { toFieldIssues } from '../kernel/validation.js';

/** RFC 9457 problem details, with a stable `code` and, for validation, the failing field paths. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  request_id?: string;
  errors?: FieldIssue[];
  [extra: string]: unknown;
}

export const STATUS: Record<FailureKind, number> = {
  invalid: 400,
  unauthorized: 401,
  payment_required: 402,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  too_large: 413,
  unsupported_media: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemOf(f: Failure, status = STATUS[f.kind]): Problem {
  // Extra members never replace the standard ones (a failure's own `status` must not become the HTTP status).
  return {
    ...f.extra,
    type: `urn:plinth:problem:${f.code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail: f.message,
    code: f.code,
    ...(f.fields && { errors: f.fields }),
  };
}

export function sendProblem(reply: FastifyReply, req: FastifyRequest, problem: Problem): FastifyReply {
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer');
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send({ ...problem, instance: req.url, request_id: req.id });
}

/** Fastify's own errors (body parsing, limits, validation) as failures. */
function frameworkFailure(error: FastifyError): Failure | undefined {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext;
    const fields = toFieldIssues(
      error.validation.map((v) => ({
        path: v.instancePath.split('/').filter(Boolean),
        code: v.keyword,
        message: v.message ?? 'invalid',
        keys: (v.params as { keys?: string[] }).keys,
      })),
      where === 'body' ? undefined : where,
    );
    return {
      kind: 'invalid',
      code: 'validation_failed',
      message: fields.map((f) => `${f.path}: ${f.message}`).join('; '),
      fields,
    };
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { kind: 'invalid', code: 'malformed_json', message: 'the request body is not valid JSON' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return {
        kind: 'too_large',
        code: 'body_too_large',
        message: 'the request body is larger than allowed',
      };
    // More parts than the route reads: malformed for that route, not too large.
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return { kind: 'invalid', code: 'too_many_parts', message: 'the upload has more parts than allowed' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        kind: 'unsupported_media',
        code: 'unsupported_media_type',
        message: 'unsupported content type',
      };
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return { kind: 'invalid', code: 'bad_request', message: error.message };
  }
  return undefined;
}

const INTERNAL = problemOf(
  { kind: 'unavailable', code: 'internal_error', message: 'an unexpected error occurred' },
  500,
);

export function errorHandler(logger: Logger) {
  return (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof FailureError) return sendProblem(reply, req, problemOf(error.failure));
    const framework = frameworkFailure(error);
    if (framework) {
      const status =
        framework.code === 'bad_request' && error.statusCode ? error.statusCode : STATUS[framework.kind];
      return sendProblem(reply, req, problemOf(framework, status));
    }
    if (error instanceof ConfigurationError) {
      logger.error({ reqId: req.id, code: error.code, msg: error.message }, 'configuration error');
      // The message names what is misconfigured (never a secret): a tenant's admin can act on it. A caller the
      // server has not authenticated (a card network, a webhook sender, a browser on an OAuth callback) learns
      // nothing of the server's insides: the log has the detail.
      if (!req.principal) return sendProblem(reply, req, INTERNAL);
      return sendProblem(
        reply,
        req,
        problemOf({ kind: 'unavailable', code: error.code, message: error.message }, 500),
      );
    }
    logger.error({ reqId: req.id, err: error }, 'unhandled error');
    return sendProblem(reply, req, INTERNAL);
  };
}
