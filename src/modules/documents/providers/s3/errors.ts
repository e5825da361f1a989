import { ProviderError, type ProviderErrorKind } from '../../../../kernel/errors.js';

/**
 * S3's error codes (the `Code` of its XML error bodies, which the SDK gives as the exception's `name`), mapped onto
 * the kernel's kinds. Messages are never read. Network failures and timeouts are transient.
 */
const KINDS: Record<string, ProviderErrorKind> = {
  AccessDenied: 'authentication',
  InvalidAccessKeyId: 'authentication',
  SignatureDoesNotMatch: 'authentication',
  ExpiredToken: 'authentication',
  InvalidToken: 'authentication',
  NoSuchBucket: 'configuration',
  PermanentRedirect: 'configuration',
  AuthorizationHeaderMalformed: 'configuration',
  InvalidBucketName: 'configuration',
  SlowDown: 'rate_limited',
  ServiceUnavailable: 'unavailable',
  InternalError: 'unavailable',
  RequestTimeout: 'unavailable',
  RequestTimeTooSkewed: 'unavailable',
  BadDigest: 'rejected',
  InvalidDigest: 'rejected',
  EntityTooLarge: 'rejected',
  InvalidArgument: 'rejected',
  KeyTooLongError: 'rejected',
};

const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'TimeoutError',
  'AbortError',
]);

export function s3Error(e: unknown, operation: string): ProviderError {
  if (e instanceof ProviderError) return e;
  const x = e as { name?: string; code?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  const vendorCode = x.Code ?? (x.name && x.name !== 'Error' ? x.name : x.code);
  const status = x.$metadata?.httpStatusCode;
  let kind: ProviderErrorKind | undefined = vendorCode ? KINDS[vendorCode] : undefined;
  if (!kind && ((vendorCode && NETWORK.has(vendorCode)) || (x.code && NETWORK.has(x.code))))
    kind = 'unavailable';
  if (!kind && status !== undefined)
    kind =
      status === 429 || status === 503
        ? 'rate_limited'
        : status >= 500
          ? 'unavailable'
          : status === 401 || status === 403
            ? 'authentication'
            : 'rejected';
  return new ProviderError(
    kind ?? 'unavailable',
    `s3: ${operation} failed (${vendorCode ?? status ?? 'error'})`,
    {
      provider: 's3',
      vendorCode,
      status,
      cause: e,
    },
  );
}

export const isNoSuchKey = (e: unknown): boolean => {
  const x = e as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return x.name === 'NoSuchKey' || x.Code === 'NoSuchKey' || x.name === 'NotFound';
};
