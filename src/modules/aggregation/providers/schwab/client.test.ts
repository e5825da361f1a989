import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type SchwabSimulator,
  SEED_CASH_ACCOUNT,
  SEED_MARGIN_ACCOUNT,
  startSchwabSimulator,
  trade,
} from '../../../../../sandbox/simulators/schwab/index.js';
import { parseDate } from '../../../../kernel/dates.js';
import { ProviderError } from '../../../../kernel/errors.js';
import { createSchwabClient, SCHWAB_TRANSACTION_TYPES, type SchwabClient } from './client.js';
import { mapSchwabAccounts, mapSchwabTransactions } from './mappers.js';

let sim: SchwabSimulator;
let client: SchwabClient;
let token: string;
let slept: number[];

async function start(opts: Parameters<typeof startSchwabSimulator>[0] = {}, clientOpts = {}) {
  sim = await startSchwabSimulator({ startTime: Date.parse('2025-10-01T12:00:00Z'), ...opts });
  token = sim.issueTokens().accessToken;
  slept = [];
  client = createSchwabClient({
    baseUrl: sim.url,
    accessToken: () => token,
    http: { sleep: async (ms) => void slept.push(ms), random: () => 0.5 },
    ...clientOpts,
  });
}

beforeEach(() => start());
afterEach(async () => {
  await client.close();
  await sim.close();
});

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ProviderError) return e;
    throw e;
  }
  throw new Error('expected a ProviderError');
}

const transactionCalls = () => sim.requests.filter((r) => r.path.endsWith('/transactions'));
const d = parseDate;

describe('Schwab client: accounts', () => {
  it('lists accounts by hash and never puts a plain account number in a URL', async () => {
    const refs = await client.accountNumbers();
    expect(refs).toEqual([
      { accountNumber: SEED_MARGIN_ACCOUNT, hashValue: sim.hashOf(SEED_MARGIN_ACCOUNT) },
      { accountNumber: SEED_CASH_ACCOUNT, hashValue: sim.hashOf(SEED_CASH_ACCOUNT) },
    ]);
    const payloads = await client.fetchAccounts();
    expect(payloads.map((p) => p.hashValue)).toEqual(refs.map((r) => r.hashValue));
    const mapped = mapSchwabAccounts(payloads);
    expect(mapped.skipped).toEqual([]);
    expect(mapped.items.map((a) => [a.providerAccountId, a.accountNumberMasked])).toEqual([
      [sim.hashOf(SEED_MARGIN_ACCOUNT), '****5467'],
      [sim.hashOf(SEED_CASH_ACCOUNT), '****1573'],
    ]);

    const hash = refs[0]!.hashValue;
    expect(await client.fetchPositions(hash)).toHaveLength(3);
    await client.fetchTransactions(hash, d('2025-03-01'), d('2025-03-31'));
    for (const r of sim.requests) {
      expect(r.path).not.toContain(SEED_MARGIN_ACCOUNT);
      expect(r.path).not.toContain(SEED_CASH_ACCOUNT);
    }
  });

  it('gets Schwab’s refusal when handed a plain account number', async () => {
    const e = await failure(client.fetchPositions(SEED_MARGIN_ACCOUNT));
    expect(e).toMatchObject({ kind: 'rejected', details: { status: 400, provider: 'schwab' } });
  });
});

