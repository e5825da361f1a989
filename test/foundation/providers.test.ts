import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definitionProblems } from '../../src/providers/contract.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { fakePay, testProviders } from '../helpers/fake-providers.js';

let t: TestApp;
let acme: { id: string; key: string };
let globex: { id: string; key: string };
const SECRET = 'sk_live_51HxyzABCDEF123456789';

const fakepayBody = (over: Record<string, unknown> = {}) => ({
  label: 'FakePay US',
  service_type: 'payment_processor',
  provider_key: 'fakepay',
  config: { api_key: SECRET, webhook_secret: 'whsec_0123456789abcdef', region: 'us' },
  is_default: true,
  ...over,
});

async function program(key: string, name = 'P') {
  const r = await t.call('POST', '/v1/programs', {
    key,
    body: { name, program_type: 'test_loan', terms: { currency: 'USD', max_principal: 100000 } },
  });
  expect(r.statusCode).toBe(201);
  return r.json().id as string;
}

beforeAll(async () => {
  t = await startTestApp({ extraProviders: testProviders });
  acme = await t.tenant('Acme');
  globex = await t.tenant('Globex');
});
afterAll(() => t.close());

describe('provider definitions', () => {
  it('lists every definition with its JSON Schema and secret fields', async () => {
    const r = (await t.call('GET', '/v1/providers', { key: acme.key })).json();
    const fake = r.data.find((d: { provider_key: string }) => d.provider_key === 'fakepay');
    expect(fake).toMatchObject({
      service_type: 'payment_processor',
      display_name: 'FakePay (test)',
      secret_fields: ['api_key', 'webhook_secret'],
      metadata: { required_settings: ['api_key', 'region'], tested_with: 'built-in' },
    });
    expect(fake.config_schema.properties.region.enum).toEqual(['us', 'eu']);
    expect(fake.config_schema.required).toContain('api_key');
  });

  it('the definition checker catches incomplete definitions', () => {
    expect(definitionProblems(fakePay)).toEqual([]);
    const broken = {
      ...fakePay,
      key: 'Bad-Key',
      displayName: '',
      secretFields: ['nope'],
      metadata: { ...fakePay.metadata, documentation: '', testedWith: 'sandbox/simulators/none' },
    };
    const problems = definitionProblems(broken).join('\n');
    expect(problems).toContain('snake_case');
    expect(problems).toContain('displayName');
    expect(problems).toContain('documentation');
    expect(problems).toContain('secret field nope');
    expect(problems).toContain('sandbox/simulators/none does not exist');
  });
});

