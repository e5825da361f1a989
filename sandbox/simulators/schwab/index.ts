import { createHash, randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { type SimServer, startSimServer } from '../shared/server.js';
import { createSimClock, type SimClock } from './clock.js';
import { createOAuthServer, type SchwabSimClient, type TokenPair } from './oauth.js';
import { seedSchwabAccounts } from './seed.js';
import { createTraderRoutes } from './trader.js';
import type { SchwabSimAccount, SchwabSimTransaction } from './wire.js';

/**
 * A wire-compatible stand-in for Schwab's OAuth server and Trader API (accounts, positions, transactions), with
 * a settable clock for token expiry and knobs for the failures a real integration meets: 429 with Retry-After,
 * 5xx, expired access tokens, refresh-token rotation and the 7-day refresh-token limit.
 */

export { SEED_CASH_ACCOUNT, SEED_MARGIN_ACCOUNT } from './seed.js';
export { cashMovement, position, SCHWAB_TRANSACTION_TYPES, schwabTime, trade } from './wire.js';
export type { SchwabSimAccount, SchwabSimClient, SchwabSimTransaction, TokenPair };

export interface SchwabSimulatorOptions {
  port?: number;
  /** Where the fake clock starts (default: now). */
  startTime?: Date | number;
  clients?: SchwabSimClient[];
  /** Linked accounts with their positions and transactions (default: the seed). */
  accounts?: SchwabSimAccount[];
  rotateRefreshTokens?: boolean;
  /** The longest transactions date range accepted in one call (default 60 days). */
  maxTransactionRangeDays?: number;
  /** Transactions returned per call before the rest are silently dropped (Schwab: 3000). */
  maxTransactionsPerResponse?: number;
  /** Salt of the opaque account hashes, so two simulators can hand out different hashes. */
  hashSalt?: string;
}

export interface SchwabSimulator extends SimServer {
  readonly clock: SimClock;
  /** Live data: tests may push transactions or edit balances. */
  readonly accounts: SchwabSimAccount[];
  readonly client: SchwabSimClient;
  /** The `hashValue` Schwab would hand out for an account number. */
  hashOf(accountNumber: string): string;
  /** A code as the authorize redirect would carry it, without the browser round trip. */
  mintAuthorizationCode(opts?: { clientId?: string; redirectUri?: string }): string;
  /** Tokens as a completed authorization would grant them, for tests that only need data access. */
  issueTokens(clientId?: string): TokenPair;
  setRefreshTokenRotation(on: boolean): void;
  setConsent(answer: 'approve' | 'deny'): void;
  expireAccessTokens(): void;
  revokeRefreshToken(token: string): void;
  /** The next `times` matching requests get 429 with `Retry-After`. */
  rateLimit(opts?: { path?: string | RegExp; retryAfter?: string; times?: number }): void;
  /** The next `times` matching requests fail with a 5xx. */
  failWith(opts?: { path?: string | RegExp; status?: number; times?: number }): void;
}

export const DEFAULT_SCHWAB_CLIENT: SchwabSimClient = {
  clientId: 'plinth-sim-app-key',
  clientSecret: 'plinth-sim-app-secret',
  redirectUris: ['https://127.0.0.1:8182/callback', 'http://localhost:3000/v1/oauth/schwab/callback'],
};

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export async function startSchwabSimulator(opts: SchwabSimulatorOptions = {}): Promise<SchwabSimulator> {
  const clock = createSimClock(opts.startTime);
  const clients = opts.clients ?? [DEFAULT_SCHWAB_CLIENT];
  const accounts = opts.accounts ?? seedSchwabAccounts();
  const salt = opts.hashSalt ?? 'plinth-schwab-sim';
  const hashOf = (accountNumber: string) =>
    createHash('sha256').update(`${salt}:${accountNumber}`).digest('hex').toUpperCase();
  const settings = {
    accessTokenTtlMs: 30 * MINUTE,
    refreshTokenTtlMs: 7 * DAY,
    codeTtlMs: 30_000,
    rotateRefreshTokens: opts.rotateRefreshTokens ?? false,
    consent: 'approve' as 'approve' | 'deny',
  };
  const oauth = createOAuthServer(clients, clock, settings);
  const trader = createTraderRoutes(() => accounts, hashOf, oauth.authenticated, {
    maxTransactionRangeDays: opts.maxTransactionRangeDays ?? 60,
    maxTransactionsPerResponse: opts.maxTransactionsPerResponse ?? 3000,
  });
  const server = await startSimServer([...oauth.routes, ...trader], { port: opts.port });
  const defaultClient = clients[0]!;

  return {
    ...server,
    clock,
    accounts,
    client: defaultClient,
    hashOf,
    mintAuthorizationCode: (o = {}) =>
      oauth.mintCode(o.clientId ?? defaultClient.clientId, o.redirectUri ?? defaultClient.redirectUris[0]!),
    issueTokens: (clientId = defaultClient.clientId) => oauth.issueTokens(clientId),
    setRefreshTokenRotation: (on) => {
      settings.rotateRefreshTokens = on;
    },
    setConsent: (answer) => {
      settings.consent = answer;
    },
    expireAccessTokens: oauth.expireAccessTokens,
    revokeRefreshToken: oauth.revokeRefreshToken,
    rateLimit: ({ path, retryAfter = '2', times = 1 } = {}) =>
      server.inject({
        path,
        times,
        status: 429,
        headers: { 'retry-after': retryAfter },
        body: { errors: [{ id: randomUUID(), status: '429', title: 'Too Many Requests' }] },
      }),
    failWith: ({ path, status = 503, times = 1 } = {}) =>
      server.inject({
        path,
        times,
        status,
        body: {
          errors: [{ id: randomUUID(), status: String(status), title: STATUS_CODES[status] ?? 'Error' }],
        },
      }),
  };
}