describe('Schwab client: transactions', () => {
  it('fetches a long range in windows of at most 60 days, every type in each call', async () => {
    const hash = sim.hashOf(SEED_MARGIN_ACCOUNT);
    const rows = await client.fetchTransactions(hash, d('2025-01-01'), d('2025-09-30'));
    const calls = transactionCalls().map((r) => new URLSearchParams(r.query));
    expect(calls).toHaveLength(5);
    expect(calls[0]!.get('startDate')).toBe('2025-01-01T05:00:00.000Z');
    expect(calls.at(-1)!.get('endDate')).toBe('2025-10-01T03:59:59.999Z');
    for (const [i, q] of calls.entries()) {
      const span = Date.parse(q.get('endDate')!) - Date.parse(q.get('startDate')!);
      expect(span).toBeLessThanOrEqual(60 * 86_400_000);
      expect(q.get('types')!.split(',')).toEqual([...SCHWAB_TRANSACTION_TYPES]);
      if (i > 0) expect(Date.parse(q.get('startDate')!)).toBe(Date.parse(calls[i - 1]!.get('endDate')!) + 1);
    }
    const seeded = sim.accounts[0]!.transactions.map((t) => t.activityId);
    expect(rows.map((r) => (r as { activityId: number }).activityId).sort()).toEqual([...seeded].sort());
    const mapped = mapSchwabTransactions(rows);
    expect(mapped.skipped).toEqual([]);
    expect(mapped.items).toHaveLength(seeded.length);
  });

  it('covers whole New York days at both ends of the range', async () => {
    const acct = sim.accounts[1]!;
    const at = (iso: string, id: number) =>
      trade({
        activityId: id,
        accountNumber: acct.accountNumber,
        at: iso,
        instrument: { symbol: 'VTI', cusip: '922908769', description: 'VANGUARD TOTAL STOCK MARKET ETF' },
        quantity: 1,
        price: '300.00',
      });
    // 23:30 in New York on June 30 is already July 1 in UTC; midnight July 1 in New York is the next day.
    acct.transactions.push(
      at('2025-07-01T03:30:00Z', 1),
      at('2025-07-01T04:00:00Z', 2),
      at('2025-06-01T03:59:00Z', 3),
    );
    const rows = await client.fetchTransactions(
      sim.hashOf(acct.accountNumber),
      d('2025-06-01'),
      d('2025-06-30'),
    );
    const ids = rows.map((r) => (r as { activityId: number }).activityId);
    expect(ids).toContain(1);
    expect(ids).not.toContain(2);
    expect(ids).not.toContain(3);
  });

  it('splits a window that comes back full, so nothing is silently dropped', async () => {
    await client.close();
    await sim.close();
    await start({ maxTransactionsPerResponse: 50 }, { maxPerResponse: 50 });
    const acct = sim.accounts[1]!;
    for (let i = 0; i < 120; i++)
      acct.transactions.push(
        trade({
          activityId: 1_000 + i,
          accountNumber: acct.accountNumber,
          at: new Date(Date.parse('2025-03-10T13:30:00Z') + i * 180_000).toISOString(),
          instrument: { symbol: 'VTI', cusip: '922908769', description: 'VANGUARD TOTAL STOCK MARKET ETF' },
          quantity: 1,
          price: '280.00',
        }),
      );
    const rows = await client.fetchTransactions(
      sim.hashOf(acct.accountNumber),
      d('2025-03-10'),
      d('2025-03-10'),
    );
    const ids = new Set(rows.map((r) => (r as { activityId: number }).activityId));
    expect(ids.size).toBe(120);
    expect(rows).toHaveLength(120);
    expect(transactionCalls().length).toBeGreaterThan(3);
  });
});

describe('Schwab client: failures', () => {
  it('maps an expired access token to authentication, without retrying', async () => {
    sim.clock.advance(31 * 60_000);
    const e = await failure(client.accountNumbers());
    expect(e).toMatchObject({ kind: 'authentication', details: { status: 401 } });
    expect(sim.requests).toHaveLength(1);
    expect(e.message).not.toContain(token);
  });

  it('waits out a 429 for as long as Retry-After says, then carries on', async () => {
    sim.rateLimit({ path: /\/transactions$/, retryAfter: '2' });
    const rows = await client.fetchTransactions(
      sim.hashOf(SEED_CASH_ACCOUNT),
      d('2025-02-01'),
      d('2025-02-28'),
    );
    expect(rows).toHaveLength(2);
    expect(slept).toEqual([2_000]);
    expect(transactionCalls()).toHaveLength(2);
  });

  it('backs off on 5xx and recovers, or reports unavailable when it does not', async () => {
    sim.failWith({ path: '/trader/v1/accounts/accountNumbers', status: 503, times: 2 });
    expect(await client.accountNumbers()).toHaveLength(2);
    expect(slept).toHaveLength(2);
    expect(slept[1]!).toBeGreaterThan(slept[0]!);
    sim.failWith({ path: '/trader/v1/accounts/accountNumbers', status: 500, times: 10 });
    expect((await failure(client.accountNumbers())).kind).toBe('unavailable');
  });
});
