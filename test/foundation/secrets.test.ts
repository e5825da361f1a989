import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let acme: { id: string; key: string };

beforeAll(async () => {
  t = await startTestApp({ env: { LOG_LEVEL: 'info' } });
  acme = await t.tenant('Acme');
});
afterAll(() => t.close());

const MISSPELLED = 'whsec_MISSPELLEDcanary0123456789';

describe('a provider config accepts only the fields its schema names', () => {
  it.each([
    ['stripe_issuing', { webhook_secret: 'whsec_0123456789abcdefghijklmnop' }],
    ['lithic', { webhook_secret: 'lithic-asa-secret-0123456789' }],
    ['generic', { webhook_secret: 'generic-test-secret-0123456789abcdef' }],
  ])('%s: a misspelled secret is a 422 naming it, and is neither stored nor audited', async (key, config) => {
    const r = await t.call('POST', '/v1/provider-configs', {
      key: acme.key,
      body: {
        label: key,
        service_type: 'card_issuing',
        provider_key: key,
        config: { ...config, events_webhook_secert: MISSPELLED },
      },
    });
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json().errors).toEqual([{ path: 'config.events_webhook_secert', message: 'unknown field' }]);
    expect(r.body).not.toContain('MISSPELLED');
    const listed = await t.call('GET', '/v1/provider-configs', { key: acme.key });
    const audit = await t.call('GET', '/v1/audit-log', { key: acme.key });
    expect(listed.body + audit.body).not.toContain('MISSPELLED');
  });

  it('a PATCH that adds an unknown field is refused the same way', async () => {
    const created = await t.call('POST', '/v1/provider-configs', {
      key: acme.key,
      body: {
        label: 'stripe',
        service_type: 'card_issuing',
        provider_key: 'stripe_issuing',
        config: { webhook_secret: 'whsec_0123456789abcdefghijklmnop' },
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().config.webhook_secret).toBe('whsec_...***mnop');
    const r = await t.call('PATCH', `/v1/provider-configs/${created.json().id}`, {
      key: acme.key,
      body: { config: { webhook_secert: MISSPELLED } },
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors).toEqual([{ path: 'config.webhook_secert', message: 'unknown field' }]);
  });
});

describe('request logs', () => {
  it('keep the path and the names of query parameters, never their values', async () => {
    await t.call('GET', '/v1/oauth/schwab/callback?code=CODEcanary123&state=STATEcanary456', {});
    await t.call('GET', `/v1/customers?limit=5&before=BEFOREcanary789`, { key: acme.key });
    const logs = t.logs.join('');
    expect(logs).toContain('/v1/oauth/schwab/callback?code=[redacted]&state=[redacted]');
    expect(logs).toContain('/v1/customers?limit=[redacted]&before=[redacted]');
    expect(logs).not.toMatch(/CODEcanary|STATEcanary|BEFOREcanary/);
  });
});
