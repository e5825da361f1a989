import type { Scope } from '../../../kernel/audit.js';
import { ProviderError } from '../../../kernel/errors.js';
import { err, type Failure, failure, ok, type Result } from '../../../kernel/result.js';
import type { DocumentKind, OwnerType } from '../domain/policy.js';
import type { DocumentRow } from '../tables.js';

// What the documents service takes and answers, and how it reports a storage provider's failure.

export type Document = DocumentRow;

export interface Owner {
  type: OwnerType;
  /** Null for the tenant itself. */
  id: string | null;
}

/** Whether an owner exists in the caller's tenant, and the lending program whose providers serve it. */
export type OwnerLookup = (scope: Scope, owner: Owner) => Promise<{ programId: string | null } | undefined>;

export interface UploadRequest {
  owner: Owner;
  kind: DocumentKind;
  filename?: string | null;
  contentType: string;
  size: number;
  sha256: string;
}

export interface NewDocument {
  owner: Owner;
  kind: DocumentKind;
  filename?: string | null;
  contentType: string;
  bytes: Uint8Array;
  /** The program whose storage serves it (a loan's), when the caller knows it. */
  programId?: string | null;
}

/** How long an upload URL lives, and the bounds of a download URL's life (S3 allows at most seven days). */
export const UPLOAD_URL_SECONDS = 15 * 60;
export const DOWNLOAD_URL_SECONDS = { default: 5 * 60, min: 10, max: 7 * 24 * 3600 };

export const notConfigured = failure(
  'conflict',
  'document_storage_not_configured',
  'no document storage provider is configured for this tenant (POST /v1/provider-configs)',
);

/** A provider failure as the API reports it: the kind, never the vendor's text. */
export function storageFailure(e: unknown): Failure {
  if (!(e instanceof ProviderError)) throw e;
  return failure('unavailable', 'document_storage_error', `document storage failed: ${e.kind}`, {
    extra: { provider_error: e.kind, ...(e.details.vendorCode && { vendor_code: e.details.vendorCode }) },
  });
}

/** Runs a storage call; a provider failure becomes the API's failure. */
export async function attempt<T>(work: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await work());
  } catch (e) {
    return err(storageFailure(e));
  }
}
