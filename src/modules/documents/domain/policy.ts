import { createHash } from 'node:crypto';
import { err, type Failure, failure, ok, type Result } from '../../../kernel/result.js';

/** A tenant's upload policy: the largest document it accepts and the content types it allows. */
export interface DocumentPolicy {
  maxBytes: number;
  allowedContentTypes: readonly string[];
}

export const DEFAULT_POLICY: DocumentPolicy = {
  maxBytes: 25 * 1024 * 1024,
  allowedContentTypes: [
    'application/pdf',
    'image/png',
    'image/jpeg',
    'image/tiff',
    'image/heic',
    'text/plain',
    'text/csv',
  ],
};

/** S3's largest single PUT: a policy may not promise more. */
export const MAX_DOCUMENT_BYTES = 5 * 1024 ** 3;

export const OWNER_TYPES = ['customer', 'loan', 'tenant'] as const;
export type OwnerType = (typeof OWNER_TYPES)[number];

export const DOCUMENT_KINDS = [
  'agreement',
  'identity',
  'income',
  'statement',
  'letter',
  'notice',
  'report',
  'other',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_STATUSES = ['pending_upload', 'stored', 'deleted'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** `type/subtype` in lower case without parameters (`application/pdf; charset=x` → `application/pdf`). */
export function mediaType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

export const CONTENT_TYPE_RE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/** Whether a document of this type and size may be stored: 415 for a type not allowed, 413 for one too large. */
export function checkDocument(
  policy: DocumentPolicy,
  doc: { contentType: string; size: number },
  paths = { contentType: 'content_type', size: 'size' },
): Result<void> {
  const type = mediaType(doc.contentType);
  if (!policy.allowedContentTypes.includes(type))
    return err(
      failure('unsupported_media', 'content_type_not_allowed', `${type} documents are not accepted`, {
        fields: [{ path: paths.contentType, message: `allowed: ${policy.allowedContentTypes.join(', ')}` }],
        extra: { allowed_content_types: policy.allowedContentTypes },
      }),
    );
  if (doc.size > policy.maxBytes)
    return err(
      failure('too_large', 'document_too_large', `the document is larger than ${policy.maxBytes} bytes`, {
        fields: [{ path: paths.size, message: `must be at most ${policy.maxBytes}` }],
        extra: { max_bytes: policy.maxBytes },
      }),
    );
  return ok(undefined);
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The object key of a document: made by Plinth, never by a caller, so it holds no path a caller chose. */
export const storageKey = (tenantId: string, documentId: string): string => `${tenantId}/${documentId}`;

/** The tenant and document a key names, when it is one of ours. */
export function parseStorageKey(key: string): { tenantId: string; documentId: string } | undefined {
  const m = /^([0-9a-f-]{36})\/([0-9a-f-]{36})$/.exec(key);
  return m ? { tenantId: m[1]!, documentId: m[2]! } : undefined;
}

/** Why an uploaded object is not the declared one (size, then SHA-256), or undefined when it is. */
export function uploadMismatch(
  doc: { sizeBytes: number; sha256: string },
  bytes: Uint8Array,
): Failure | undefined {
  if (bytes.byteLength !== doc.sizeBytes)
    return failure(
      'conflict',
      'upload_mismatch',
      `the uploaded object has ${bytes.byteLength} bytes, not ${doc.sizeBytes}`,
      {
        fields: [{ path: 'size', message: 'does not match the upload' }],
      },
    );
  if (sha256Hex(bytes) !== doc.sha256)
    return failure('conflict', 'upload_mismatch', 'the uploaded object does not have the declared SHA-256', {
      fields: [{ path: 'sha256', message: 'does not match the upload' }],
    });
  return undefined;
}
