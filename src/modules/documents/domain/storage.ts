import type { ProviderDefinition } from '../../../providers/index.js';

/**
 * The `document_storage` capability (the seed's DocumentStorageProtocol): presigned upload and download URLs and
 * deletion, plus `put` and `get` for the documents Plinth generates itself (letters, statements, reports). Keys are
 * made by Plinth (`<tenant id>/<document id>`), never by a caller. Failures are `ProviderError`s (kernel/errors).
 */

/** A request a client makes without Plinth's credentials: a URL that expires, and the headers it must send. */
export interface PresignedRequest {
  method: 'PUT' | 'GET';
  /**
   * Absolute for stores the client reaches directly (S3); a path on Plinth for stores Plinth serves itself (local),
   * which the documents service makes absolute with the public URL.
   */
  url: string;
  /** Headers the request must carry exactly as given (a signed upload binds its content type). */
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface UploadUrlOptions {
  contentType: string;
  /** The declared size in bytes. */
  size: number;
  expiresInSeconds: number;
}

export interface DownloadUrlOptions {
  contentType: string;
  /** Offered to the browser as the file's name (Content-Disposition). */
  filename?: string | null;
  expiresInSeconds: number;
}

export interface DocumentStorage {
  getUploadUrl(key: string, opts: UploadUrlOptions): Promise<PresignedRequest>;
  getDownloadUrl(key: string, opts: DownloadUrlOptions): Promise<PresignedRequest>;
  /** Removes the object; deleting one that is not there is not an error. */
  delete(key: string): Promise<void>;
  put(key: string, bytes: Uint8Array, opts: { contentType: string }): Promise<void>;
  /** The object's bytes, or undefined when there is none. */
  get(key: string): Promise<Uint8Array | undefined>;
}

export type StorageDefinition<C = unknown> = ProviderDefinition<C, DocumentStorage>;
