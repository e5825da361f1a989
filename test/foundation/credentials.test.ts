import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFernetKey } from '../../src/kernel/crypto/fernet.js';
import { KeyRing, providerConfigColumn, rotateColumn } from '../../src/providers/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { testProviders } from '../helpers/fake-providers.js';

const SECRET = 'sk_live_copiedSecret123456';
let t: TestApp;
let acme: { id: string; key: string };
const body = (label: string, is_default = false) => ({
  label,
  service_type: 'payment_processor',
  provider_key: 'fakepay',
  config: { api_key: SECRET, region: 'us' },
  is_default,
});

beforeAll(async () => {
  t = await startTestApp({ extraProviders: testProviders });
  acme = await t.tenant('Acme');
});
afterAll(() => t.close());

describe('credentials at rest', () => {
  it('stores a Fernet token, never the secret', async () => {
    await t.call('POST', '/v1/provider-configs', { key: acme.key, body: body('stored') });
    const rows = (await t.ctx.database.db.execute(sql`SELECT config FROM provider_configs`)) as unknown as {
      rows: { config: string }[];
    };
    for (const r of rows.rows) {
      expect(r.config).toMatch(/^gAAAAA[A-Za-z0-9_-]+=*$/);
      expect(r.config).not.toContain('copiedSecret');
    }
  });

  it('a token copied onto another row is a clear configuration error, never a crash or a leak', async () => {
    const a = (await t.call('POST', '/v1/provider-configs', { key: acme.key, body: body('A', true) })).json();
    const b = (await t.call('POST', '/v1/provider-configs', { key: acme.key, body: body('B') })).json();
    await t.ctx.database.db.execute(
      sql`UPDATE provider_configs SET config = (SELECT config FROM provider_configs WHERE id = ${b.id}) WHERE id = ${a.id}`,
    );
    t.ctx.resolver.invalidate(acme.id);

    const got = await t.call('GET', `/v1/provider-configs/${a.id}`, { key: acme.key });
    expect(got.statusCode).toBe(200);
    expect(got.json().config).toBeNull();
    expect(got.json().config_error).toContain('copied across rows');

    const resolved = await t.call('GET', '/v1/provider-resolution?service_type=payment_processor', {
      key: acme.key,
    });
    expect(resolved.statusCode).toBe(500);
    expect(resolved.json()).toMatchObject({ code: 'provider_config_undecryptable' });
    expect(resolved.body).not.toContain(SECRET);
    // the rest of the list still renders
    const list = await t.call('GET', '/v1/provider-configs', { key: acme.key });
    expect(list.statusCode).toBe(200);
    expect(list.json().data.find((c: { id: string }) => c.id === b.id).config.api_key).toBe(
      'sk_live_...***3456',
    );
    expect(t.logs.join('')).not.toContain(SECRET);
  });

  it('rotates every config onto a new first key', async () => {
    const tenant = await t.tenant('Rotate Co');
    const c = (
      await t.call('POST', '/v1/provider-configs', { key: tenant.key, body: body('R', true) })
    ).json();
    const both = KeyRing.parse(`${generateFernetKey()},${t.ctx.config.PROVIDER_ENCRYPTION_KEY}`);
    const r = await rotateColumn(t.ctx.database.db, both, providerConfigColumn);
    expect(r.rotated).toBeGreaterThan(0);
    // the row corrupted by the previous test is reported, not fatal
    expect(r.failed).toHaveLength(1);
    const again = await rotateColumn(t.ctx.database.db, both, providerConfigColumn);
    expect(again.rotated).toBe(0);
    const row = (await t.ctx.database.db.execute(
      sql`SELECT * FROM provider_configs WHERE id = ${c.id}`,
    )) as unknown as { rows: { config: string }[] };
    const opened = both.open<{ api_key: string }>(
      tenant.id,
      'plinth/provider-config/v1',
      { tenant_id: tenant.id, config_id: c.id, service_type: 'payment_processor', provider_key: 'fakepay' },
      row.rows[0]!.config,
    );
    expect(opened).toEqual({ value: { api_key: SECRET, region: 'us' }, stale: false });
  });
});
