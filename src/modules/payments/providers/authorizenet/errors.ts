import { ProviderError, type ProviderErrorKind } from '../../../../kernel/errors.js';

/**
 * Authorize.Net answers HTTP 200 to everything; failures are in `messages` (`resultCode: Error`) with an E000xx
 * code. Those codes onto the kernel's kinds; a transaction's own outcome (declined, error) is in its
 * `transactionResponse` and is mapped in mappers.ts, not here.
 */
const BY_CODE: Record<string, ProviderErrorKind> = {
  // The API could not process the request right now.
  E00001: 'unavailable',
  E00053: 'unavailable',
  // Credentials or the account.
  E00007: 'authentication',
  E00008: 'authentication',
  E00011: 'authentication',
  E00059: 'authentication',
  // A request Plinth built badly: a bug or a misconfiguration, never worth repeating.
  E00003: 'rejected',
  E00013: 'rejected',
  E00014: 'rejected',
  E00015: 'rejected',
  // Not found, a duplicate profile, a spent Accept.js nonce.
  E00040: 'rejected',
  E00039: 'rejected',
  E00114: 'rejected',
};

export function anetError(code: string, operation: string, status?: number): ProviderError {
  return new ProviderError(BY_CODE[code] ?? 'rejected', `authorizenet ${operation}: ${code}`, {
    provider: 'authorizenet',
    vendorCode: code,
    status,
  });
}
