import { StripeError } from './errors.js';

/**
 * Stripe's idempotency keys: the first request with a key stores its result (status and body) for 24 hours;
 * a retry with the same key and the same parameters gets that result again with `Idempotent-Replayed: true`;
 * the same key with other parameters, or on another endpoint, is a 400 `idempotency_error`; a retry that
 * arrives while the first is still running is a 409 (the SDK retries those).
 */
export interface StoredResult {
  status: number;
  body: unknown;
  requestId: string;
}

interface Entry {
  endpoint: string;
  params: string;
  at: number;
  result: StoredResult | null;
}

export type Claim =
  | { kind: 'replay'; result: StoredResult }
  | { kind: 'run'; settle: (r: StoredResult | null) => void };

const TTL_MS = 24 * 60 * 60 * 1000;

const idempotencyError = (status: number, message: string) =>
  new StripeError(status, { type: 'idempotency_error', message }, false);

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  /** Reserves `key` for this request or returns what to replay; throws the error Stripe answers. */
  claim(scope: string, key: string, endpoint: string, params: string, now = Date.now()): Claim {
    if (key.length > 255)
      throw new StripeError(
        400,
        {
          type: 'invalid_request_error',
          message: 'Invalid Idempotency-Key: must be 255 characters or fewer.',
        },
        false,
      );
    const id = `${scope}\u0000${key}`;
    const existing = this.entries.get(id);
    if (existing && now - existing.at < TTL_MS) {
      if (existing.endpoint !== endpoint || existing.params !== params)
        throw idempotencyError(
          400,
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      if (!existing.result)
        throw idempotencyError(
          409,
          `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
        );
      return { kind: 'replay', result: existing.result };
    }
    const entry: Entry = { endpoint, params, at: now, result: null };
    this.entries.set(id, entry);
    return {
      kind: 'run',
      settle: (r) => {
        if (r) entry.result = r;
        else this.entries.delete(id);
      },
    };
  }

  size(): number {
    return this.entries.size;
  }
}
