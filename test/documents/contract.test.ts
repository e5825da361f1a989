import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DocumentsHarness,
  put,
  requestUpload,
  type StorageKind,
  sha256,
  startDocumentsHarness,
  storageTenant,
} from './harness.js';

// The document_storage contract, run against every provider of it through Plinth: S3 (the AWS SDK against a
// signature-checking S3 server on loopback) and the local store (files under PLINTH_DATA_DIR, URLs served by
// Plinth). Presigned URLs are fetched for real.
let h: DocumentsHarness;
beforeAll(async () => {
  h = await startDocumentsHarness();
});
afterAll(() => h.close());

const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.4\n% ${text}\n%%EOF\n`);

describe.each<StorageKind>(['s3', 'local'])('document_storage: %s', (kind) => {
  let tenant: Awaited<ReturnType<typeof storageTenant>>;
  beforeAll(async () => {
    tenant = await storageTenant(h, kind);
  });

  it('uploads by presigned URL, confirms against size and hash, and downloads by presigned URL', async () => {
    const bytes = pdf('signed agreement');
    const { document, upload } = await requestUpload(h, tenant.key, bytes);
    expect(document.status).toBe('pending_upload');
    expect(upload).toMatchObject({ method: 'PUT', headers: { 'content-type': 'application/pdf' } });
    expect(new URL(upload.url).protocol).toBe('http:');
    expect((await put(upload, bytes)).status).toBe(200);
    const confirmed = await h.t.call('POST', `/v1/documents/${document.id}/confirm`, { key: tenant.key });
    expect(confirmed.json()).toMatchObject({
      status: 'stored',
      size: bytes.byteLength,
      sha256: sha256(bytes),
    });

    const link = (
      await h.t.call('GET', `/v1/documents/${document.id}/download-url`, { key: tenant.key })
    ).json();
    expect(link.method).toBe('GET');
    const got = await fetch(link.url);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toContain('agreement.pdf');
    expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  });

  it('never stores a body that is not the declared one', async () => {
    const bytes = pdf('the real one');
    const other = pdf('the fake one');
    const { document, upload } = await requestUpload(h, tenant.key, bytes);
    await put(upload, other); // same length, other hash: refused by the PUT (local) or by the confirmation (S3)
    const confirm = await h.t.call('POST', `/v1/documents/${document.id}/confirm`, { key: tenant.key });
    expect(confirm.statusCode).toBe(409);
    expect(['upload_mismatch', 'upload_missing']).toContain(confirm.json().code);
    const after = await h.t.call('GET', `/v1/documents/${document.id}`, { key: tenant.key });
    expect(after.json().status).toBe('pending_upload');
    // The right body is still accepted while the URL lives.
    expect((await put(upload, bytes)).status).toBe(200);
    const ok = await h.t.call('POST', `/v1/documents/${document.id}/confirm`, { key: tenant.key });
    expect(ok.json().status).toBe('stored');
  });

  it('binds the upload to its content type, and refuses tampered and expired URLs', async () => {
    const bytes = pdf('bound');
    const { document, upload } = await requestUpload(h, tenant.key, bytes);
    expect((await put(upload, bytes, { 'content-type': 'text/html' })).status).toBe(403);
    const tampered = new URL(upload.url);
    const sigName = kind === 's3' ? 'X-Amz-Signature' : 'signature';
    const sig = tampered.searchParams.get(sigName)!;
    tampered.searchParams.set(sigName, (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1));
    expect((await fetch(tampered, { method: 'PUT', headers: upload.headers, body: bytes })).status).toBe(403);
    expect((await put(upload, bytes)).status).toBe(200);
    await h.t.call('POST', `/v1/documents/${document.id}/confirm`, { key: tenant.key });

    h.shift(-2 * 3600_000); // a URL made two hours ago has expired
    const old = (
      await h.t.call('GET', `/v1/documents/${document.id}/download-url?expires_in=600`, { key: tenant.key })
    ).json();
    h.shift(0);
    expect((await fetch(old.url)).status).toBe(403);
  });

  it('stores and reads back the documents Plinth generates', async () => {
    const { documents } = h.t.ctx.documents;
    const scope = { tenantId: tenant.id, actor: { type: 'system' as const, id: null } };
    const bytes = pdf('a generated letter');
    const stored = await documents.store(scope, {
      owner: { type: 'tenant', id: null },
      kind: 'letter',
      contentType: 'application/pdf',
      filename: 'letter.pdf',
      bytes,
    });
    expect(stored.ok && stored.value.status).toBe('stored');
    if (!stored.ok) return;
    const read = await documents.read(scope, stored.value.id);
    expect(read.ok && Buffer.from(read.value.bytes).equals(Buffer.from(bytes))).toBe(true);
    expect(stored.value.sha256).toBe(sha256(bytes));
  });

  it('deletes: the object is gone and no URL is issued any more', async () => {
    const bytes = pdf('to delete');
    const { document, upload } = await requestUpload(h, tenant.key, bytes);
    await put(upload, bytes);
    await h.t.call('POST', `/v1/documents/${document.id}/confirm`, { key: tenant.key });
    const link = (
      await h.t.call('GET', `/v1/documents/${document.id}/download-url`, { key: tenant.key })
    ).json();
    const deleted = await h.t.call('DELETE', `/v1/documents/${document.id}`, { key: tenant.key });
    expect(deleted.json()).toMatchObject({ status: 'deleted' });
    expect((await h.t.call('DELETE', `/v1/documents/${document.id}`, { key: tenant.key })).statusCode).toBe(
      200,
    );
    const again = await h.t.call('GET', `/v1/documents/${document.id}/download-url`, { key: tenant.key });
    expect(again.json().code).toBe('document_not_stored');
    expect([403, 404]).toContain((await fetch(link.url)).status);
  });
});
