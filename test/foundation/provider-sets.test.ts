import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { testProviders } from '../helpers/fake-providers.js';

// Sets of configs that apply at once (compliance rules): the resolver's resolveSet and program overrides per key.
// The fake payment processors stand in for any provider type; the rules' own tests use compliance_rule configs.
let t: TestApp;
let tenant: { id: string; key: string };

const fakepay = (label: string, over: Record<string, unknown> = {}) => ({
  label,
  service_type: 'payment_processor',
  provider_key: 'fakepay',
  config: { api_key: 'sk_test_0123456789', region: 'us' },
  ...over,
});
const otherpay = (label: string) => ({
  label,
  service_type: 'payment_processor',
  provider_key: 'otherpay',
  config: { token: 'tok_0123456789ab' },
});

async function create(body: unknown): Promise<string> {
  const r = await t.call('POST', '/v1/provider-configs', { key: tenant.key, body });
  expect(r.statusCode).toBe(201);
  return r.json().id;
}

async function program(): Promise<string> {
  const r = await t.call('POST', '/v1/programs', {
    key: tenant.key,
    body: { name: 'P', program_type: 'test_loan', terms: { currency: 'USD', max_principal: 100000 } },
  });
  return r.json().id;
}

const set = async (programId?: string) =>
  (
    await t.call(
      'GET',
      `/v1/provider-resolution/sets?service_type=payment_processor${programId ? `&program_id=${programId}` : ''}`,
      { key: tenant.key },
    )
  ).json().data as { source: string; provider_config_id: string; provider_key: string }[];

const override = (programId: string, key: string, configId: string | null) =>
  t.call('PUT', `/v1/programs/${programId}/provider-set-assignments/payment_processor/${key}`, {
    key: tenant.key,
    body: { provider_config_id: configId },
  });

beforeAll(async () => {
  t = await startTestApp({ extraProviders: testProviders });
  tenant = await t.tenant('Sets Co');
});
afterAll(() => t.close());

describe('sets of configs (resolveSet)', () => {
  it('applies every active config of the tenant, and a program overrides or switches off a key', async () => {
    const a = await create(fakepay('A'));
    const b = await create(fakepay('B (programs only)', { is_active: false }));
    const c = await create(otherpay('C'));
    const p = await program();
    const p2 = await program();

    expect(await set()).toEqual([
      { source: 'tenant', provider_config_id: a, provider_key: 'fakepay' },
      { source: 'tenant', provider_config_id: c, provider_key: 'otherpay' },
    ]);
    expect((await override(p, 'fakepay', b)).statusCode).toBe(200);
    expect(await set(p)).toEqual([
      { source: 'program', provider_config_id: b, provider_key: 'fakepay' },
      { source: 'tenant', provider_config_id: c, provider_key: 'otherpay' },
    ]);
    expect((await override(p, 'otherpay', null)).statusCode).toBe(200);
    expect((await set(p)).map((m) => m.provider_config_id)).toEqual([b]);
    // other programs and the tenant level are unchanged
    expect((await set(p2)).map((m) => m.provider_config_id)).toEqual([a, c]);

    const listed = await t.call('GET', `/v1/programs/${p}/provider-set-assignments`, { key: tenant.key });
    expect(listed.json().data).toEqual([
      { program_id: p, service_type: 'payment_processor', provider_key: 'fakepay', provider_config_id: b },
      {
        program_id: p,
        service_type: 'payment_processor',
        provider_key: 'otherpay',
        provider_config_id: null,
      },
    ]);

    // a config a program names cannot be deleted
    expect((await t.call('DELETE', `/v1/provider-configs/${b}`, { key: tenant.key })).statusCode).toBe(409);
    const removed = await t.call(
      'DELETE',
      `/v1/programs/${p}/provider-set-assignments/payment_processor/otherpay`,
      {
        key: tenant.key,
      },
    );
    expect(removed.statusCode).toBe(204);
    expect((await set(p)).map((m) => m.provider_config_id)).toEqual([b, c]);

    // deactivating a tenant config takes it out of the tenant's set
    await t.call('PATCH', `/v1/provider-configs/${a}`, { key: tenant.key, body: { is_active: false } });
    expect((await set()).map((m) => m.provider_config_id)).toEqual([c]);
  });

  it('refuses an override naming a config of another key or service type', async () => {
    const p = await program();
    const c = await create(otherpay('C2'));
    const r = await override(p, 'fakepay', c);
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({
      code: 'invalid_set_assignment',
      errors: [{ path: 'provider_config_id' }],
    });
    const wrongType = await t.call('PUT', `/v1/programs/${p}/provider-set-assignments/email/otherpay`, {
      key: tenant.key,
      body: { provider_config_id: c },
    });
    expect(wrongType.statusCode).toBe(422);
  });

  it('caches the set until a change, and caches nothing a racing read found', async () => {
    const other = await t.tenant('Set Cache Co');
    const first = await t.ctx.resolver.resolveSet(other.id, 'payment_processor');
    expect(first).toEqual([]);
    expect(await t.ctx.resolver.resolveSet(other.id, 'payment_processor')).toBe(first);
    const r = await t.call('POST', '/v1/provider-configs', { key: other.key, body: fakepay('X') });
    expect(r.statusCode).toBe(201);
    const after = await t.ctx.resolver.resolveSet(other.id, 'payment_processor');
    expect(after.map((m) => m.providerConfigId)).toEqual([r.json().id]);
    const again = await t.ctx.resolver.resolveSet(other.id, 'payment_processor');
    expect(again).toBe(after);
    expect(again[0]!.instance).toBe(after[0]!.instance);

    t.ctx.resolver.invalidate(other.id);
    const reading = t.ctx.resolver.resolveSet(other.id, 'payment_processor');
    t.ctx.resolver.invalidate(other.id);
    const raced = await reading;
    expect(raced).toHaveLength(1);
    expect(await t.ctx.resolver.resolveSet(other.id, 'payment_processor')).not.toBe(raced);
  });
});
