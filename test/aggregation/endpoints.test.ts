import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlpacaSimulator, startAlpacaSimulator } from '../../sandbox/simulators/alpaca/index.js';
import { loadConfig } from '../../src/kernel/config.js';
import { sealConfig } from '../../src/providers/config-secrets.js';
import { insertConfig } from '../../src/providers/store.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { connectAlpaca, type Lender, lender } from './helpers.js';

/**
 * Provider endpoints a tenant admin can set (Alpaca's and Schwab's `base_url`, Schwab's `redirect_uri`): the
 * vendor's own hosts over HTTPS, other origins only when the operator lists them in PLINTH_PROVIDER_ENDPOINTS, and
 * in production never a non-public address. Before, any URL was stored, and Plinth sent the customer's API keys
 * there and reflected the answer.
 */
let sim: AlpacaSimulator;
beforeAll(async () => {
  sim = await startAlpacaSimulator();
});
afterAll(() => sim.close());

const save = (t: TestApp, l: Lender, provider: string, config: Record<string, unknown>) =>
  t.call('POST', '/v1/provider-configs', {
    key: l.key,
    body: { label: provider, service_type: 'financial_data', provider_key: provider, config },
  });

const SCHWAB = { client_id: 'app-key', client_secret: 'app-secret-0123456789' };

describe('without PLINTH_PROVIDER_ENDPOINTS', () => {
  let t: TestApp;
  let acme: Lender;
  beforeAll(async () => {
    t = await startTestApp({ env: { PLINTH_PROVIDER_ENDPOINTS: '' } });
    acme = await lender(t, 'Acme');
  });
  afterAll(() => t.close());

  it.each([
    'http://127.0.0.1:9/',
    'http://localhost:9',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]:80',
    'http://paper-api.alpaca.markets',
    'https://paper-api.alpaca.markets:8443',
    'https://user:password@paper-api.alpaca.markets',
    'https://alpaca.markets.evil.example',
  ])('refuses Alpaca base_url %s with a 422 naming it', async (url) => {
    const r = await save(t, acme, 'alpaca', { base_url: url });
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json().errors).toEqual([{ path: 'config.base_url', message: expect.any(String) }]);
  });

  it('accepts the vendors’ own hosts over HTTPS, and the simulator is never called', async () => {
    for (const url of [
      'https://paper-api.alpaca.markets',
      'https://api.alpaca.markets/',
      'https://API.alpaca.markets',
    ])
      expect((await save(t, acme, 'alpaca', { base_url: url })).statusCode).toBe(201);
    expect((await save(t, acme, 'alpaca', { environment: 'live' })).statusCode).toBe(201);
    expect((await save(t, acme, 'schwab', SCHWAB)).statusCode).toBe(201);
    const refused = await save(t, acme, 'alpaca', { base_url: sim.url });
    expect(refused.json().errors[0].message).toMatch(/PLINTH_PROVIDER_ENDPOINTS/);
    expect(sim.requests).toHaveLength(0);
  });

  it('checks Schwab’s base_url and redirect_uri (which must lead back to this Plinth), and PATCHes', async () => {
    const base = await save(t, acme, 'schwab', { ...SCHWAB, base_url: 'http://10.0.0.8' });
    expect(base.json().errors).toEqual([{ path: 'config.base_url', message: expect.any(String) }]);
    const redirect = await save(t, acme, 'schwab', { ...SCHWAB, redirect_uri: 'https://evil.example/cb' });
    expect(redirect.json().errors).toEqual([{ path: 'config.redirect_uri', message: expect.any(String) }]);
    const own = await save(t, acme, 'schwab', {
      ...SCHWAB,
      redirect_uri: `${t.ctx.config.publicUrl}/v1/oauth/schwab/callback`,
    });
    expect(own.statusCode, own.body).toBe(201);
    const patched = await t.call('PATCH', `/v1/provider-configs/${own.json().id}`, {
      key: acme.key,
      body: { config: { base_url: 'http://127.0.0.1:6379' } },
    });
    expect(patched.statusCode).toBe(422);
    expect(patched.json().errors).toEqual([{ path: 'config.base_url', message: expect.any(String) }]);
  });

  it('refuses a stored config that names a refused endpoint when it is used, calling nothing', async () => {
    // Stored while the operator allowed the simulator; the allowance has since been withdrawn.
    const ids = {
      tenantId: acme.id,
      id: crypto.randomUUID(),
      serviceType: 'financial_data',
      providerKey: 'alpaca',
    };
    await insertConfig(t.ctx.database.db, {
      ...ids,
      label: 'old',
      config: sealConfig(t.ctx.keyRing, ids, { environment: 'paper', base_url: sim.url }),
      isActive: true,
      isDefault: true,
      version: 1,
    });
    t.ctx.resolver.invalidate(acme.id);
    const r = await connectAlpaca(t, acme, { key_id: sim.key.keyId, secret_key: sim.key.secretKey });
    expect(r.statusCode).toBe(500);
    expect(r.json().detail).toMatch(/config\.base_url/);
    expect(sim.requests).toHaveLength(0);
  });
});

