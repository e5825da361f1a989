import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/kernel/errors.js';
import { providerConfigs } from '../../src/providers/store.js';
import { cardProgram, message } from '../card-authorizations/fixture.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  // Stand-ins for a public route (a webhook, a callback) and a tenant route that fail inside.
  t.app.get('/v1/test/public-failure', { config: { access: 'public' } }, async () => {
    throw new ConfigurationError('provider config 0190-secret-id: the token does not open under any key');
  });
  t.app.get('/v1/test/tenant-failure', async () => {
    throw new ConfigurationError('provider config 0190-tenant-id: the token does not open under any key');
  });
});
afterAll(() => t.close());

const GENERIC = {
  type: 'urn:plinth:problem:internal_error',
  status: 500,
  code: 'internal_error',
  detail: 'an unexpected error occurred',
};

describe('an unauthenticated caller never sees internal error detail', () => {
  it('a card relay whose config cannot be decrypted answers a generic 500; the detail goes to the log', async () => {
    const p = await cardProgram(t);
    const card = await p.cardholder({ all: 10_000 });
    // The config sealed under another node's key: what two nodes with generated keys did to each other.
    await t.ctx.database.db
      .update(providerConfigs)
      .set({ config: 'gAAAAABm-not-a-token-of-this-key-ring' })
      .where(eq(providerConfigs.id, p.relayId));
    t.ctx.resolver.invalidate(p.tenant.id);
    const r = await p.send(message({ card_id: card.cardId }));
    expect(r.status).toBe(500);
    expect(r.body).toMatchObject(GENERIC);
    // Before: 500 with code provider_config_undecryptable and a detail naming the config and the failure.
    expect(JSON.stringify({ ...r.body, instance: undefined })).not.toMatch(/undecryptable|token|key/);
    const logged = t.logs.find((l) => l.includes('provider_config_undecryptable'));
    expect(logged).toContain(p.relayId);
  });

  it('the same holds for any public route, while a tenant keeps the detail it can act on', async () => {
    const pub = await t.call('GET', '/v1/test/public-failure');
    expect(pub.statusCode).toBe(500);
    expect(pub.json()).toMatchObject(GENERIC);
    expect(pub.body).not.toContain('0190');
    const tenant = await t.tenant();
    const own = await t.call('GET', '/v1/test/tenant-failure', { key: tenant.key });
    expect(own.statusCode).toBe(500);
    expect(own.json()).toMatchObject({ code: 'configuration_error' });
    expect(own.json().detail).toContain('0190-tenant-id');
  });
});
