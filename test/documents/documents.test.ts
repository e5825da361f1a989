import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DocumentsHarness,
  put,
  requestUpload,
  sha256,
  startDocumentsHarness,
  storageTenant,
} from './harness.js';

// The documents API: the tenant's upload policy (413, 415), owners and isolation, no storage configured, and the
// local store's URLs against path traversal.
let h: DocumentsHarness;
let tenant: Awaited<ReturnType<typeof storageTenant>>;
beforeAll(async () => {
  h = await startDocumentsHarness();
  tenant = await storageTenant(h, 'local');
});
afterAll(() => h.close());

const bytes = new TextEncoder().encode('%PDF-1.4\n%%EOF\n');
const upload = (key: string, body: Record<string, unknown>) =>
  h.t.call('POST', '/v1/documents/uploads', {
    key,
    body: {
      owner_type: 'tenant',
      kind: 'agreement',
      content_type: 'application/pdf',
      size: bytes.byteLength,
      sha256: sha256(bytes),
      ...body,
    },
  });

describe('the upload policy', () => {
  it('refuses a disallowed content type with 415 and a document over the limit with 413', async () => {
    const html = await upload(tenant.key, { content_type: 'text/html' });
    expect(html.statusCode).toBe(415);
    expect(html.json()).toMatchObject({
      code: 'content_type_not_allowed',
      errors: [{ path: 'content_type' }],
    });
    const big = await upload(tenant.key, { size: 26 * 1024 * 1024 });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'document_too_large', errors: [{ path: 'size' }] });
  });

  it('is the tenant’s to set (admin), and applies at once', async () => {
    const set = await h.t.call('PUT', '/v1/documents/settings', {
      key: tenant.key,
      body: { max_bytes: 10, allowed_content_types: ['application/pdf', 'IMAGE/PNG'] },
    });
    expect(set.json()).toEqual({ max_bytes: 10, allowed_content_types: ['application/pdf', 'image/png'] });
    expect((await upload(tenant.key, {})).statusCode).toBe(413);
    expect((await upload(tenant.key, { content_type: 'text/plain', size: 1 })).statusCode).toBe(415);
    await h.t.call('PUT', '/v1/documents/settings', {
      key: tenant.key,
      body: { max_bytes: 1_000_000, allowed_content_types: ['application/pdf'] },
    });
    expect((await upload(tenant.key, {})).statusCode).toBe(201);
  });

  it('checks the body against the declared size when it is uploaded', async () => {
    const { upload: u } = await requestUpload(h, tenant.key, bytes);
    const longer = new Uint8Array([...bytes, 1, 2, 3]);
    expect((await put(u, longer)).status).toBe(413);
  });
});

describe('owners and tenants', () => {
  it('needs an owner of the tenant', async () => {
    const r = await upload(tenant.key, {
      owner_type: 'customer',
      owner_id: '0190a000-0000-7000-8000-000000000000',
    });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'unknown_owner', errors: [{ path: 'owner_id' }] });
    const missing = await upload(tenant.key, { owner_type: 'customer' });
    expect(missing.statusCode).toBe(400);
    const c = await h.t.call('POST', '/v1/customers', {
      key: tenant.key,
      body: { legal_name: 'Ada Borrower' },
    });
    const ok = await upload(tenant.key, { owner_type: 'customer', owner_id: c.json().id });
    expect(ok.statusCode).toBe(201);
    const listed = await h.t.call('GET', `/v1/documents?owner_type=customer&owner_id=${c.json().id}`, {
      key: tenant.key,
    });
    expect(listed.json().data.map((d: { id: string }) => d.id)).toEqual([ok.json().document.id]);
  });

  it('hides one tenant’s documents from another (404)', async () => {
    const other = await h.t.tenant('other');
    const { document } = await requestUpload(h, tenant.key, bytes);
    for (const [method, path] of [
      ['GET', `/v1/documents/${document.id}`],
      ['GET', `/v1/documents/${document.id}/download-url`],
      ['POST', `/v1/documents/${document.id}/confirm`],
      ['DELETE', `/v1/documents/${document.id}`],
    ] as const)
      expect((await h.t.call(method, path, { key: other.key })).statusCode).toBe(404);
    expect((await h.t.call('GET', '/v1/documents', { key: other.key })).json().data).toEqual([]);
  });

  it('answers 409 when the tenant has no document storage, and stores nothing', async () => {
    const bare = await h.t.tenant('bare');
    const r = await upload(bare.key, {});
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('document_storage_not_configured');
    expect((await h.t.call('GET', '/v1/documents', { key: bare.key })).json().data).toEqual([]);
  });
});

describe('local-store URLs', () => {
  it('refuse other documents’ keys, traversal and a signature moved to another document', async () => {
    const a = await requestUpload(h, tenant.key, bytes);
    const b = await requestUpload(h, tenant.key, bytes);
    const ua = new URL(a.upload.url);
    const moved = `${h.t.url}/v1/documents/local/${tenant.id}/${b.document.id}${ua.search}`;
    expect((await fetch(moved, { method: 'PUT', headers: a.upload.headers, body: bytes })).status).toBe(403);
    for (const path of [
      `/v1/documents/local/${tenant.id}/..%2F..%2F..%2Fetc%2Fpasswd${ua.search}`,
      `/v1/documents/local/..%2F${tenant.id}/${a.document.id}${ua.search}`,
      `/v1/documents/local/${tenant.id}/${a.document.id}%2F..${ua.search}`,
    ]) {
      const r = await fetch(`${h.t.url}${path}`);
      expect([403, 404]).toContain(r.status);
    }
    // A download URL is not an upload URL.
    expect((await put(a.upload, bytes)).status).toBe(200);
    const link = (
      await h.t.call('GET', `/v1/documents/${a.document.id}/download-url`, { key: tenant.key })
    ).json();
    const asUpload = await fetch(link.url, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf' },
      body: bytes,
    });
    expect(asUpload.status).toBe(403);
  });
});
