/**
 * Expected business outcomes (declined, duplicate, not found, invalid transition) are values, not exceptions.
 * A Failure carries a stable `code` that clients can switch on, and a `kind` that the HTTP layer maps to a status.
 */
export type FailureKind =
  | 'invalid' // the request is malformed (400)
  | 'unauthorized' // no or bad credentials (401)
  | 'payment_required' // a payment was declined (402)
  | 'forbidden' // authenticated but not allowed (403)
  | 'not_found' // absent, or belongs to another tenant (404)
  | 'conflict' // the resource's state forbids it (409)
  | 'precondition_failed' // an If-Match named a version the resource has moved past (412)
  | 'too_large' // (413)
  | 'unsupported_media' // (415)
  | 'unprocessable' // well-formed but semantically wrong (422)
  | 'rate_limited' // (429)
  | 'unavailable'; // a dependency is down (503)

export interface FieldIssue {
  /** Dotted path into the request body, e.g. `terms.annual_interest_rate` or `payments.3.amount`. */
  path: string;
  message: string;
}

export interface Failure {
  kind: FailureKind;
  code: string;
  message: string;
  fields?: FieldIssue[];
  /** Extra members for the problem document (e.g. `supported_keys`). Never put secrets here. */
  extra?: Record<string, unknown>;
}

export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<E> = { readonly ok: false; readonly error: E };
export type Result<T, E = Failure> = Ok<T> | Err<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E>(error: E): Err<E> => ({ ok: false, error });

export function failure(
  kind: FailureKind,
  code: string,
  message: string,
  more: Pick<Failure, 'fields' | 'extra'> = {},
): Failure {
  return { kind, code, message, ...more };
}

export const notFound = (entity: string): Failure => failure('not_found', 'not_found', `${entity} not found`);

export const invalidField = (path: string, message: string, code = 'validation_failed'): Failure =>
  failure('unprocessable', code, `${path}: ${message}`, { fields: [{ path, message }] });

/**
 * Thrown to abandon a unit of work (rolling back its transaction) with a business failure.
 * The HTTP layer renders it exactly like a returned Err.
 */
export class FailureError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
    this.name = 'FailureError';
  }
}

export function raise(f: Failure): never {
  throw new FailureError(f);
}

/** Returns the value, or throws the failure so that an enclosing transaction rolls back. */
export function unwrap<T>(r: Result<T, Failure>): T {
  if (r.ok) return r.value;
  throw new FailureError(r.error);
}
