import {
  awaitsDecision,
  type ParseFailure,
  type ParseResult,
  type PartialIds,
  parseFailure,
} from './messages.js';
import { parseJsonObject } from './relay.js';

/**
 * The check every relay applies to what it reads off the wire. PostgreSQL cannot store a NUL character (text columns
 * refuse it, jsonb refuses its escape) nor a UTF-16 surrogate without its pair (jsonb refuses it): a message that
 * holds one anywhere is invalid input, declined with its own reason, not a database failure that would leave the
 * relay answering its fallback.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is one of the characters this looks for.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

export const isStorable = (text: string): boolean => !UNSTORABLE.test(text);

/** The text with every character that cannot be stored replaced (for naming a field in a message). */
const printable = (text: string): string => text.replace(UNSTORABLE_ALL, '\ufffd');

/** The path of the first string, key or value, of `value` that cannot be stored; null when there is none. */
export function unstorableAt(value: unknown, path = '$'): string | null {
  if (typeof value === 'string') return isStorable(value) ? null : path;
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorableAt(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  for (const [key, v] of Object.entries(value)) {
    const at = `${path}.${printable(key)}`;
    if (!isStorable(key)) return at;
    const found = unstorableAt(v, at);
    if (found) return found;
  }
  return null;
}

const storableOrNull = (id: string | null): string | null => (id !== null && isStorable(id) ? id : null);

/**
 * Reads a relay's body: decodes the JSON, lets the adapter's mapper `read` it, and turns the result into an
 * `invalid_characters` decline when any text of the body cannot be stored. The mapper still reads the body first,
 * so the platform gets its answer in its own format (the ids it echoes, whether it waits for a decision), with only
 * the ids that can be stored. JSON can only carry these characters as `\u` escapes, so a body without one skips the
 * walk.
 */
export function readWire(
  rawBody: Buffer,
  read: (json: Record<string, unknown> | undefined) => ParseResult,
): ParseResult {
  const json = parseJsonObject(rawBody);
  const result = read(json);
  if (json === undefined || !rawBody.includes('\\u')) return result;
  const at = unstorableAt(json);
  return at === null ? result : unstorable(result, at);
}

function unstorable(result: ParseResult, at: string): ParseFailure {
  const ids: PartialIds = result.ok
    ? {
        externalId: result.message.externalId,
        messageId: result.message.messageId,
        cardId: result.message.cardId,
        // Stripe answers in the API version the event was rendered in (extras.apiVersion on a read message).
        wireVersion:
          typeof result.message.extras.apiVersion === 'string' ? result.message.extras.apiVersion : null,
      }
    : result.partialIds;
  return parseFailure(
    'invalid_characters',
    `${at} holds a NUL character or an unpaired UTF-16 surrogate, which cannot be stored`,
    awaitsDecision(result),
    {
      externalId: storableOrNull(ids.externalId),
      messageId: storableOrNull(ids.messageId),
      cardId: storableOrNull(ids.cardId),
      wireVersion: storableOrNull(ids.wireVersion),
    },
  );
}
