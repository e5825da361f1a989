import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { json, type SimServer, startSimServer } from '../../sandbox/simulators/shared/server.js';
import { ProviderError } from './errors.js';
import { createHttpClient, type HttpClientOptions, parseRetryAfter } from './http-client.js';
import { isNonPublicAddress } from './network.js';

let sim: SimServer;
let slept: number[];

beforeAll(async () => {
  sim = await startSimServer([
    { method: 'GET', path: '/api/v1/items', handler: (req) => json(200, { q: req.query.get('q'), n: 2 }) },
    {
      method: 'GET',
      path: '/api/v1/not-json',
      handler: () => ({ status: 200, body: '<html>maintenance</html>' }),
    },
    { method: 'GET', path: '/api/v1/empty', handler: () => ({ status: 200 }) },
    {
      method: 'POST',
      path: '/api/v1/echo',
      handler: (req) =>
        json(200, { contentType: req.headers['content-type'], body: req.body.toString('utf8') }),
    },
    {
      method: 'GET',
      path: '/api/v1/invalid',
      handler: () => json(422, { code: 'amount_too_small', message: 'Amount must be at least 50 cents' }),
    },
    {
      method: 'GET',
      path: '/api/v1/moved',
      handler: () => ({ status: 302, headers: { location: '/elsewhere' } }),
    },
  ]);
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.clearFaults();
  sim.requests.length = 0;
  slept = [];
});

