/**
 * Stripe's error envelope `{ error: { type, code, decline_code, message, param, ... } }` with its HTTP statuses:
 * 400 invalid request, 401 bad key, 402 card error, 404 missing resource, 409 idempotency conflict.
 * `saved` follows Stripe's idempotency rule: a result is stored only when the endpoint started executing, so
 * parameter validation failures are not replayed but declines and state errors are.
 */
export class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly error: Record<string, unknown>,
    readonly saved: boolean,
  ) {
    super(String(error.message));
  }
}

const docUrl = (code: string) => `https://stripe.com/docs/error-codes/${code.replaceAll('_', '-')}`;

export function invalidRequest(message: string, opts: { param?: string; code?: string } = {}): StripeError {
  return new StripeError(
    400,
    {
      type: 'invalid_request_error',
      ...(opts.code ? { code: opts.code, doc_url: docUrl(opts.code) } : {}),
      message,
      ...(opts.param ? { param: opts.param } : {}),
    },
    false,
  );
}

export const missingParam = (param: string): StripeError =>
  invalidRequest(`Missing required param: ${param}.`, { param, code: 'parameter_missing' });

export const invalidParam = (
  param: string,
  message: string,
  code = 'parameter_invalid_string',
): StripeError => invalidRequest(message, { param, code });

export function notFound(kind: string, id: string, param = 'id'): StripeError {
  return new StripeError(
    404,
    {
      type: 'invalid_request_error',
      code: 'resource_missing',
      doc_url: docUrl('resource_missing'),
      message: `No such ${kind}: '${id}'`,
      param,
    },
    false,
  );
}

/** An operation the object's state does not allow; Stripe attaches the object, and the result is stored. */
export function stateError(
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
  param?: string,
): StripeError {
  return new StripeError(
    400,
    {
      type: 'invalid_request_error',
      code,
      doc_url: docUrl(code),
      message,
      ...(param ? { param } : {}),
      ...extra,
    },
    true,
  );
}

export function cardError(body: Record<string, unknown>): StripeError {
  return new StripeError(402, { type: 'card_error', ...body }, true);
}

export function authError(message: string): StripeError {
  return new StripeError(401, { type: 'invalid_request_error', message }, false);
}
