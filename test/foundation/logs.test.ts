import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { testProviders } from '../helpers/fake-providers.js';

const API_KEY = 'sk_live_LOGLEAKcanary0001';
const WEBHOOK = 'whsec_LOGLEAKcanary0002';
const ROTATED = 'sk_live_LOGLEAKcanary0003';
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ extraProviders: testProviders, env: { LOG_LEVEL: 'trace' } });
});
afterAll(() => t.close());

it('no secret reaches the logs during a full config lifecycle', async () => {
  const acme = await t.tenant('Acme');
  const created = await t.call('POST', '/v1/provider-configs', {
    key: acme.key,
    body: {
      label: 'canary',
      service_type: 'payment_processor',
      provider_key: 'fakepay',
      config: { api_key: API_KEY, webhook_secret: WEBHOOK, region: 'us' },
      is_default: true,
    },
  });
  const id = created.json().id;
  await t.call('GET', `/v1/provider-configs/${id}`, { key: acme.key });
  await t.call('GET', '/v1/provider-configs', { key: acme.key });
  await t.call('PATCH', `/v1/provider-configs/${id}`, {
    key: acme.key,
    body: { config: { api_key: ROTATED } },
  });
  // a failing validation echoes nothing of what was sent
  await t.call('PATCH', `/v1/provider-configs/${id}`, {
    key: acme.key,
    body: { config: { api_key: 'pk_LOGLEAKcanary0004' } },
  });
  await t.call('GET', '/v1/provider-resolution?service_type=payment_processor', { key: acme.key });
  await t.ctx.resolver.resolve(acme.id, 'payment_processor');
  await t.call('PATCH', `/v1/provider-configs/${id}`, { key: acme.key, body: { is_default: false } });
  await t.call('DELETE', `/v1/provider-configs/${id}`, { key: acme.key });

  const logs = t.logs.join('');
  expect(t.logs.length).toBeGreaterThan(10); // trace level: every request was logged
  expect(logs).not.toContain('LOGLEAK');
  // the bearer key is not logged either
  expect(logs).not.toContain(acme.key);
});