describe('provider configs', () => {
  it('creates a config and never returns its secrets', async () => {
    const r = await t.call('POST', '/v1/provider-configs', { key: acme.key, body: fakepayBody() });
    expect(r.statusCode).toBe(201);
    const c = r.json();
    expect(c).toMatchObject({ label: 'FakePay US', is_default: true, is_active: true, version: 1 });
    expect(c.config).toEqual({
      api_key: 'sk_live_...***6789',
      webhook_secret: 'whsec_...***cdef',
      region: 'us',
    });
    expect(r.body).not.toContain(SECRET);
    const got = await t.call('GET', `/v1/provider-configs/${c.id}`, { key: acme.key });
    expect(got.body).not.toContain(SECRET);
    expect(got.json().config.api_key).toBe('sk_live_...***6789');
  });

  it('answers 422 listing the supported keys for an unknown provider', async () => {
    const r = await t.call('POST', '/v1/provider-configs', {
      key: acme.key,
      body: fakepayBody({ provider_key: 'paypal' }),
    });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'unknown_provider', supported_keys: ['fakepay', 'otherpay'] });
  });

  it('answers 422 with field paths for a config that fails the schema', async () => {
    const r = await t.call('POST', '/v1/provider-configs', {
      key: acme.key,
      body: fakepayBody({ config: { api_key: 'pk_wrong', region: 'mars', timeout_ms: 'fast', extra: 1 } }),
    });
    expect(r.statusCode).toBe(422);
    const paths = r
      .json()
      .errors.map((e: { path: string }) => e.path)
      .sort();
    expect(paths).toEqual(['config.api_key', 'config.extra', 'config.region', 'config.timeout_ms']);
    expect(r.body).not.toContain('pk_wrong');
  });

  it('rejects unknown body fields and wrong types with 400 and writes nothing', async () => {
    const before = (await t.call('GET', '/v1/provider-configs', { key: globex.key })).json().data.length;
    const r = await t.call('POST', '/v1/provider-configs', {
      key: globex.key,
      body: { ...fakepayBody(), is_default: 'yes', owner: 'me' },
    });
    expect(r.statusCode).toBe(400);
    expect(
      r
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['is_default', 'owner']);
    expect((await t.call('GET', '/v1/provider-configs', { key: globex.key })).json().data.length).toBe(
      before,
    );
  });

  it('PATCH keeps secrets the body omits or sends back masked', async () => {
    const c = (
      await t.call('POST', '/v1/provider-configs', {
        key: acme.key,
        body: fakepayBody({ label: 'EU', is_default: false }),
      })
    ).json();
    const p1 = await t.call('PATCH', `/v1/provider-configs/${c.id}`, {
      key: acme.key,
      body: { config: { region: 'eu' } },
    });
    expect(p1.statusCode).toBe(200);
    expect(p1.json()).toMatchObject({ version: 2, config: { region: 'eu', api_key: 'sk_live_...***6789' } });
    // round-tripping the masked form keeps the real secret
    await t.call('PATCH', `/v1/provider-configs/${c.id}`, {
      key: acme.key,
      body: { config: p1.json().config },
    });
    const r = await t.ctx.resolver.byId('payment_processor', c.id, acme.id);
    expect(r?.config).toMatchObject({
      api_key: SECRET,
      region: 'eu',
      webhook_secret: 'whsec_0123456789abcdef',
    });
    // a new secret replaces the old one
    await t.call('PATCH', `/v1/provider-configs/${c.id}`, {
      key: acme.key,
      body: { config: { api_key: 'sk_live_rotated99999' } },
    });
    expect((await t.ctx.resolver.byId('payment_processor', c.id, acme.id))?.config.api_key).toBe(
      'sk_live_rotated99999',
    );
  });

  it('keeps at most one active default per service type', async () => {
    const a = (
      await t.call('POST', '/v1/provider-configs', { key: globex.key, body: fakepayBody({ label: 'A' }) })
    ).json();
    const b = (
      await t.call('POST', '/v1/provider-configs', { key: globex.key, body: fakepayBody({ label: 'B' }) })
    ).json();
    const list = (
      await t.call('GET', '/v1/provider-configs?service_type=payment_processor', { key: globex.key })
    ).json().data;
    const defaults = list.filter((c: { is_default: boolean }) => c.is_default);
    expect(defaults.map((c: { id: string }) => c.id)).toEqual([b.id]);
    await t.call('PATCH', `/v1/provider-configs/${a.id}`, { key: globex.key, body: { is_default: true } });
    const after = (await t.call('GET', '/v1/provider-configs', { key: globex.key })).json().data;
    expect(
      after.filter((c: { is_default: boolean }) => c.is_default).map((c: { id: string }) => c.id),
    ).toEqual([a.id]);
  });

  it("hides another tenant's configs behind 404", async () => {
    const c = (
      await t.call('POST', '/v1/provider-configs', {
        key: acme.key,
        body: fakepayBody({ label: 'Mine', is_default: false }),
      })
    ).json();
    for (const [method, body] of [['GET'], ['PATCH', { label: 'x' }], ['DELETE']] as const) {
      const r = await t.call(method, `/v1/provider-configs/${c.id}`, { key: globex.key, body });
      expect(r.statusCode, method).toBe(404);
    }
    const theirs = (await t.call('GET', '/v1/provider-configs', { key: globex.key })).json().data;
    expect(theirs.some((x: { id: string }) => x.id === c.id)).toBe(false);
  });

  it('needs the admin role to manage configs', async () => {
    const op = (
      await t.call('POST', '/v1/api-keys', { key: acme.key, body: { name: 'op', role: 'operator' } })
    ).json();
    expect((await t.call('GET', '/v1/provider-configs', { key: op.api_key })).statusCode).toBe(403);
    expect(
      (await t.call('POST', '/v1/provider-configs', { key: op.api_key, body: fakepayBody() })).statusCode,
    ).toBe(403);
  });
});

