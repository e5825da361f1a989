import { ApiError } from '../api/client.js';
import { toMinor } from './format.js';

/**
 * An amount typed in major units (blank: none given, the API's default applies), in minor units; a refusal naming
 * `amount` when it is not an amount in that currency, shown at the field like the API's own.
 */
export function optionalMinor(text: string, currency: string): number | undefined {
  if (!text.trim()) return undefined;
  const minor = toMinor(text, currency);
  if (minor === undefined)
    throw new ApiError(400, 'invalid', 'Check the amount.', [
      { path: 'amount', message: `an amount in ${currency}, like 123.45` },
    ]);
  return minor;
}

/** An amount that must be given. */
export function requiredMinor(text: string, currency: string): number {
  return optionalMinor(text.trim() ? text : '-', currency)!;
}
