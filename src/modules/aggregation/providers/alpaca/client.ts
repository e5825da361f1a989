import { z } from 'zod';
import { addDays, type CalendarDate, startOfDayInZone } from '../../../../kernel/dates.js';
import { ProviderError } from '../../../../kernel/errors.js';
import { createHttpClient, type HttpTuning } from '../../../../kernel/http-client.js';
import { err, failure, ok, type Result } from '../../../../kernel/result.js';
import { maskAccountNumber } from '../../domain/mapping.js';
import { ALPACA_PROVIDER, alpacaErrorCode, alpacaRetryAfter, classifyAlpacaError } from './errors.js';
import { ALPACA_TIME_ZONE } from './mappers.js';

/**
 * Alpaca's Trading API over the kernel HTTP client (why not the official SDK: see README.md). Paper and live
 * trading differ only in the base URL, which comes from the provider configuration.
 *
 * Account activities page by cursor: each page is requested with `page_token` set to the id of the last
 * activity of the page before, oldest first, 100 at a time, until a page comes back short.
 */

export const ALPACA_LIVE_BASE_URL = 'https://api.alpaca.markets';
export const ALPACA_PAPER_BASE_URL = 'https://paper-api.alpaca.markets';
const PAGE_SIZE = 100;

export interface AlpacaClientOptions {
  /** `ALPACA_PAPER_BASE_URL`, `ALPACA_LIVE_BASE_URL`, or a simulator. */
  baseUrl: string;
  keyId: string;
  secretKey: string;
  http?: HttpTuning;
}

export interface AlpacaCredentialCheck {
  accountId: string;
  accountNumberMasked: string | null;
  status: string;
}

export interface AlpacaClient {
  getAccount(): Promise<Record<string, unknown>>;
  getPositions(): Promise<unknown[]>;
  /** Every activity in the exclusive bounds, oldest first, across all pages. */
  listActivities(opts?: {
    activityTypes?: readonly string[];
    after?: Date;
    until?: Date;
  }): Promise<unknown[]>;
  /** Every activity on `start`..`end`, New York dates. */
  fetchActivities(
    start: CalendarDate,
    end: CalendarDate,
    opts?: { activityTypes?: readonly string[] },
  ): Promise<unknown[]>;
  /** Whether Alpaca accepts the key pair; outages and rate limits still throw. */
  validateCredentials(): Promise<Result<AlpacaCredentialCheck>>;
  close(): Promise<void>;
}

const accountBody = z
  .object({ id: z.string().min(1), status: z.string(), account_number: z.string().optional() })
  .loose();
const listBody = z.array(z.unknown());

export function createAlpacaClient(opts: AlpacaClientOptions): AlpacaClient {
  if (!opts.keyId || !opts.secretKey)
    throw new ProviderError('configuration', 'alpaca needs both an API key id and a secret key', {
      provider: ALPACA_PROVIDER,
    });
  const http = createHttpClient({
    baseUrl: opts.baseUrl,
    provider: ALPACA_PROVIDER,
    defaultHeaders: { 'apca-api-key-id': opts.keyId, 'apca-api-secret-key': opts.secretKey },
    errorCode: alpacaErrorCode,
    classify: classifyAlpacaError,
    retryAfter: alpacaRetryAfter,
    ...opts.http,
  });

  const getAccount = async () =>
    (await http.request({ method: 'GET', path: '/v2/account' })).json(accountBody);

  async function listActivities(o: { activityTypes?: readonly string[]; after?: Date; until?: Date } = {}) {
    const out: unknown[] = [];
    let pageToken: string | undefined;
    for (;;) {
      const res = await http.request({
        method: 'GET',
        path: '/v2/account/activities',
        query: {
          activity_types: o.activityTypes?.length ? o.activityTypes.join(',') : undefined,
          after: o.after?.toISOString(),
          until: o.until?.toISOString(),
          direction: 'asc',
          page_size: PAGE_SIZE,
          page_token: pageToken,
        },
      });
      const page = res.json(listBody);
      out.push(...page);
      if (page.length < PAGE_SIZE) return out;
      const last = (page.at(-1) as { id?: unknown } | null)?.id;
      if (typeof last !== 'string' || !last || last === pageToken)
        throw new ProviderError(
          'invalid_response',
          'alpaca activities page ends without a usable id to continue from',
          {
            provider: ALPACA_PROVIDER,
          },
        );
      pageToken = last;
    }
  }

  return {
    getAccount,
    async getPositions() {
      return (await http.request({ method: 'GET', path: '/v2/positions' })).json(listBody);
    },
    listActivities,
    fetchActivities(start, end, o = {}) {
      // `after` and `until` are exclusive: start one millisecond before the first day begins.
      const after = new Date(startOfDayInZone(start, ALPACA_TIME_ZONE).getTime() - 1);
      const until = startOfDayInZone(addDays(end, 1), ALPACA_TIME_ZONE);
      return listActivities({ activityTypes: o.activityTypes, after, until });
    },
    async validateCredentials() {
      try {
        const account = await getAccount();
        return ok({
          accountId: account.id,
          accountNumberMasked: account.account_number ? maskAccountNumber(account.account_number) : null,
          status: account.status,
        });
      } catch (e) {
        // Alpaca's reason is its code and status (its message texts are not read): 40110000 is an unknown key or
        // a wrong secret, 40310000 a key that may not use this account (disabled, or paper key on live).
        if (e instanceof ProviderError && e.kind === 'authentication') {
          const { status, vendorCode } = e.details;
          const reason = `HTTP ${status ?? '?'}${vendorCode ? `, code ${vendorCode}` : ''}`;
          return err(
            failure(
              'unprocessable',
              'invalid_credentials',
              `Alpaca rejected the API key and secret (${reason})`,
              {
                extra: { provider_status: status ?? null, provider_code: vendorCode ?? null },
              },
            ),
          );
        }
        throw e;
      }
    },
    close: () => http.close(),
  };
}