describe('assignments and the resolution chain', () => {
  it('goes program assignment → tenant default → none', async () => {
    const tenant = await t.tenant('Chain Co');
    const p1 = await program(tenant.key, 'Assigned');
    const p2 = await program(tenant.key, 'Unassigned');
    const resolve = async (programId?: string) =>
      (
        await t.call(
          'GET',
          `/v1/provider-resolution?service_type=payment_processor${programId ? `&program_id=${programId}` : ''}`,
          {
            key: tenant.key,
          },
        )
      ).json();

    expect(await resolve(p1)).toEqual({ source: 'none', provider_config_id: null, provider_key: null });

    const def = (
      await t.call('POST', '/v1/provider-configs', { key: tenant.key, body: fakepayBody() })
    ).json();
    expect(await resolve(p1)).toEqual({
      source: 'tenant_default',
      provider_config_id: def.id,
      provider_key: 'fakepay',
    });

    const other = (
      await t.call('POST', '/v1/provider-configs', {
        key: tenant.key,
        body: {
          label: 'Other',
          service_type: 'payment_processor',
          provider_key: 'otherpay',
          config: { token: 'tok_0123456789ab' },
        },
      })
    ).json();
    const put = await t.call('PUT', `/v1/programs/${p1}/provider-assignments/payment_processor`, {
      key: tenant.key,
      body: { provider_config_id: other.id },
    });
    expect(put.statusCode).toBe(200);
    expect(await resolve(p1)).toEqual({
      source: 'program',
      provider_config_id: other.id,
      provider_key: 'otherpay',
    });
    expect(await resolve(p2)).toMatchObject({ source: 'tenant_default', provider_config_id: def.id });
    expect(await resolve()).toMatchObject({ source: 'tenant_default' });

    // an assigned config that is deactivated falls back to the default
    await t.call('PATCH', `/v1/provider-configs/${other.id}`, {
      key: tenant.key,
      body: { is_active: false },
    });
    expect(await resolve(p1)).toMatchObject({ source: 'tenant_default', provider_config_id: def.id });
    await t.call('PATCH', `/v1/provider-configs/${other.id}`, { key: tenant.key, body: { is_active: true } });

    // an assigned config cannot be deleted
    const del = await t.call('DELETE', `/v1/provider-configs/${other.id}`, { key: tenant.key });
    expect(del.statusCode).toBe(409);
    expect(
      (
        await t.call('DELETE', `/v1/programs/${p1}/provider-assignments/payment_processor`, {
          key: tenant.key,
        })
      ).statusCode,
    ).toBe(204);
    expect((await t.call('DELETE', `/v1/provider-configs/${other.id}`, { key: tenant.key })).statusCode).toBe(
      204,
    );
    expect(await resolve(p1)).toMatchObject({ source: 'tenant_default', provider_config_id: def.id });
  });

  it('refuses a config of another service type, or of another tenant', async () => {
    const p = await program(acme.key);
    const theirs = (
      await t.call('POST', '/v1/provider-configs', { key: globex.key, body: fakepayBody({ label: 'G' }) })
    ).json();
    const r = await t.call('PUT', `/v1/programs/${p}/provider-assignments/payment_processor`, {
      key: acme.key,
      body: { provider_config_id: theirs.id },
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors[0].path).toBe('provider_config_id');
    const mine = (
      await t.call('POST', '/v1/provider-configs', {
        key: acme.key,
        body: fakepayBody({ label: 'M', is_default: false }),
      })
    ).json();
    const wrongType = await t.call('PUT', `/v1/programs/${p}/provider-assignments/email`, {
      key: acme.key,
      body: { provider_config_id: mine.id },
    });
    expect(wrongType.json().code).toBe('service_type_mismatch');
    // another tenant's program is a 404
    const theirProgram = await program(globex.key);
    const foreign = await t.call(
      'PUT',
      `/v1/programs/${theirProgram}/provider-assignments/payment_processor`,
      {
        key: acme.key,
        body: { provider_config_id: mine.id },
      },
    );
    expect(foreign.statusCode).toBe(404);
  });

  it('caches instances per config version and rebuilds them after a change', async () => {
    const tenant = await t.tenant('Cache Co');
    const c = (await t.call('POST', '/v1/provider-configs', { key: tenant.key, body: fakepayBody() })).json();
    type Inst = { serial: number; region: string };
    expect(t.ctx.resolver.cached(tenant.id, 'payment_processor')).toBeUndefined();
    const first = await t.ctx.resolver.resolve(tenant.id, 'payment_processor');
    const again = await t.ctx.resolver.resolve(tenant.id, 'payment_processor');
    if (first.source === 'none' || again.source === 'none') throw new Error('expected a provider');
    expect(again.instance).toBe(first.instance);
    // Once resolved, the answer is there without a database read (the card decision path asks this way).
    expect(t.ctx.resolver.cached(tenant.id, 'payment_processor')).toBe(again);
    expect(t.ctx.resolver.cached(tenant.id, 'email')).toBeUndefined();
    await t.ctx.resolver.resolve(tenant.id, 'email');
    expect(t.ctx.resolver.cached(tenant.id, 'email')).toEqual({ source: 'none' });
    await t.call('PATCH', `/v1/provider-configs/${c.id}`, {
      key: tenant.key,
      body: { config: { region: 'eu' } },
    });
    expect(t.ctx.resolver.cached(tenant.id, 'payment_processor')).toBeUndefined();
    const changed = await t.ctx.resolver.resolve(tenant.id, 'payment_processor');
    if (changed.source === 'none') throw new Error('expected a provider');
    expect(changed.instance).not.toBe(first.instance);
    expect((changed.instance as Inst).region).toBe('eu');
    expect(changed.version).toBe(2);
  });

  it('caches nothing that a read racing an invalidation found', async () => {
    const tenant = await t.tenant('Race Co');
    await t.call('POST', '/v1/provider-configs', { key: tenant.key, body: fakepayBody() });
    // The read is under way (its query awaits the database) when a change invalidates the tenant's entries:
    // what it found may predate the change, so it is answered but not kept.
    const reading = t.ctx.resolver.resolve(tenant.id, 'payment_processor');
    t.ctx.resolver.invalidate(tenant.id);
    expect((await reading).source).toBe('tenant_default');
    expect(t.ctx.resolver.cached(tenant.id, 'payment_processor')).toBeUndefined();
  });
});

describe('programs', () => {
  it('answers 422 listing the program types for an unknown program_type', async () => {
    const r = await t.call('POST', '/v1/programs', {
      key: acme.key,
      body: { name: 'X', program_type: 'payday', terms: {} },
    });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({
      code: 'unknown_program_type',
      supported_types: ['installment_loan', 'lease', 'line_of_credit', 'test_loan'],
      errors: [{ path: 'program_type' }],
    });
  });

  it('validates terms with the program type’s schema', async () => {
    const r = await t.call('POST', '/v1/programs', {
      key: acme.key,
      body: { name: 'X', program_type: 'test_loan', terms: { currency: 'USD', max_principal: -5 } },
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors).toEqual([{ path: 'terms.max_principal', message: expect.any(String) }]);
  });

  it("lists only the tenant's programs", async () => {
    const id = await program(acme.key, 'Acme only');
    expect((await t.call('GET', `/v1/programs/${id}`, { key: acme.key })).json()).toMatchObject({
      name: 'Acme only',
      currency: 'USD',
    });
    expect((await t.call('GET', `/v1/programs/${id}`, { key: globex.key })).statusCode).toBe(404);
    const theirs = (await t.call('GET', '/v1/programs', { key: globex.key })).json().data;
    expect(theirs.some((p: { id: string }) => p.id === id)).toBe(false);
  });
});
