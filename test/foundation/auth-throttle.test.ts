import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../helpers/app.js';

/** Failed authentication is limited per source (429 with Retry-After); the limit here is 5 per minute. */
let t: TestApp;
let acme: { id: string; key: string };

beforeAll(async () => {
  t = await startTestApp({
    env: { PLINTH_AUTH_FAILURE_LIMIT: '5', PLINTH_AUTH_FAILURE_WINDOW_SECONDS: '60' },
  });
  acme = await t.tenant('Acme');
});
afterAll(() => t.close());

const from = (remoteAddress: string, url: string, bearer?: string, method: 'GET' | 'POST' = 'GET') =>
  t.app.inject({
    method,
    url,
    remoteAddress,
    headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
    ...(method === 'POST' && { payload: { name: 'x' } }),
  });

function tooMany(r: LightMyRequestResponse) {
  expect(r.statusCode, r.body).toBe(429);
  expect(r.headers['content-type']).toContain('application/problem+json');
  const after = Number(r.headers['retry-after']);
  expect(after).toBeGreaterThan(0);
  expect(after).toBeLessThanOrEqual(60);
  expect(r.json()).toMatchObject({ code: 'too_many_failed_authentications', retry_after: after });
}

describe('failed authentication', () => {
  it('wrong API keys from one source draw a 429 after the limit, then even a valid key waits', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++)
      codes.push((await from('198.51.100.7', '/v1/tenant', `plk_wrong${i}`)).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
    tooMany(await from('198.51.100.7', '/v1/tenant', acme.key));
    // Another source is untouched, and public routes (the card relays' path) are never throttled.
    expect((await from('198.51.100.8', '/v1/tenant', acme.key)).statusCode).toBe(200);
    expect((await from('198.51.100.7', '/healthz')).statusCode).toBe(200);
  });

  it('wrong admin tokens count the same way', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 7; i++)
      codes.push((await from('198.51.100.9', '/v1/tenants', `wrong-admin-token-${i}`, 'POST')).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
    tooMany(await from('198.51.100.9', '/v1/tenants', ADMIN_TOKEN, 'POST'));
  });

  it('a missing token is not a guess, and successes never reset the count', async () => {
    for (let i = 0; i < 10; i++) expect((await from('198.51.100.10', '/v1/tenant')).statusCode).toBe(401);
    for (let i = 0; i < 4; i++) {
      expect((await from('198.51.100.10', '/v1/tenant', `plk_wrong${i}`)).statusCode).toBe(401);
      expect((await from('198.51.100.10', '/v1/tenant', acme.key)).statusCode).toBe(200);
    }
    expect((await from('198.51.100.10', '/v1/tenant', 'plk_wrong')).statusCode).toBe(401);
    tooMany(await from('198.51.100.10', '/v1/tenant', acme.key));
  });

  it('IPv6 sources are counted by /64', async () => {
    for (let i = 0; i < 5; i++) await from(`2001:db8:7:7::${i + 1}`, '/v1/tenant', 'plk_wrong');
    tooMany(await from('2001:db8:7:7:ffff::1', '/v1/tenant', acme.key));
    expect((await from('2001:db8:7:8::1', '/v1/tenant', acme.key)).statusCode).toBe(200);
  });
});

describe('behind a trusted reverse proxy', () => {
  it('counts the client X-Forwarded-For names, and ignores the header from anyone else', async () => {
    const proxied = await startTestApp({
      env: { PLINTH_AUTH_FAILURE_LIMIT: '2', PLINTH_TRUSTED_PROXIES: '10.0.0.0/8' },
    });
    try {
      const tenant = await proxied.tenant();
      const via = (proxy: string, client: string, bearer: string) =>
        proxied.app.inject({
          method: 'GET',
          url: '/v1/tenant',
          remoteAddress: proxy,
          headers: { authorization: `Bearer ${bearer}`, 'x-forwarded-for': client },
        });
      for (let i = 0; i < 3; i++) await via('10.0.0.5', '203.0.113.1', 'plk_wrong');
      expect((await via('10.0.0.5', '203.0.113.1', tenant.key)).statusCode).toBe(429);
      expect((await via('10.0.0.5', '203.0.113.2', tenant.key)).statusCode).toBe(200);
      // Not a trusted proxy: its X-Forwarded-For is not believed, so it cannot pose as a fresh client.
      for (let i = 0; i < 3; i++) await via('192.0.2.9', `203.0.113.${10 + i}`, 'plk_wrong');
      expect((await via('192.0.2.9', '203.0.113.99', tenant.key)).statusCode).toBe(429);
    } finally {
      await proxied.close();
    }
    await expect(startTestApp({ env: { PLINTH_TRUSTED_PROXIES: '10.0.0.0/33' } })).rejects.toThrow(
      /PLINTH_TRUSTED_PROXIES/,
    );
  });
});

describe('security headers', () => {
  it('every answer says nosniff and no-store, and may not be framed or run anything', async () => {
    for (const r of [
      await t.call('GET', '/v1/tenant', { key: acme.key }),
      await t.call('POST', '/v1/api-keys', { key: acme.key, body: { name: 'k', role: 'viewer' } }),
      await t.call('GET', '/v1/nothing', { key: acme.key }),
      await t.call('GET', `/v1/customers/${'x'.repeat(101)}`, { key: acme.key }),
      await t.call('GET', '/healthz'),
    ]) {
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('the docs page may run its scripts, and HSTS is sent when Plinth is reached over HTTPS', async () => {
    const docs = await t.call('GET', '/docs/');
    expect(docs.headers['content-security-policy']).toBe("frame-ancestors 'none'");
    const https = await startTestApp({ env: { PLINTH_PUBLIC_URL: 'https://plinth.example.com' } });
    try {
      const r = await https.call('GET', '/healthz');
      expect(r.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    } finally {
      await https.close();
    }
  });
});
