import type { Fault, SimServer } from './server.js';

/**
 * The fault controls the payment simulators offer, over the shared server's `inject`: each takes the vendor's
 * own way of naming which requests it applies to (`target`), and the vendor's error bodies.
 */
export type DropHow = 'hang' | 'reset' | 'late';

export interface FaultControls<T> {
  /** The next matching requests get 429 with `Retry-After` (seconds). */
  rateLimit(opts?: T & { retryAfter?: number }): void;
  /** The next matching requests fail with a 5xx. */
  failWith(opts?: T & { status?: number }): void;
  /** Answers late: waits `delayMs`, then handles the request and answers. */
  slow(opts: T & { delayMs: number }): void;
  /** Never answers and does nothing (the request did not reach the vendor). */
  timeout(opts?: T): void;
  /**
   * Does the work, then fails to answer: `hang` (default, the client times out), `reset` (socket closed), or
   * `late` (answers after `delayMs`). The charge has happened; only a retry the vendor recognizes is safe.
   */
  dropAnswer(opts?: T & { how?: DropHow; delayMs?: number }): void;
}

export interface VendorFaultBodies {
  rateLimited: { headers?: Record<string, string>; body: unknown };
  failed: (status: number) => unknown;
  defaultFailureStatus: number;
}

export function faultControls<T>(
  server: SimServer,
  target: (t?: T) => Fault,
  vendor: VendorFaultBodies,
): FaultControls<T> {
  return {
    rateLimit: (o) =>
      server.inject({
        ...target(o),
        status: 429,
        headers: { ...vendor.rateLimited.headers, 'retry-after': String(o?.retryAfter ?? 1) },
        body: vendor.rateLimited.body,
      }),
    failWith: (o) => {
      const status = o?.status ?? vendor.defaultFailureStatus;
      server.inject({ ...target(o), status, body: vendor.failed(status) });
    },
    slow: (o) => server.inject({ ...target(o), delayMs: o.delayMs }),
    timeout: (o) => server.inject({ ...target(o), hang: true }),
    dropAnswer: (o) => {
      const how = o?.how ?? 'hang';
      server.inject({
        ...target(o),
        process: true,
        hang: how === 'hang',
        reset: how === 'reset',
        delayMs: how === 'late' ? (o?.delayMs ?? 1000) : undefined,
      });
    },
  };
}
