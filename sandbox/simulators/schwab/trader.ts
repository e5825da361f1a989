import { randomUUID } from 'node:crypto';
import { json, type SimRequest, type SimResponse, type SimRoute } from '../shared/server.js';
import { SCHWAB_TRANSACTION_TYPES, type SchwabSimAccount, type SchwabTransactionType } from './wire.js';

/**
 * The Trader API's account endpoints (`/trader/v1/accounts...`). As Schwab documents, plain account numbers are
 * never accepted in a URL: callers first read `/accounts/accountNumbers` and use each account's `hashValue`; a
 * plain number gets Schwab's `400 {"message":"Invalid account number"}`.
 *
 * Transactions require `startDate`, `endDate` and `types` (a comma-separated list of transaction types), cap the
 * date range, and return at most 3000 transactions, newest first, silently dropping the rest.
 */

export interface TraderSettings {
  maxTransactionRangeDays: number;
  maxTransactionsPerResponse: number;
}

const DAY_MS = 86_400_000;
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/;

const unauthorized = (): SimResponse =>
  json(401, {
    errors: [{ id: randomUUID(), status: 401, title: 'Unauthorized', detail: 'Client not authorized' }],
  });

const badRequest = (...errors: string[]): SimResponse => json(400, { message: 'Bad Request', errors });

/** Schwab writes offsets as `+0000`; Date.parse wants `+00:00`. */
export const parseSchwabInstant = (s: string): number =>
  INSTANT_RE.test(s) ? Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : Number.NaN;

function serialize(account: SchwabSimAccount, withPositions: boolean) {
  const current = account.currentBalances;
  return {
    securitiesAccount: {
      type: account.type,
      accountNumber: account.accountNumber,
      roundTrips: 0,
      isDayTrader: false,
      isClosingOnlyRestricted: false,
      pfcbFlag: false,
      ...(withPositions ? { positions: account.positions } : {}),
      initialBalances: account.initialBalances,
      currentBalances: current,
      projectedBalances: current,
    },
    aggregatedBalance: {
      currentLiquidationValue: current.liquidationValue ?? 0,
      liquidationValue: current.liquidationValue ?? 0,
    },
  };
}

export function createTraderRoutes(
  accounts: () => SchwabSimAccount[],
  hashOf: (accountNumber: string) => string,
  authenticated: (header: string | undefined) => boolean,
  settings: TraderSettings,
): SimRoute[] {
  const guarded =
    (handler: (req: SimRequest) => SimResponse): ((req: SimRequest) => SimResponse) =>
    (req) =>
      authenticated(req.headers.authorization) ? handler(req) : unauthorized();

  const byHash = (hash: string) => accounts().find((a) => hashOf(a.accountNumber) === hash);
  const withPositions = (req: SimRequest) => (req.query.get('fields') ?? '').split(',').includes('positions');

  function transactions(req: SimRequest): SimResponse {
    const account = byHash(req.params.accountNumber!);
    if (!account) return json(400, { message: 'Invalid account number' });
    const startText = req.query.get('startDate');
    const endText = req.query.get('endDate');
    const typesText = req.query.get('types');
    if (!startText || !endText) return badRequest('startDate and endDate are required');
    const start = parseSchwabInstant(startText);
    const end = parseSchwabInstant(endText);
    if (Number.isNaN(start) || Number.isNaN(end))
      return badRequest("startDate and endDate must be ISO-8601 instants (yyyy-MM-dd'T'HH:mm:ss.SSSZ)");
    if (end < start) return badRequest('endDate must not be before startDate');
    if (end - start > settings.maxTransactionRangeDays * DAY_MS)
      return badRequest(`The date range must not exceed ${settings.maxTransactionRangeDays} days`);
    if (!typesText) return badRequest('types is required');
    const types = typesText.split(',');
    const unknown = types.filter((t) => !SCHWAB_TRANSACTION_TYPES.includes(t as SchwabTransactionType));
    if (unknown.length) return badRequest(`Invalid transaction type: ${unknown.join(',')}`);
    const symbol = req.query.get('symbol');

    const matches = account.transactions
      .map((t) => ({ t, at: parseSchwabInstant(t.time) }))
      .filter(({ t, at }) => at >= start && at <= end && types.includes(t.type))
      .filter(
        ({ t }) =>
          symbol === null ||
          (t.transferItems as { instrument?: { symbol?: string } }[] | undefined)?.some(
            (i) => i.instrument?.symbol === symbol,
          ),
      )
      .sort((a, b) => b.at - a.at)
      .slice(0, settings.maxTransactionsPerResponse)
      .map(({ t }) => t);
    return json(200, matches);
  }

  return [
    {
      method: 'GET',
      path: '/trader/v1/accounts/accountNumbers',
      handler: guarded(() =>
        json(
          200,
          accounts().map((a) => ({ accountNumber: a.accountNumber, hashValue: hashOf(a.accountNumber) })),
        ),
      ),
    },
    {
      method: 'GET',
      path: '/trader/v1/accounts',
      handler: guarded((req) =>
        json(
          200,
          accounts().map((a) => serialize(a, withPositions(req))),
        ),
      ),
    },
    {
      method: 'GET',
      path: '/trader/v1/accounts/:accountNumber',
      handler: guarded((req) => {
        const account = byHash(req.params.accountNumber!);
        return account
          ? json(200, serialize(account, withPositions(req)))
          : json(400, { message: 'Invalid account number' });
      }),
    },
    {
      method: 'GET',
      path: '/trader/v1/accounts/:accountNumber/transactions',
      handler: guarded(transactions),
    },
  ];
}
