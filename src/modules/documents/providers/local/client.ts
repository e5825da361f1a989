import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { ConfigurationError } from '../../../../kernel/errors.js';
import type {
  DocumentStorage,
  DownloadUrlOptions,
  PresignedRequest,
  UploadUrlOptions,
} from '../../domain/storage.js';
import { localError } from './errors.js';
import { type SignedParams, signedQuery, type Verified, verifyLocal } from './signing.js';

/** Where the local store's URLs are served (documents/local/routes.ts). */
export const LOCAL_ROUTE = '/v1/documents/local';

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/**
 * A key as a path under the root, or an error. Keys are Plinth's own (`<tenant>/<document>`), but a URL carries
 * one, so every segment is checked (no `.` or `..`, no separators or control characters) and the resolved path
 * must still lie under the root.
 */
export function pathUnder(root: string, key: string): string {
  const segments = key.split('/');
  if (
    segments.length === 0 ||
    segments.length > 8 ||
    !segments.every((s) => SEGMENT.test(s) && !/^\.+$/.test(s))
  )
    throw new ConfigurationError(`invalid document key`, 'invalid_document_key');
  const path = resolve(root, ...segments);
  if (!path.startsWith(root + sep))
    throw new ConfigurationError(`invalid document key`, 'invalid_document_key');
  return path;
}

export const isValidKey = (root: string, key: string): boolean => {
  try {
    pathUnder(root, key);
    return true;
  } catch {
    return false;
  }
};

/**
 * Documents as files under `<PLINTH_DATA_DIR>/documents`, for development and single-host deployments. Its URLs
 * are paths on Plinth, signed with the config's secret; the documents module serves them.
 */
export class LocalStorage implements DocumentStorage {
  readonly root: string;

  constructor(private readonly opts: { root: string; signingSecret: string; now: () => Date }) {
    this.root = resolve(opts.root);
  }

  #url(params: SignedParams): PresignedRequest {
    const path = params.key.split('/').map(encodeURIComponent).join('/');
    return {
      method: params.op === 'put' ? 'PUT' : 'GET',
      url: `${LOCAL_ROUTE}/${path}?${signedQuery(this.opts.signingSecret, params)}`,
      headers: params.contentType && params.op === 'put' ? { 'content-type': params.contentType } : {},
      expiresAt: new Date(params.expires * 1000),
    };
  }

  #expires(seconds: number): number {
    return Math.floor(this.opts.now().getTime() / 1000) + seconds;
  }

  async getUploadUrl(key: string, o: UploadUrlOptions): Promise<PresignedRequest> {
    pathUnder(this.root, key);
    return this.#url({
      op: 'put',
      key,
      expires: this.#expires(o.expiresInSeconds),
      contentType: o.contentType,
      size: o.size,
    });
  }

  async getDownloadUrl(key: string, o: DownloadUrlOptions): Promise<PresignedRequest> {
    pathUnder(this.root, key);
    return this.#url({ op: 'get', key, expires: this.#expires(o.expiresInSeconds) });
  }

  /** Checks a URL this store made for `key` (signature, then expiry). */
  verify(key: string, query: Record<string, string | undefined>): Verified {
    if (!isValidKey(this.root, key)) return { ok: false, reason: 'invalid_signature' };
    return verifyLocal(this.opts.signingSecret, key, query, this.opts.now().getTime());
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const path = pathUnder(this.root, key);
    // Written aside and renamed: a reader never sees half a file, and a failed write leaves nothing behind.
    const temp = `${path}.${randomBytes(6).toString('hex')}.partial`;
    try {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFile(temp, bytes, { mode: 0o600 });
      await rename(temp, path);
    } catch (e) {
      await rm(temp, { force: true });
      throw localError(e, 'write');
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const path = pathUnder(this.root, key);
    try {
      return await readFile(path);
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return undefined;
      throw localError(e, 'read');
    }
  }

  async delete(key: string): Promise<void> {
    const path = pathUnder(this.root, key);
    try {
      await rm(path, { force: true });
    } catch (e) {
      throw localError(e, 'delete');
    }
  }
}
