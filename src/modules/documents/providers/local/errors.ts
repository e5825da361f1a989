import { ProviderError, type ProviderErrorKind } from '../../../../kernel/errors.js';

/**
 * The local store's "vendor" is the filesystem: its error codes (errno names) map onto the kernel's kinds. A full
 * disk or too many open files may pass; permissions or a read-only filesystem are the deployment's to fix.
 */
const KINDS: Record<string, ProviderErrorKind> = {
  ENOSPC: 'unavailable',
  EMFILE: 'unavailable',
  ENFILE: 'unavailable',
  EBUSY: 'unavailable',
  EAGAIN: 'unavailable',
  EIO: 'unavailable',
  EACCES: 'configuration',
  EPERM: 'configuration',
  EROFS: 'configuration',
  ENOTDIR: 'configuration',
};

export function localError(e: unknown, operation: string): ProviderError {
  const code = (e as { code?: unknown }).code;
  const vendorCode = typeof code === 'string' ? code : undefined;
  const kind = (vendorCode ? KINDS[vendorCode] : undefined) ?? 'unavailable';
  return new ProviderError(kind, `local document storage: ${operation} failed (${vendorCode ?? 'error'})`, {
    provider: 'local',
    vendorCode,
    cause: e,
  });
}
