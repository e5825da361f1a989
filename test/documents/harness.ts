import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { type S3TestServer, startS3Server } from '../support/s3-server.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const LOCAL_SECRET = 'local-signing-secret-0123456789abcdef';

/** A Plinth serving on loopback (presigned URLs are fetched for real) with a clock the tests can move. */
export interface DocumentsHarness {
  t: TestApp;
  s3: S3TestServer;
  dataDir: string;
  /** Milliseconds added to the real clock for Plinth's `now`. */
  shift(ms: number): void;
  close(): Promise<void>;
}

export async function startDocumentsHarness(): Promise<DocumentsHarness> {
  const s3 = await startS3Server({ buckets: ['documents'] });
  const dataDir = mkdtempSync(join(tmpdir(), 'plinth-documents-'));
  let offset = 0;
  const t = await startTestApp({
    listen: true,
    now: () => new Date(Date.now() + offset),
    env: { PLINTH_DATA_DIR: dataDir },
  });
  return {
    t,
    s3,
    dataDir,
    shift: (ms) => {
      offset = ms;
    },
    async close() {
      await t.close();
      await s3.stop();
    },
  };
}

export type StorageKind = 's3' | 'local';

export function storageConfig(h: DocumentsHarness, kind: StorageKind): Record<string, unknown> {
  return kind === 's3'
    ? {
        bucket: 'documents',
        region: h.s3.region,
        access_key_id: h.s3.accessKeyId,
        secret_access_key: h.s3.secretAccessKey,
        endpoint: h.s3.endpoint,
        force_path_style: true,
      }
    : { signing_secret: LOCAL_SECRET };
}

/** A tenant whose default document storage is `kind`. */
export async function storageTenant(h: DocumentsHarness, kind: StorageKind) {
  const tenant = await h.t.tenant(`documents-${kind}`);
  const r = await h.t.call('POST', '/v1/provider-configs', {
    key: tenant.key,
    body: {
      label: kind,
      service_type: 'document_storage',
      provider_key: kind,
      config: storageConfig(h, kind),
      is_default: true,
    },
  });
  if (r.statusCode !== 201) throw new Error(`provider config: ${r.body}`);
  return { ...tenant, configId: r.json().id as string };
}

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export interface Upload {
  document: { id: string; status: string; content_type: string };
  upload: { method: string; url: string; headers: Record<string, string>; expires_at: string };
}

export async function requestUpload(
  h: DocumentsHarness,
  key: string,
  bytes: Uint8Array,
  over: Record<string, unknown> = {},
): Promise<Upload> {
  const r = await h.t.call('POST', '/v1/documents/uploads', {
    key,
    body: {
      owner_type: 'tenant',
      kind: 'agreement',
      filename: 'agreement.pdf',
      content_type: 'application/pdf',
      size: bytes.byteLength,
      sha256: sha256(bytes),
      ...over,
    },
  });
  if (r.statusCode !== 201) throw new Error(`upload request: ${r.statusCode} ${r.body}`);
  return r.json();
}

export const put = (u: Upload['upload'], body: Uint8Array, headers: Record<string, string> = u.headers) =>
  fetch(u.url, { method: 'PUT', headers, body });
