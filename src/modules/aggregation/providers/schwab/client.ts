import { z } from 'zod';
import { addDays, type CalendarDate, startOfDayInZone } from '../../../../kernel/dates.js';
import { ProviderError } from '../../../../kernel/errors.js';
import { createHttpClient, type HttpTuning } from '../../../../kernel/http-client.js';
import { classifySchwabError, SCHWAB_PROVIDER, schwabErrorCode } from './errors.js';
import { SCHWAB_TIME_ZONE, type SchwabAccountPayload } from './mappers.js';
import { SCHWAB_API_BASE_URL } from './oauth.js';

/**
 * The Trader API calls aggregation needs. Schwab never accepts a plain account number in a URL: accounts are
 * listed through `/accounts/accountNumbers`, and every per-account call uses the account's `hashValue`.
 *
 * Transactions are fetched in windows of at most 60 days. Schwab's OpenAPI document types `types` as a single
 * enum, but the API takes a comma-separated list (the widely used schwab-py client sends all fifteen types in
 * one call), so each window is one call for every type rather than fifteen. Schwab returns at most 3000
 * transactions per call and silently drops the rest; a window that comes back full is split and fetched again.
 */

export const SCHWAB_TRANSACTION_TYPES = [
  'TRADE',
  'RECEIVE_AND_DELIVER',
  'DIVIDEND_OR_INTEREST',
  'ACH_RECEIPT',
  'ACH_DISBURSEMENT',
  'CASH_RECEIPT',
  'CASH_DISBURSEMENT',
  'ELECTRONIC_FUND',
  'WIRE_OUT',
  'WIRE_IN',
  'JOURNAL',
  'MEMORANDUM',
  'MARGIN_CALL',
  'MONEY_MARKET',
  'SMA_ADJUSTMENT',
] as const;
export type SchwabTransactionType = (typeof SCHWAB_TRANSACTION_TYPES)[number];

export interface SchwabAccountRef {
  accountNumber: string;
  hashValue: string;
}

export interface SchwabClientOptions {
  /** Current access token; called before each request so a refreshed token is picked up. */
  accessToken: () => string | Promise<string>;
  baseUrl?: string;
  http?: HttpTuning;
  /** Longest date range per transactions call (Schwab: 60 days). */
  windowDays?: number;
  /** Transactions Schwab returns per call before dropping the rest (3000). */
  maxPerResponse?: number;
}

export interface SchwabClient {
  accountNumbers(): Promise<SchwabAccountRef[]>;
  /** Every linked account with balances and positions, each joined with its hash. */
  fetchAccounts(): Promise<SchwabAccountPayload[]>;
  fetchAccount(hashValue: string): Promise<unknown>;
  /** Raw positions (`securitiesAccount.positions`) for `mapSchwabPositions`. */
  fetchPositions(hashValue: string): Promise<unknown[]>;
  /** Raw transactions whose time falls on `start`..`end` (New York dates), for `mapSchwabTransactions`. */
  fetchTransactions(
    hashValue: string,
    start: CalendarDate,
    end: CalendarDate,
    opts?: { types?: readonly SchwabTransactionType[] },
  ): Promise<unknown[]>;
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;
// A window this short that still comes back full cannot be split usefully.
const MIN_WINDOW_MS = 60_000;

const accountNumbersBody = z.array(
  z.object({ accountNumber: z.string().min(1), hashValue: z.string().min(1) }),
);
const listBody = z.array(z.unknown());
const accountBody = z
  .object({
    securitiesAccount: z
      .object({ accountNumber: z.string(), positions: z.array(z.unknown()).optional() })
      .loose(),
  })
  .loose();

export function createSchwabClient(opts: SchwabClientOptions): SchwabClient {
  const http = createHttpClient({
    baseUrl: opts.baseUrl ?? SCHWAB_API_BASE_URL,
    provider: SCHWAB_PROVIDER,
    errorCode: schwabErrorCode,
    classify: classifySchwabError,
    ...opts.http,
  });
  const windowMs = (opts.windowDays ?? 60) * DAY_MS;
  const maxPerResponse = opts.maxPerResponse ?? 3000;

  async function get(path: string, query?: Record<string, string>) {
    const token = await opts.accessToken();
    return http.request({ method: 'GET', path, query, headers: { authorization: `Bearer ${token}` } });
  }

  const accountPath = (hash: string) => `/trader/v1/accounts/${encodeURIComponent(hash)}`;

  async function accountNumbers() {
    return (await get('/trader/v1/accounts/accountNumbers')).json(accountNumbersBody);
  }

  async function fetchAccount(hashValue: string) {
    return (await get(accountPath(hashValue), { fields: 'positions' })).json(accountBody);
  }

  async function transactionsIn(hash: string, from: number, to: number, types: string): Promise<unknown[]> {
    const res = await get(`${accountPath(hash)}/transactions`, {
      startDate: new Date(from).toISOString(),
      endDate: new Date(to).toISOString(),
      types,
    });
    const rows = res.json(listBody);
    if (rows.length < maxPerResponse) return rows;
    if (to - from < MIN_WINDOW_MS)
      throw new ProviderError(
        'invalid_response',
        `schwab returned ${rows.length} transactions for one minute; the rest cannot be fetched`,
        { provider: SCHWAB_PROVIDER },
      );
    const mid = from + Math.floor((to - from) / 2);
    return [
      ...(await transactionsIn(hash, from, mid, types)),
      ...(await transactionsIn(hash, mid + 1, to, types)),
    ];
  }

  return {
    accountNumbers,

    async fetchAccounts() {
      const refs = await accountNumbers();
      const accounts = (await get('/trader/v1/accounts', { fields: 'positions' })).json(listBody);
      const hashes = new Map(refs.map((r) => [r.accountNumber, r.hashValue]));
      return accounts.map((account) => {
        const number = (account as { securitiesAccount?: { accountNumber?: unknown } } | null)
          ?.securitiesAccount?.accountNumber;
        return { hashValue: (typeof number === 'string' && hashes.get(number)) || null, account };
      });
    },

    fetchAccount,

    async fetchPositions(hashValue) {
      return (await fetchAccount(hashValue)).securitiesAccount.positions ?? [];
    },

    async fetchTransactions(hashValue, start, end, o = {}) {
      const types = (o.types ?? SCHWAB_TRANSACTION_TYPES).join(',');
      const from = startOfDayInZone(start, SCHWAB_TIME_ZONE).getTime();
      const to = startOfDayInZone(addDays(end, 1), SCHWAB_TIME_ZONE).getTime() - 1;
      const seen = new Set<string>();
      const out: unknown[] = [];
      for (let w = from; w <= to; w += windowMs) {
        // Windows do not overlap to the millisecond; should Schwab compare edges more coarsely, an activity on an
        // edge could come back twice. Keep each once.
        for (const row of await transactionsIn(hashValue, w, Math.min(to, w + windowMs - 1), types)) {
          const id = (row as { activityId?: unknown } | null)?.activityId;
          const key = id === undefined || id === null ? null : String(id);
          if (key !== null && seen.has(key)) continue;
          if (key !== null) seen.add(key);
          out.push(row);
        }
      }
      return out;
    },

    close: () => http.close(),
  };
}