const client = (extra: Partial<HttpClientOptions> = {}) =>
  createHttpClient({
    baseUrl: `${sim.url}/api/v1`,
    provider: 'acme',
    timeoutMs: 2_000,
    sleep: async (ms) => {
      slept.push(ms);
    },
    random: () => 0.5,
    errorCode: (body) =>
      typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'string'
        ? (body as { code: string }).code
        : undefined,
    ...extra,
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

describe('createHttpClient', () => {
  it('joins the base path, encodes the query and parses JSON', async () => {
    const http = client();
    const res = await http.request({ method: 'GET', path: '/items', query: { q: 'a b&c', skip: undefined } });
    expect(res.status).toBe(200);
    expect(res.json(z.object({ q: z.string(), n: z.number() }))).toEqual({ q: 'a b&c', n: 2 });
    expect(sim.requests[0]!.path).toBe('/api/v1/items');
    expect(sim.requests[0]!.query).toBe('?q=a+b%26c');
    await http.close();
  });

  it('sends JSON and form bodies with their content types', async () => {
    const http = client();
    const a = await http.request({ method: 'POST', path: '/echo', body: { json: { x: 1 } } });
    expect(a.json()).toEqual({ contentType: 'application/json', body: '{"x":1}' });
    const b = await http.request({
      method: 'POST',
      path: '/echo',
      body: { form: { grant_type: 'code', c: 'a@b' } },
    });
    expect(b.json()).toEqual({
      contentType: 'application/x-www-form-urlencoded',
      body: 'grant_type=code&c=a%40b',
    });
    await http.close();
  });

  it('reports a 2xx body that is not JSON, or not the expected shape, as invalid_response', async () => {
    const http = client();
    const html = await http.request({ method: 'GET', path: '/not-json' });
    expect(() => html.json()).toThrow(
      expect.objectContaining({ kind: 'invalid_response', message: expect.stringContaining('not JSON') }),
    );
    const empty = await http.request({ method: 'GET', path: '/empty' });
    expect(() => empty.json()).toThrow(expect.objectContaining({ kind: 'invalid_response' }));
    const items = await http.request({ method: 'GET', path: '/items' });
    expect(() => items.json(z.object({ n: z.string() }))).toThrow(
      expect.objectContaining({ kind: 'invalid_response', message: expect.stringContaining('at n') }),
    );
    await http.close();
  });

  it('maps 401/403 to authentication without retrying, and never echoes credentials', async () => {
    const http = client({ defaultHeaders: { authorization: 'Bearer sekrit-token-123' } });
    sim.inject({ path: '/api/v1/items', status: 401, body: { error: 'invalid_token' }, times: 5 });
    const e = await failure(http.request({ method: 'GET', path: '/items' }));
    expect(e.kind).toBe('authentication');
    expect(e.details.status).toBe(401);
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0]!.headers.authorization).toBe('Bearer sekrit-token-123');
    expect(JSON.stringify({ message: e.message, details: e.details, stack: e.stack })).not.toContain(
      'sekrit',
    );
    sim.inject({ path: '/api/v1/items', status: 403 });
    expect((await failure(http.request({ method: 'GET', path: '/items' }))).kind).toBe('authentication');
    await http.close();
  });

  it('maps other 4xx to rejected with the vendor code from the errorCode hook', async () => {
    const http = client();
    const e = await failure(http.request({ method: 'GET', path: '/invalid' }));
    expect(e).toMatchObject({ kind: 'rejected', details: { status: 422, vendorCode: 'amount_too_small' } });
    // The vendor's message text stays out of ours.
    expect(e.message).not.toContain('50 cents');
    await http.close();
  });

  it('lets the provider classify a vendor code', async () => {
    const http = client({
      classify: ({ vendorCode }) => (vendorCode === 'amount_too_small' ? 'configuration' : undefined),
    });
    expect((await failure(http.request({ method: 'GET', path: '/invalid' }))).kind).toBe('configuration');
    await http.close();
  });

  it('does not follow redirects', async () => {
    const http = client();
    const e = await failure(http.request({ method: 'GET', path: '/moved' }));
    expect(e).toMatchObject({ kind: 'invalid_response', details: { status: 302 } });
    await http.close();
  });

  it('honours Retry-After on 429 (seconds and HTTP-date) and then succeeds', async () => {
    const now = Date.parse('2025-03-01T12:00:00Z');
    const http = client({ now: () => now });
    sim.inject({ path: '/api/v1/items', status: 429, headers: { 'retry-after': '3' } });
    sim.inject({
      path: '/api/v1/items',
      status: 429,
      headers: { 'retry-after': 'Sat, 01 Mar 2025 12:00:07 GMT' },
    });
    const res = await http.request({ method: 'GET', path: '/items' });
    expect(res.status).toBe(200);
    expect(slept).toEqual([3_000, 7_000]);
    expect(sim.requests).toHaveLength(3);
    await http.close();
  });

  it('gives a long Retry-After back to the caller instead of waiting', async () => {
    const http = client();
    sim.inject({ path: '/api/v1/items', status: 429, headers: { 'retry-after': '120' } });
    const e = await failure(http.request({ method: 'GET', path: '/items' }));
    expect(e).toMatchObject({ kind: 'rate_limited', details: { retryAfter: 120, status: 429 } });
    expect(e.transient).toBe(true);
    expect(slept).toEqual([]);
    await http.close();
  });

  it('uses the provider hook when the vendor signals the wait elsewhere, on 429 only', async () => {
    const http = client({ retryAfter: (h) => Number(h['x-ratelimit-reset']) - 1_000 });
    sim.inject({ path: '/api/v1/items', status: 429, headers: { 'x-ratelimit-reset': '1004' } });
    sim.inject({
      path: '/api/v1/items',
      status: 500,
      headers: { 'x-ratelimit-reset': '1020', 'retry-after': '9' },
    });
    await http.request({ method: 'GET', path: '/items' });
    expect(slept).toEqual([4_000, 375]);
    await http.close();
  });

  it('backs off exponentially with jitter on 5xx, then gives up as unavailable', async () => {
    const http = client({ retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300 }, random: () => 1 });
    sim.inject({ path: '/api/v1/items', status: 503, times: 10 });
    const e = await failure(http.request({ method: 'GET', path: '/items' }));
    expect(e).toMatchObject({ kind: 'unavailable', details: { status: 503 } });
    expect(sim.requests).toHaveLength(4);
    expect(slept).toEqual([100, 200, 300]);
    await http.close();
  });

  it('keeps jitter within half a step and the step', async () => {
    const http = client({ retry: { maxAttempts: 2, baseDelayMs: 1_000 }, random: () => 0 });
    sim.inject({ path: '/api/v1/items', status: 500 });
    await http.request({ method: 'GET', path: '/items' });
    expect(slept).toEqual([500]);
    await http.close();
  });

  it('does not retry a POST unless the caller marks it idempotent', async () => {
    const http = client();
    sim.inject({ path: '/api/v1/echo', status: 502, times: 2 });
    expect((await failure(http.request({ method: 'POST', path: '/echo', body: { json: {} } }))).kind).toBe(
      'unavailable',
    );
    expect(sim.requests).toHaveLength(1);
    const ok = await http.request({ method: 'POST', path: '/echo', body: { json: {} }, idempotent: true });
    expect(ok.status).toBe(200);
    expect(sim.requests).toHaveLength(3);
    await http.close();
  });

  it('times out a slow response as unavailable and retries it', async () => {
    const http = client({ timeoutMs: 100, retry: { maxAttempts: 2 } });
    sim.inject({ path: '/api/v1/items', delayMs: 400, times: 2 });
    const e = await failure(http.request({ method: 'GET', path: '/items' }));
    expect(e.kind).toBe('unavailable');
    expect(e.message).toContain('timed out after 100 ms');
    expect(slept).toHaveLength(1);
    await http.close();
  });

  it('reports a refused connection as unavailable', async () => {
    const dead = await startSimServer([]);
    const url = dead.url;
    await dead.close();
    const http = createHttpClient({
      baseUrl: url,
      provider: 'acme',
      sleep: async () => {},
      retry: { maxAttempts: 2 },
    });
    const e = await failure(http.request({ method: 'GET', path: '/x' }));
    expect(e.kind).toBe('unavailable');
    expect(e.message).toContain('connection failed');
    await http.close();
  });

  it('reports a malformed request as configuration, without sending it', async () => {
    const http = client();
    const e = await failure(http.request({ method: 'GET', path: '/items', headers: { 'x-bad': 'a\r\nb' } }));
    expect(e.kind).toBe('configuration');
    expect(sim.requests).toHaveLength(0);
    await http.close();
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');
  it('reads delta-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 42 ', now)).toBe(42);
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('Sat, 01 Mar 2025 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('public addresses only', () => {
  it('refuses a loopback IP literal and a name that resolves to loopback, without sending anything', async () => {
    const port = new URL(sim.url).port;
    for (const baseUrl of [`http://127.0.0.1:${port}/api/v1`, `http://localhost:${port}/api/v1`]) {
      const c = client({ baseUrl, publicAddressesOnly: true });
      const e = await failure(c.request({ method: 'GET', path: '/items' }));
      expect(e.kind).toBe('configuration');
      expect(e.message).toMatch(/not a public address/);
      await c.close();
    }
    expect(sim.requests).toHaveLength(0);
    // A name that is not "localhost" is checked where it resolves, when the connection is made.
    const name = hostname();
    if (isNonPublicAddress((await lookup(name)).address)) {
      const c = client({ baseUrl: `http://${name}:${port}/api/v1`, publicAddressesOnly: true });
      const e = await failure(c.request({ method: 'GET', path: '/items' }));
      expect(e.kind).toBe('configuration');
      expect(e.message).toMatch(/resolves to .* not a public address/);
      expect(slept).toEqual([]);
      await c.close();
      expect(sim.requests).toHaveLength(0);
    }
    // The same client without the restriction reaches the simulator.
    const open = client({ baseUrl: `http://localhost:${port}/api/v1` });
    expect((await open.request({ method: 'GET', path: '/items' })).status).toBe(200);
    await open.close();
  });
});
