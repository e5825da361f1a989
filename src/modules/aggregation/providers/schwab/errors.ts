import type { ProviderErrorKind } from '../../../../kernel/errors.js';
import type { ErrorContext } from '../../../../kernel/http-client.js';

/**
 * Schwab's error codes. The OAuth endpoints answer RFC 6749 bodies (`{"error": "invalid_grant", ...}`); the
 * Trader API answers `{"message", "errors": [...]}` or `{"errors": [{"status", "title"}]}` with no code, so those
 * map by HTTP status in the base client. Messages are never read.
 */
export const SCHWAB_PROVIDER = 'schwab';

export function schwabErrorCode(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  return typeof error === 'string' && error ? error : undefined;
}

const KINDS: Record<string, ProviderErrorKind> = {
  // The app key or secret is wrong: the tenant's provider configuration needs fixing, not the user.
  invalid_client: 'configuration',
  unauthorized_client: 'configuration',
  invalid_scope: 'configuration',
  // The code expired, was used, or was issued for another redirect URI: the user must authorize again.
  invalid_grant: 'authentication',
  // What Schwab answers for a refresh token that is expired, revoked or past its 7 days.
  unsupported_token_type: 'authentication',
  invalid_token: 'authentication',
  access_denied: 'authentication',
};

export function classifySchwabError({ vendorCode }: ErrorContext): ProviderErrorKind | undefined {
  return vendorCode === undefined ? undefined : KINDS[vendorCode];
}
