import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AlpacaSimulator,
  fill,
  startAlpacaSimulator,
} from '../../../../../sandbox/simulators/alpaca/index.js';
import { parseDate } from '../../../../kernel/dates.js';
import { ProviderError } from '../../../../kernel/errors.js';
import { type AlpacaClient, createAlpacaClient } from './client.js';
import { mapAlpacaAccount, mapAlpacaActivities, mapAlpacaPositions } from './mappers.js';

const NOW = Date.parse('2025-11-03T15:00:20Z');
let sim: AlpacaSimulator;
let client: AlpacaClient;
let slept: number[];

const connect = (key = sim.key) =>
  createAlpacaClient({
    baseUrl: sim.url,
    keyId: key.keyId,
    secretKey: key.secretKey,
    http: { sleep: async (ms) => void slept.push(ms), now: () => NOW, random: () => 0.5 },
  });

beforeEach(async () => {
  sim = await startAlpacaSimulator({
    now: () => NOW,
    keys: [
      { keyId: 'PKLIVEKEY0000000000A', secretKey: 'live-secret-aaaaaaaaaaaaaaaaaaaaaaaaaaaa' },
      { keyId: 'PKBLOCKED0000000000B', secretKey: 'blocked-secret-bbbbbbbbbbbbbbbbbbbbbbb', disabled: true },
    ],
  });
  slept = [];
  client = connect();
});
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

const activityCalls = () => sim.requests.filter((r) => r.path === '/v2/account/activities');

describe('Alpaca client', () => {
  it('reads the account and positions with the key headers', async () => {
    const account = mapAlpacaAccount(await client.getAccount());
    expect(account.items[0]).toMatchObject({
      accountNumberMasked: '****K2NT',
      balance: 3247335,
      isActive: true,
    });
    const positions = mapAlpacaPositions(await client.getPositions());
    expect(positions.skipped).toEqual([]);
    expect(positions.items.map((p) => [p.symbol, p.assetType])).toEqual([
      ['AAPL', 'equity'],
      ['SPY', 'equity'],
      ['BTC/USD', 'cryptocurrency'],
    ]);
    expect(sim.requests[0]!.headers['apca-api-key-id']).toBe(sim.key.keyId);
    expect(sim.requests[0]!.headers['apca-api-secret-key']).toBe(sim.key.secretKey);
  });

  it('follows page_token through every page of activities, oldest first', async () => {
    const rows = (await client.listActivities()) as { id: string }[];
    const total = sim.data.activities.length;
    expect(total).toBeGreaterThan(250);
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r.id)).size).toBe(total);
    expect(rows.map((r) => r.id)).toEqual(rows.map((r) => r.id).sort());
    const calls = activityCalls().map((r) => new URLSearchParams(r.query));
    expect(calls).toHaveLength(Math.ceil(total / 100));
    expect(calls[0]!.get('page_token')).toBeNull();
    expect(calls[1]!.get('page_token')).toBe(rows[99]!.id);
    expect(calls.every((q) => q.get('direction') === 'asc' && q.get('page_size') === '100')).toBe(true);
    const mapped = mapAlpacaActivities(rows);
    expect(mapped.skipped).toEqual([]);
  });

  it('asks once more after a full last page and stops on the empty one', async () => {
    sim.data.activities.splice(200);
    expect(await client.listActivities()).toHaveLength(200);
    expect(activityCalls()).toHaveLength(3);
  });

  it('fetches whole New York days and filters by type', async () => {
    const day = (await client.fetchActivities(parseDate('2025-05-15'), parseDate('2025-05-15'))) as {
      activity_type: string;
    }[];
    expect(day.map((a) => a.activity_type).sort()).toEqual(['DIV', 'DIVNRA', 'FEE', 'FILL']);
    // 23:30 in New York on May 15 is May 16 in UTC, and still belongs to May 15.
    sim.addActivities(
      fill({ at: '2025-05-16T03:30:00Z', symbol: 'SPY', side: 'buy', qty: '1', price: '590' }),
    );
    expect(await client.fetchActivities(parseDate('2025-05-15'), parseDate('2025-05-15'))).toHaveLength(5);
    const divs = await client.fetchActivities(parseDate('2025-01-01'), parseDate('2025-12-31'), {
      activityTypes: ['DIV'],
    });
    expect(divs).toHaveLength(2);
    expect(new URLSearchParams(activityCalls().at(-1)!.query).get('activity_types')).toBe('DIV');
  });

  it('tells bad keys from outages when validating credentials', async () => {
    expect(await client.validateCredentials()).toEqual({
      ok: true,
      value: { accountId: sim.data.account.id, accountNumberMasked: '****K2NT', status: 'ACTIVE' },
    });
    const wrong = connect({ keyId: sim.key.keyId, secretKey: 'not-the-secret' });
    const checked = await wrong.validateCredentials();
    expect(checked).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_credentials',
        kind: 'unprocessable',
        message: 'Alpaca rejected the API key and secret (HTTP 401, code 40110000)',
        extra: { provider_status: 401, provider_code: '40110000' },
      },
    });
    const e = await failure(wrong.getAccount());
    expect(e).toMatchObject({ kind: 'authentication', details: { status: 401, vendorCode: '40110000' } });
    expect(`${e.message}${JSON.stringify(e.details)}`).not.toContain('not-the-secret');
    await wrong.close();
    const blocked = connect(sim.keys[1]);
    expect(await blocked.validateCredentials()).toMatchObject({
      ok: false,
      error: { extra: { provider_status: 403, provider_code: '40310000' } },
    });
    await blocked.close();
    sim.failWith({ path: '/v2/account', times: 5 });
    expect((await failure(client.validateCredentials())).kind).toBe('unavailable');
  });

  it('refuses to start without both halves of the key', () => {
    expect(() => createAlpacaClient({ baseUrl: sim.url, keyId: 'PK', secretKey: '' })).toThrow(
      expect.objectContaining({ kind: 'configuration' }),
    );
  });

  it('waits for the rate-limit window Alpaca names, or for Retry-After when given', async () => {
    sim.rateLimit({ path: '/v2/positions', resetInSeconds: 4 });
    await client.getPositions();
    expect(slept).toEqual([4_000]);
    sim.rateLimit({ path: '/v2/positions', resetInSeconds: 40, retryAfter: '1' });
    await client.getPositions();
    expect(slept).toEqual([4_000, 1_000]);
  });

  it('gives up on a long rate-limit wait, keeping the time to the caller', async () => {
    sim.rateLimit({ path: '/v2/positions', resetInSeconds: 90 });
    const e = await failure(client.getPositions());
    expect(e).toMatchObject({ kind: 'rate_limited', details: { retryAfter: 90, vendorCode: '42910000' } });
  });

  it('backs off on 5xx and resumes paging where it was', async () => {
    await client.listActivities();
    const pages = activityCalls().length;
    sim.requests.length = 0;
    sim.failWith({ path: '/v2/account/activities', status: 502, times: 2 });
    expect(await client.listActivities()).toHaveLength(sim.data.activities.length);
    expect(activityCalls()).toHaveLength(pages + 2);
    expect(slept).toEqual([188, 375]);
  });
});
