import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlpacaSimulator, startAlpacaSimulator } from './index.js';

// Wire-level checks of paging and refusals. Plinth's Alpaca client is tested against this simulator in
// src/modules/aggregation/providers/alpaca.

let sim: AlpacaSimulator;
beforeAll(async () => {
  sim = await startAlpacaSimulator();
});
afterAll(() => sim.close());

type Activity = { id: string; activity_type: string; date?: string; transaction_time?: string };

async function get(path: string, key = sim.key) {
  const res = await fetch(`${sim.url}${path}`, {
    headers: { 'APCA-API-KEY-ID': key.keyId, 'APCA-API-SECRET-KEY': key.secretKey },
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
}

describe('Alpaca simulator', () => {
  it('refuses bad keys with Alpaca’s error envelope', async () => {
    const res = await get('/v2/account', { keyId: sim.key.keyId, secretKey: 'wrong' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 40110000, message: 'request is not authorized' });
    expect(res.headers.get('x-ratelimit-limit')).toBe('200');
  });

  it('pages activities newest first by default, continuing after page_token', async () => {
    const first = (await get('/v2/account/activities?page_size=100')).body as Activity[];
    expect(first).toHaveLength(100);
    const ids = first.map((a) => a.id);
    expect([...ids].sort().reverse()).toEqual(ids);
    const second = (
      await get(`/v2/account/activities?page_size=100&page_token=${encodeURIComponent(ids[99]!)}`)
    ).body as Activity[];
    expect(second[0]!.id < ids[99]!).toBe(true);
    expect(new Set([...ids, ...second.map((a) => a.id)]).size).toBe(200);
  });

  it('pages ascending when asked', async () => {
    const page = (await get('/v2/account/activities?direction=asc&page_size=3')).body as Activity[];
    const next = (
      await get(
        `/v2/account/activities?direction=asc&page_size=3&page_token=${encodeURIComponent(page[2]!.id)}`,
      )
    ).body as Activity[];
    expect(next[0]!.id > page[2]!.id).toBe(true);
  });

  it('filters by type, by day and by exclusive bounds', async () => {
    const divs = (await get('/v2/account/activities?activity_types=DIV,CSW')).body as Activity[];
    expect(new Set(divs.map((a) => a.activity_type))).toEqual(new Set(['DIV', 'CSW']));
    const byPath = (await get('/v2/account/activities/DIV')).body as Activity[];
    expect(byPath.every((a) => a.activity_type === 'DIV')).toBe(true);
    const day = (await get('/v2/account/activities?date=2025-05-15')).body as Activity[];
    expect(day.map((a) => a.activity_type).sort()).toEqual(['DIV', 'DIVNRA', 'FEE', 'FILL']);
    const window = (await get('/v2/account/activities?after=2025-05-15&until=2025-05-16')).body as Activity[];
    expect(window.map((a) => a.activity_type).sort()).toEqual(['DIV', 'DIVNRA', 'FEE', 'FILL']);
  });

  it('rejects page sizes over 100, unknown types and date with after', async () => {
    expect((await get('/v2/account/activities?page_size=500')).status).toBe(422);
    expect((await get('/v2/account/activities?activity_types=BUY')).status).toBe(422);
    expect((await get('/v2/account/activities?date=2025-05-15&after=2025-05-01')).status).toBe(422);
    expect((await get('/v2/account/activities?date=2025-05-15&page_size=500')).status).toBe(200);
  });

  it('throttles past 200 requests a minute', async () => {
    const limited = await startAlpacaSimulator({ now: () => Date.parse('2025-06-01T12:00:30Z') });
    let last = 0;
    for (let i = 0; i < 201; i++) {
      const res = await fetch(`${limited.url}/v2/account`, {
        headers: { 'APCA-API-KEY-ID': limited.key.keyId, 'APCA-API-SECRET-KEY': limited.key.secretKey },
      });
      last = res.status;
      if (i === 200)
        expect(res.headers.get('x-ratelimit-reset')).toBe(String(Date.parse('2025-06-01T12:01:00Z') / 1000));
      await res.arrayBuffer();
    }
    expect(last).toBe(429);
    await limited.close();
  });
});
