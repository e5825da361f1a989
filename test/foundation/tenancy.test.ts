import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let acme: { id: string; key: string };
let globex: { id: string; key: string };

beforeAll(async () => {
  t = await startTestApp();
  acme = await t.tenant('Acme');
  globex = await t.tenant('Globex');
});
afterAll(() => t.close());

describe('tenants', () => {
  it('needs the platform admin token', async () => {
    expect((await t.call('POST', '/v1/tenants', { body: { name: 'X' } })).statusCode).toBe(401);
    const wrong = await t.call('POST', '/v1/tenants', {
      key: 'not-the-admin-token-at-all',
      body: { name: 'X' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    // A tenant key is not the admin token either.
    expect((await t.call('POST', '/v1/tenants', { key: acme.key, body: { name: 'X' } })).statusCode).toBe(
      401,
    );
  });

  it('shows the API key once and stores only its hash', async () => {
    const r = await t.call('POST', '/v1/tenants', {
      key: ADMIN_TOKEN,
      body: { name: 'Initech', time_zone: 'America/Chicago' },
    });
    expect(r.statusCode).toBe(201);
    const body = r.json();
    expect(body.tenant).toMatchObject({ name: 'Initech', time_zone: 'America/Chicago', status: 'active' });
    expect(body.api_key).toMatch(/^plk_[A-Za-z0-9_-]{43}$/);
    const rows = await t.ctx.database.db.execute(sql`SELECT key_hash::text AS h, prefix FROM api_keys`);
    const stored = JSON.stringify((rows as unknown as { rows: unknown[] }).rows);
    expect(stored).not.toContain(body.api_key);
    expect(stored).not.toContain(body.api_key.slice(12));
  });

  it('answers the calling tenant', async () => {
    const r = await t.call('GET', '/v1/tenant', { key: acme.key });
    expect(r.json()).toMatchObject({ id: acme.id, name: 'Acme' });
  });
});

describe('API keys and roles', () => {
  it('rejects a missing or invalid bearer token with 401', async () => {
    expect((await t.call('GET', '/v1/customers')).statusCode).toBe(401);
    expect((await t.call('GET', '/v1/customers', { key: 'plk_forged' })).statusCode).toBe(401);
    const r = await t.call('GET', '/v1/customers', { headers: { authorization: 'Basic abc' } });
    expect(r.statusCode).toBe(401);
    expect(r.headers['www-authenticate']).toBe('Bearer');
  });

  it('creates, lists and revokes keys with roles', async () => {
    const viewer = (
      await t.call('POST', '/v1/api-keys', { key: acme.key, body: { name: 'dash', role: 'viewer' } })
    ).json();
    const operator = (
      await t.call('POST', '/v1/api-keys', { key: acme.key, body: { name: 'ops', role: 'operator' } })
    ).json();
    expect(viewer.api_key).toMatch(/^plk_/);

    // viewer reads, cannot write
    expect((await t.call('GET', '/v1/customers', { key: viewer.api_key })).statusCode).toBe(200);
    const denied = await t.call('POST', '/v1/customers', { key: viewer.api_key, body: { legal_name: 'X' } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('insufficient_role');
    // operator writes business data, cannot manage keys
    expect(
      (await t.call('POST', '/v1/customers', { key: operator.api_key, body: { legal_name: 'X' } }))
        .statusCode,
    ).toBe(201);
    expect((await t.call('GET', '/v1/api-keys', { key: operator.api_key })).statusCode).toBe(403);

    const list = (await t.call('GET', '/v1/api-keys', { key: acme.key })).json();
    expect(list.data.map((k: { name: string }) => k.name)).toEqual(['initial admin key', 'dash', 'ops']);
    expect(JSON.stringify(list)).not.toContain(viewer.api_key);

    const revoked = await t.call('DELETE', `/v1/api-keys/${viewer.id}`, { key: acme.key });
    expect(revoked.json().revoked_at).not.toBeNull();
    expect((await t.call('GET', '/v1/customers', { key: viewer.api_key })).statusCode).toBe(401);
  });

  it('refuses to revoke the last admin key', async () => {
    const keys = (await t.call('GET', '/v1/api-keys', { key: globex.key })).json().data;
    const r = await t.call('DELETE', `/v1/api-keys/${keys[0].id}`, { key: globex.key });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('last_admin_key');
    expect((await t.call('GET', '/v1/tenant', { key: globex.key })).statusCode).toBe(200);
  });

  it('two admins revoking each other at once leave one admin key (the guard holds under concurrency)', async () => {
    const tenant = await t.tenant('Mutual Co');
    const second = (
      await t.call('POST', '/v1/api-keys', { key: tenant.key, body: { name: 'second admin', role: 'admin' } })
    ).json();
    const first = (await t.call('GET', '/v1/api-keys', { key: tenant.key }))
      .json()
      .data.find((k: { name: string }) => k.name === 'initial admin key');
    const [a, b] = await Promise.all([
      t.call('DELETE', `/v1/api-keys/${second.id}`, { key: tenant.key }),
      t.call('DELETE', `/v1/api-keys/${first.id}`, { key: second.api_key }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const survivor = a.statusCode === 200 ? tenant.key : second.api_key;
    const live = (await t.call('GET', '/v1/api-keys', { key: survivor }))
      .json()
      .data.filter((k: { role: string; revoked_at: string | null }) => k.role === 'admin' && !k.revoked_at);
    expect(live).toHaveLength(1);
  });

  it('the platform admin can issue a tenant a new admin key; a tenant key cannot', async () => {
    const tenant = await t.tenant('Locked Out Co');
    const refused = await t.call('POST', `/v1/tenants/${tenant.id}/api-keys`, {
      key: tenant.key,
      body: { name: 'recovery' },
    });
    expect(refused.statusCode).toBe(401);
    const issued = await t.call('POST', `/v1/tenants/${tenant.id}/api-keys`, {
      key: ADMIN_TOKEN,
      body: { name: 'recovery' },
    });
    expect(issued.statusCode).toBe(201);
    expect(issued.json()).toMatchObject({ role: 'admin', created_by: 'platform_admin' });
    expect((await t.call('GET', '/v1/api-keys', { key: issued.json().api_key })).statusCode).toBe(200);
    const unknown = await t.call('POST', '/v1/tenants/01900000-0000-7000-8000-000000000000/api-keys', {
      key: ADMIN_TOKEN,
      body: { name: 'recovery' },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it("cannot revoke another tenant's key (404)", async () => {
    const keys = (await t.call('GET', '/v1/api-keys', { key: globex.key })).json().data;
    expect((await t.call('DELETE', `/v1/api-keys/${keys[0].id}`, { key: acme.key })).statusCode).toBe(404);
  });
});

describe('customers', () => {
  const jane = {
    external_ref: 'crm-1',
    legal_name: 'Jane Q. Borrower',
    email: 'jane@example.com',
    phone: '+14155550123',
    address: {
      lines: ['1 Market St', 'Apt 2'],
      city: 'San Francisco',
      state: 'CA',
      postal_code: '94105',
      country: 'US',
    },
    date_of_birth: '1990-04-01',
    time_zone: 'America/Los_Angeles',
    covered_military_borrower: true,
    active_duty_start_date: '2024-01-15',
  };

  it('creates, reads, lists and patches', async () => {
    const created = await t.call('POST', '/v1/customers', { key: acme.key, body: jane });
    expect(created.statusCode).toBe(201);
    const c = created.json();
    expect(c).toMatchObject(jane);
    expect((await t.call('GET', `/v1/customers/${c.id}`, { key: acme.key })).json()).toMatchObject(jane);
    const patched = await t.call('PATCH', `/v1/customers/${c.id}`, {
      key: acme.key,
      body: { email: null, phone: '+442071838750' },
    });
    expect(patched.json()).toMatchObject({
      email: null,
      phone: '+442071838750',
      legal_name: jane.legal_name,
    });
    const list = (await t.call('GET', '/v1/customers?limit=50', { key: acme.key })).json();
    expect(list.data.some((x: { id: string }) => x.id === c.id)).toBe(true);
  });

  it('refuses a duplicate external_ref with 409', async () => {
    const r = await t.call('POST', '/v1/customers', {
      key: acme.key,
      body: { ...jane, email: 'other@example.com' },
    });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'duplicate_external_ref', errors: [{ path: 'external_ref' }] });
    // the same ref in another tenant is fine
    expect((await t.call('POST', '/v1/customers', { key: globex.key, body: jane })).statusCode).toBe(201);
  });

  it('names each bad field and writes nothing', async () => {
    const before = (await t.call('GET', '/v1/customers?limit=200', { key: acme.key })).json().data.length;
    const r = await t.call('POST', '/v1/customers', {
      key: acme.key,
      body: {
        legal_name: '',
        phone: '0415',
        email: 'nope',
        date_of_birth: '1990-02-30',
        time_zone: 'Mars/Olympus',
        address: { lines: [], city: 'X', country: 'USA' },
        nickname: 'jq',
      },
    });
    expect(r.statusCode).toBe(400);
    const paths = r
      .json()
      .errors.map((e: { path: string }) => e.path)
      .sort();
    expect(paths).toEqual(
      [
        'address.country',
        'address.lines',
        'date_of_birth',
        'email',
        'legal_name',
        'nickname',
        'phone',
        'time_zone',
      ].sort(),
    );
    const after = (await t.call('GET', '/v1/customers?limit=200', { key: acme.key })).json().data.length;
    expect(after).toBe(before);
  });

  it("hides other tenants' customers behind 404", async () => {
    const mine = (
      await t.call('POST', '/v1/customers', { key: acme.key, body: { legal_name: 'Private' } })
    ).json();
    expect((await t.call('GET', `/v1/customers/${mine.id}`, { key: globex.key })).statusCode).toBe(404);
    expect(
      (await t.call('PATCH', `/v1/customers/${mine.id}`, { key: globex.key, body: { legal_name: 'Pwned' } }))
        .statusCode,
    ).toBe(404);
    expect((await t.call('GET', '/v1/customers/not-a-uuid', { key: acme.key })).statusCode).toBe(404);
    const theirs = (await t.call('GET', '/v1/customers?limit=200', { key: globex.key })).json().data;
    expect(theirs.some((x: { id: string }) => x.id === mine.id)).toBe(false);
  });
});

describe('audit log', () => {
  it('records who changed what, and cannot be altered', async () => {
    const log = (await t.call('GET', '/v1/audit-log?limit=200', { key: acme.key })).json().data;
    const actions = log.map((e: { action: string }) => e.action);
    expect(actions).toContain('tenant.created');
    expect(actions).toContain('api_key.created');
    expect(actions).toContain('api_key.revoked');
    expect(actions).toContain('customer.created');
    const created = log.find((e: { action: string }) => e.action === 'api_key.revoked');
    expect(created.actor.type).toBe('api_key');
    expect(created.request_id).toBeTruthy();
    // PII stays out of the log
    expect(JSON.stringify(log)).not.toContain('jane@example.com');

    await expect(t.ctx.database.db.execute(sql`UPDATE audit_log SET action = 'x'`)).rejects.toThrow();
    await expect(t.ctx.database.db.execute(sql`DELETE FROM audit_log`)).rejects.toThrow();
    await expect(t.ctx.database.db.execute(sql`TRUNCATE audit_log`)).rejects.toThrow();
    // another tenant sees none of it
    const theirs = (await t.call('GET', '/v1/audit-log?limit=200', { key: globex.key })).json().data;
    expect(
      theirs.every(
        (e: { entity_id: string }) =>
          !log.some((m: { entity_id: string }) => m.entity_id === e.entity_id) || e.entity_id === null,
      ),
    ).toBe(true);
  });
});
