import { randomBytes } from 'node:crypto';
import { type SimRequest, type SimResponse, type SimServer, startSimServer } from '../shared/server.js';
import { listActivities } from './activities.js';
import { type AlpacaActivity, type AlpacaSimData, seedAlpacaData } from './seed.js';

/**
 * A wire-compatible stand-in for Alpaca's Trading API: account, positions and account activities behind the
 * `APCA-API-KEY-ID` / `APCA-API-SECRET-KEY` headers. Paper (`paper-api.alpaca.markets`) and live
 * (`api.alpaca.markets`) differ only in their base URL, so one simulator serves for both.
 *
 * Errors use Alpaca's `{"code": 40110000, "message": ...}` envelope; every response carries the
 * `X-RateLimit-*` headers, and an injected 429 says when the window resets there (and, optionally, in
 * `Retry-After`).
 */

export { fill, nonTrade, pseudoUuid } from './seed.js';
export type { AlpacaActivity, AlpacaSimData };

export interface AlpacaSimKey {
  keyId: string;
  secretKey: string;
  /** A key that authenticates but may not use the API (Alpaca's 403). */
  disabled?: boolean;
}

export interface AlpacaSimulatorOptions {
  port?: number;
  keys?: AlpacaSimKey[];
  data?: AlpacaSimData;
  /** For the `X-RateLimit-Reset` header (default: the real clock). */
  now?: () => number;
}

export interface AlpacaSimulator extends SimServer {
  readonly key: AlpacaSimKey;
  readonly keys: AlpacaSimKey[];
  /** Live data: tests may add activities or edit the account. */
  readonly data: AlpacaSimData;
  addActivities(...activities: AlpacaActivity[]): void;
  /** The next `times` matching requests get 429; the window resets `resetInSeconds` from now. */
  rateLimit(opts?: {
    path?: string | RegExp;
    resetInSeconds?: number;
    retryAfter?: string;
    times?: number;
  }): void;
  /** The next `times` matching requests fail with a 5xx. */
  failWith(opts?: { path?: string | RegExp; status?: number; times?: number }): void;
}

export const DEFAULT_ALPACA_KEY: AlpacaSimKey = {
  keyId: 'PKSIMULATOR0000000001',
  secretKey: 'sim0secret0key0for0plinth0alpaca0simulator0',
};

const RATE_LIMIT = 200;

export async function startAlpacaSimulator(opts: AlpacaSimulatorOptions = {}): Promise<AlpacaSimulator> {
  const keys = opts.keys ?? [{ ...DEFAULT_ALPACA_KEY }];
  const data = opts.data ?? seedAlpacaData();
  const now = opts.now ?? Date.now;
  // Alpaca allows 200 requests a minute per account; the window here is the calendar minute.
  let window = 0;
  let used = 0;
  const resetAt = () => Math.ceil((now() + 1) / 60_000) * 60;
  const rateLimitError = { code: 42910000, message: 'rate limit exceeded' };

  const guarded =
    (handler: (req: SimRequest) => SimResponse) =>
    (req: SimRequest): SimResponse => {
      if (resetAt() !== window) {
        window = resetAt();
        used = 0;
      }
      used++;
      const headers = {
        'x-ratelimit-limit': String(RATE_LIMIT),
        'x-ratelimit-remaining': String(Math.max(0, RATE_LIMIT - used)),
        'x-ratelimit-reset': String(window),
        'x-request-id': randomBytes(16).toString('hex'),
      };
      if (used > RATE_LIMIT) return { status: 429, headers, body: rateLimitError };
      const key = keys.find((k) => k.keyId === req.headers['apca-api-key-id']);
      if (!key || key.secretKey !== req.headers['apca-api-secret-key'])
        return { status: 401, headers, body: { code: 40110000, message: 'request is not authorized' } };
      if (key.disabled) return { status: 403, headers, body: { code: 40310000, message: 'forbidden.' } };
      const res = handler(req);
      return { ...res, headers: { ...headers, ...res.headers } };
    };

  const server = await startSimServer(
    [
      { method: 'GET', path: '/v2/account', handler: guarded(() => ({ status: 200, body: data.account })) },
      {
        method: 'GET',
        path: '/v2/positions',
        handler: guarded(() => ({ status: 200, body: data.positions })),
      },
      {
        method: 'GET',
        path: '/v2/account/activities',
        handler: guarded((req) => listActivities(data.activities, req.query)),
      },
      {
        method: 'GET',
        path: '/v2/account/activities/:activity_type',
        handler: guarded((req) => listActivities(data.activities, req.query, req.params.activity_type)),
      },
    ],
    { port: opts.port },
  );

  return {
    ...server,
    key: keys[0]!,
    keys,
    data,
    addActivities: (...activities) => {
      data.activities.push(...activities);
    },
    rateLimit: ({ path, resetInSeconds = 3, retryAfter, times = 1 } = {}) =>
      server.inject({
        path,
        times,
        status: 429,
        headers: {
          'x-ratelimit-limit': String(RATE_LIMIT),
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.ceil(now() / 1000) + resetInSeconds),
          ...(retryAfter ? { 'retry-after': retryAfter } : {}),
        },
        body: rateLimitError,
      }),
    failWith: ({ path, status = 500, times = 1 } = {}) =>
      server.inject({
        path,
        times,
        status,
        body: { code: 50010000, message: 'internal server error occurred' },
      }),
  };
}
