import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scopeOf } from '../../src/modules/tenancy/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let acme: { id: string; key: string };
let calls = 0;

beforeAll(async () => {
  t = await startTestApp({ env: { PLINTH_BODY_LIMIT_BYTES: '4096' } });
  // A stand-in for the money-moving routes of later issues: counts how often its handler really runs.
  t.app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/test/transfers',
    {
      config: { idempotent: true },
      schema: { body: z.strictObject({ amount: z.number().int().positive() }) },
    },
    async (req, reply) => {
      calls++;
      return reply
        .code(201)
        .send({ transfer: calls, amount: req.body.amount, tenant: scopeOf(req).tenantId });
    },
  );
  acme = await t.tenant('Acme');
});
afterAll(() => t.close());

describe('health', () => {
  it('answers /healthz and /readyz without credentials', async () => {
    expect((await t.call('GET', '/healthz')).json()).toEqual({ status: 'ok' });
    expect((await t.call('GET', '/readyz')).json()).toEqual({ status: 'ready', database: 'ok' });
  });
});

describe('bad input', () => {
  it('malformed JSON is a 400 problem', async () => {
    const r = await t.call('POST', '/v1/customers', {
      key: acme.key,
      body: '{"legal_name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json()).toMatchObject({ code: 'malformed_json', status: 400, instance: '/v1/customers' });
  });

  it('an oversized body is a 413 problem and writes nothing', async () => {
    const r = await t.call('POST', '/v1/customers', {
      key: acme.key,
      body: { legal_name: 'x'.repeat(10_000) },
    });
    expect(r.statusCode).toBe(413);
    expect(r.json().code).toBe('body_too_large');
    expect((await t.call('GET', '/v1/customers', { key: acme.key })).json().data).toEqual([]);
  });

  it('wrong types name the field', async () => {
    const r = await t.call('POST', '/v1/customers', {
      key: acme.key,
      body: { legal_name: 42, covered_military_borrower: 'no' },
    });
    expect(r.statusCode).toBe(400);
    expect(
      r
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['covered_military_borrower', 'legal_name']);
  });

  // Multipart is read by the import route only: elsewhere it is as unsupported as text.
  it.each([
    ['text/plain', 'legal_name=x'],
    [
      'multipart/form-data; boundary=b',
      '--b\r\ncontent-disposition: form-data; name="legal_name"\r\n\r\nx\r\n--b--\r\n',
    ],
  ])('a %s body is a 415 problem', async (contentType, body) => {
    const r = await t.call('POST', '/v1/customers', {
      key: acme.key,
      body,
      headers: { 'content-type': contentType },
    });
    expect(r.statusCode).toBe(415);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.headers['x-request-id']).toBeDefined();
  });

  it('an unknown route is a 404 problem', async () => {
    const r = await t.call('GET', '/v1/nothing-here', { key: acme.key });
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('route_not_found');
  });
});

describe('request ids', () => {
  it('echoes a sane incoming id and mints one otherwise', async () => {
    const r = await t.call('GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(r.headers['x-request-id']).toBe('abc-123');
    const minted = await t.call('GET', '/healthz', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('OpenAPI', () => {
  it('serves an OpenAPI 3.1 document generated from the routes, and the docs', async () => {
    const doc = (await t.call('GET', '/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/tenants',
        '/v1/customers',
        '/v1/customers/{id}',
        '/v1/provider-configs',
        '/v1/programs',
      ]),
    );
    expect(
      doc.paths['/v1/customers'].post.requestBody.content['application/json'].schema.properties.phone,
    ).toBeDefined();
    expect((await t.call('GET', '/docs/')).statusCode).toBe(200);
  });
});

describe('Idempotency-Key', () => {
  const post = (key: string | undefined, amount: number) =>
    t.call('POST', '/v1/test/transfers', {
      key: acme.key,
      body: { amount },
      headers: key ? { 'idempotency-key': key } : {},
    });

  it('replays the stored response for the same key and body', async () => {
    const before = calls;
    const first = await post('k-1', 100);
    const second = await post('k-1', 100);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.body).toBe(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(calls).toBe(before + 1);
  });

  it('refuses the same key with a different body (422)', async () => {
    await post('k-2', 100);
    const r = await post('k-2', 200);
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('idempotency_key_reused');
  });

  it('scopes keys per tenant and runs every request without a key', async () => {
    const other = await t.tenant('Other');
    const r = await t.call('POST', '/v1/test/transfers', {
      key: other.key,
      body: { amount: 100 },
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(r.json().tenant).toBe(other.id);
    const before = calls;
    await post(undefined, 5);
    await post(undefined, 5);
    expect(calls).toBe(before + 2);
  });

  it('a request that fails validation does not consume the key; malformed keys are refused', async () => {
    expect((await post('k-3', -1)).statusCode).toBe(400);
    expect((await post('k-3', 5)).statusCode).toBe(201);
    expect((await post('key with spaces', 1)).statusCode).toBe(400);
  });
});

describe('idempotency housekeeping', () => {
  it('purges keys older than the retention window, keeps recent ones', async () => {
    const { purgeOlderThan } = await import('../../src/kernel/idempotency.js');
    const { sql } = await import('drizzle-orm');
    await t.call('POST', '/v1/test/transfers', {
      key: acme.key,
      body: { amount: 7 },
      headers: { 'idempotency-key': 'old-1' },
    });
    await t.call('POST', '/v1/test/transfers', {
      key: acme.key,
      body: { amount: 8 },
      headers: { 'idempotency-key': 'new-1' },
    });
    await t.ctx.database.db.execute(
      sql`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old-1'`,
    );
    expect(await purgeOlderThan(t.ctx.database.db, 24)).toBe(1);
    const before = calls;
    await t.call('POST', '/v1/test/transfers', {
      key: acme.key,
      body: { amount: 7 },
      headers: { 'idempotency-key': 'old-1' },
    });
    await t.call('POST', '/v1/test/transfers', {
      key: acme.key,
      body: { amount: 8 },
      headers: { 'idempotency-key': 'new-1' },
    });
    expect(calls).toBe(before + 1); // the purged key runs again, the recent one replays
  });
});
