import { ProviderError } from '../../../../kernel/errors.js';

/** Twilio error codes that describe the message or recipient: retrying cannot help. */
const REJECTED = new Set([
  21211, // To is not a valid phone number
  21212, // From is not a valid phone number
  21266, // To and From are the same
  21408, // region not enabled
  21602, // Body required
  21603, // From required
  21604, // To required
  21606, // From is not a number of the account
  21608, // unverified number (trial)
  21609, // invalid StatusCallback
  21610, // the recipient replied STOP
  21612, // cannot route to this number
  21614, // not a mobile number
  21617, // body over 1600 characters
]);

/** Twilio's REST errors by their `code` (and HTTP status for the rest); no status means the network failed. */
export function twilioError(e: unknown): ProviderError {
  if (e instanceof ProviderError) return e;
  const r = e as { status?: number; code?: number | string; message?: string };
  const code = typeof r.code === 'number' ? r.code : undefined;
  const details = {
    provider: 'twilio',
    status: r.status,
    vendorCode: r.code === undefined ? undefined : String(r.code),
    cause: e,
  };
  const message = r.message ?? 'Twilio request failed';
  if (code !== undefined && REJECTED.has(code)) return new ProviderError('rejected', message, details);
  if (r.status === 401 || code === 20003) return new ProviderError('authentication', message, details);
  if (r.status === 429 || code === 20429) return new ProviderError('rate_limited', message, details);
  if (r.status === undefined || r.status >= 500) return new ProviderError('unavailable', message, details);
  if (r.status === 400) return new ProviderError('rejected', message, details);
  return new ProviderError('invalid_response', message, details);
}
