import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/kernel/audit.js';
import { rows } from '../../src/kernel/db.js';
import { ConfigurationError } from '../../src/kernel/errors.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

// A customer's SSN: written through the customers API, validated, stored only sealed under the tenant's key,
// returned masked (last four), never in a response, the audit log or a log line; opened only by `taxIds`.
let t: TestApp;
let acme: { id: string; key: string };
let globex: { id: string; key: string };
const SSN = '123-45-6789';
const DIGITS = '123456789';

/** The number, in any of the forms it could leak in. */
const leaks = (text: string) => [DIGITS, SSN, '12345', '123-45'].filter((form) => text.includes(form));

beforeAll(async () => {
  t = await startTestApp();
  acme = await t.tenant('Acme');
  globex = await t.tenant('Globex');
});
afterAll(() => t.close());

const create = (key: string, body: Record<string, unknown>) =>
  t.call('POST', '/v1/customers', { key, body: { legal_name: 'Ada Q Lovelace', ...body } });

describe('customer tax id (SSN)', () => {
  it('is written through the API and returned only masked, by every customer route', async () => {
    const created = await create(acme.key, { tax_id: SSN, external_ref: 'ssn-1' });
    expect(created.statusCode).toBe(201);
    expect(created.json().tax_id_masked).toBe('***-**-6789');
    expect(created.json()).not.toHaveProperty('tax_id');
    const id = created.json().id as string;
    const responses = [
      created,
      await t.call('GET', `/v1/customers/${id}`, { key: acme.key }),
      await t.call('GET', '/v1/customers?limit=50', { key: acme.key }),
      await t.call('GET', '/v1/customers?q=123', { key: acme.key }),
      await t.call('PATCH', `/v1/customers/${id}`, { key: acme.key, body: { email: 'ada@example.com' } }),
      await t.call('GET', '/v1/audit-log?limit=200', { key: acme.key }),
    ];
    for (const r of responses) {
      expect(r.statusCode).toBe(r === created ? 201 : 200);
      expect(leaks(r.body)).toEqual([]);
    }
    expect((await t.call('GET', `/v1/customers/${id}`, { key: acme.key })).json().tax_id_masked).toBe(
      '***-**-6789',
    );
    // The search does not match on it.
    expect((await t.call('GET', '/v1/customers?q=6789', { key: acme.key })).json().data).toEqual([]);
    // The audit log names the field, not the value.
    const audit = (await t.call('GET', '/v1/audit-log?limit=200', { key: acme.key })).json().data as {
      entity_id: string;
      changes: { fields: string[] };
    }[];
    expect(audit.filter((e) => e.entity_id === id).flatMap((e) => e.changes.fields)).toContain('taxId');
    // Nothing the app logged holds it.
    expect(leaks(t.logs.join('\n'))).toEqual([]);
  });

  it('is stored sealed: the row holds a token and the last four, never the number', async () => {
    const id = (await create(acme.key, { tax_id: '219-45-1111' })).json().id as string;
    const [row] = await rows<Record<string, unknown>>(
      t.ctx.database.db,
      sql`SELECT row_to_json(c)::text AS json, tax_id_sealed, tax_id_last4 FROM customers c WHERE id = ${id}`,
    );
    expect(row!.tax_id_last4).toBe('1111');
    expect(String(row!.tax_id_sealed)).toMatch(/^gAAAAA/); // a Fernet token
    expect(String(row!.json)).not.toContain('219451111');
    expect(String(row!.json)).not.toContain('219-45');
  });

  it('is opened only by taxIds, for the tenant that owns the customer', async () => {
    const id = (await create(acme.key, { tax_id: '234567890' })).json().id as string;
    const scope = (tenantId: string) => ({ tenantId, actor: SYSTEM_ACTOR });
    expect(await t.ctx.tenancy.customers.taxIds(scope(acme.id), [id])).toEqual(new Map([[id, '234567890']]));
    // Another tenant neither reads the customer nor opens its number.
    expect((await t.call('GET', `/v1/customers/${id}`, { key: globex.key })).statusCode).toBe(404);
    expect((await t.ctx.tenancy.customers.taxIds(scope(globex.id), [id])).size).toBe(0);
    // A token copied onto another tenant's customer does not open there.
    const theirs = (await create(globex.key, { tax_id: '345-67-8901' })).json().id as string;
    await t.ctx.database.db.execute(
      sql`UPDATE customers SET tax_id_sealed = (SELECT tax_id_sealed FROM customers WHERE id = ${id})
           WHERE id = ${theirs}`,
    );
    await expect(t.ctx.tenancy.customers.taxIds(scope(globex.id), [theirs])).rejects.toThrow(
      ConfigurationError,
    );
  });

  it('refuses an invalid number with a problem naming tax_id (400 at the schema, 422 from the service)', async () => {
    for (const bad of [
      '000-12-3456',
      '666-12-3456',
      '912-34-5678',
      '123-00-4567',
      '123-45-0000',
      '12345678',
      'abc',
    ]) {
      const r = await create(acme.key, { tax_id: bad, external_ref: `bad-${bad}` });
      expect(r.statusCode, bad).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(r.json())).toContain('tax_id');
      expect(r.body).not.toContain(bad.replace(/\D/g, '').slice(0, 5) || 'never');
    }
    const list = (await t.call('GET', '/v1/customers?q=bad-', { key: acme.key })).json().data;
    expect(list).toEqual([]);
    // The service refuses it too (a caller other than HTTP).
    const scope = { tenantId: acme.id, actor: SYSTEM_ACTOR };
    const r = await t.ctx.tenancy.customers.create(scope, { legalName: 'B C', taxId: '900-12-3456' });
    expect(r.ok).toBe(false);
    expect(r.ok ? null : r.error.fields?.[0]?.path).toBe('tax_id');
  });

  it('is replaced or removed by PATCH', async () => {
    const id = (await create(acme.key, { tax_id: SSN })).json().id as string;
    const scope = { tenantId: acme.id, actor: SYSTEM_ACTOR };
    const replaced = await t.call('PATCH', `/v1/customers/${id}`, {
      key: acme.key,
      body: { tax_id: '456789012' },
    });
    expect(replaced.json().tax_id_masked).toBe('***-**-9012');
    expect((await t.ctx.tenancy.customers.taxIds(scope, [id])).get(id)).toBe('456789012');
    const removed = await t.call('PATCH', `/v1/customers/${id}`, { key: acme.key, body: { tax_id: null } });
    expect(removed.json().tax_id_masked).toBeNull();
    expect((await t.ctx.tenancy.customers.taxIds(scope, [id])).size).toBe(0);
  });
});