describe('with PLINTH_PROVIDER_ENDPOINTS', () => {
  it('allows the listed origins (any port with :*), and nothing else', async () => {
    const t = await startTestApp({ env: { PLINTH_PROVIDER_ENDPOINTS: 'http://127.0.0.1:*' } });
    try {
      const acme = await lender(t, 'Acme');
      expect((await save(t, acme, 'alpaca', { base_url: sim.url })).statusCode).toBe(201);
      expect((await save(t, acme, 'alpaca', { base_url: 'http://127.0.0.2:80' })).statusCode).toBe(422);
      expect((await save(t, acme, 'alpaca', { base_url: 'https://127.0.0.1:443' })).statusCode).toBe(422);
      const r = await connectAlpaca(t, acme, { key_id: sim.key.keyId, secret_key: sim.key.secretKey });
      expect(r.statusCode, r.body).toBe(201);
    } finally {
      await t.close();
    }
  });

  it('is validated at start, and in production never names a non-public address', () => {
    expect(() => loadConfig({ PLINTH_PROVIDER_ENDPOINTS: 'ftp://x' })).toThrow(/PLINTH_PROVIDER_ENDPOINTS/);
    expect(() => loadConfig({ PLINTH_PROVIDER_ENDPOINTS: 'https://x.example/path' })).toThrow(/origin only/);
    for (const origin of [
      'http://127.0.0.1:*',
      'http://localhost:4010',
      'https://10.1.2.3',
      'http://[::1]:*',
    ])
      expect(() => loadConfig({ NODE_ENV: 'production', PLINTH_PROVIDER_ENDPOINTS: origin })).toThrow(
        /PLINTH_PROVIDER_ENDPOINTS: .* is not a public address/,
      );
    expect(
      loadConfig({
        NODE_ENV: 'production',
        PLINTH_PROVIDER_ENDPOINTS: 'https://sandbox.example.com, http://a.example:*',
      }).providerEndpoints,
    ).toEqual([
      { protocol: 'https:', hostname: 'sandbox.example.com', port: '' },
      { protocol: 'http:', hostname: 'a.example', port: undefined },
    ]);
  });

  it('in production, a listed name that resolves to a non-public address is refused when connecting', async () => {
    // The machine's own name: allowed by name at start, found to be loopback only when a connection is made.
    const name = hostname();
    const t = await startTestApp({
      env: { NODE_ENV: 'production', PLINTH_PROVIDER_ENDPOINTS: `http://${name}:*` },
    });
    try {
      const acme = await lender(t, 'Acme');
      const url = sim.url.replace('127.0.0.1', name);
      expect((await save(t, acme, 'alpaca', { base_url: url })).statusCode).toBe(201);
      const before = sim.requests.length;
      const r = await connectAlpaca(t, acme, { key_id: sim.key.keyId, secret_key: sim.key.secretKey });
      expect(r.statusCode).toBeGreaterThanOrEqual(400);
      expect(r.body).not.toContain('account_number');
      expect(sim.requests.length).toBe(before);
    } finally {
      await t.close();
    }
  });
});
