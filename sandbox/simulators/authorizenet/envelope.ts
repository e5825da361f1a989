import type { SimRequest, SimResponse } from '../shared/server.js';

/**
 * Authorize.Net's JSON envelope on `POST /xml/v1/request.api`: one root element naming the request
 * (`createTransactionRequest`, ...), `merchantAuthentication {name, transactionKey}` first, and the body of
 * every answer prefixed with a UTF-8 byte-order mark, always with HTTP 200 (errors are in
 * `messages.resultCode`). The JSON is translated to XML and checked against the XSD, so elements must come in
 * schema order; an element out of place is error E00003, as the gateway answers it.
 */
export type Json = Record<string, unknown>;

export interface ApiMessage {
  code: string;
  text: string;
}

export class AnetError extends Error {
  constructor(
    readonly code: string,
    text: string,
  ) {
    super(text);
  }
}

const BOM = '\uFEFF';
const NS = "in namespace 'AnetApi/xml/v1/schema/AnetApiSchema.xsd'";

export function answer(body: Json): SimResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: BOM + JSON.stringify(body),
  };
}

export const ok = (fields: Json, refId?: string): Json => ({
  ...fields,
  ...(refId !== undefined ? { refId } : {}),
  messages: { resultCode: 'Ok', message: [{ code: 'I00001', text: 'Successful.' }] },
});

export const failed = (code: string, text: string, fields: Json = {}, refId?: string): Json => ({
  ...fields,
  ...(refId !== undefined ? { refId } : {}),
  messages: { resultCode: 'Error', message: [{ code, text }] },
});

export function parseEnvelope(req: SimRequest): { root: string; body: Json } {
  let text = req.body.toString('utf8');
  if (text.startsWith(BOM)) text = text.slice(1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AnetError(
      'E00002',
      'The content-type specified is not supported. Only JSON or XML requests are accepted.',
    );
  }
  const keys = parsed && typeof parsed === 'object' ? Object.keys(parsed) : [];
  if (keys.length !== 1) throw new AnetError('E00003', 'Root element is missing.');
  const root = keys[0]!;
  const body = (parsed as Json)[root];
  if (!body || typeof body !== 'object')
    throw new AnetError('E00003', `The element '${root}' is incomplete.`);
  return { root, body: body as Json };
}

/** Checks an element's children against the schema's sequence, as the gateway's XSD validation does. */
export function checkOrder(
  element: string,
  obj: Json,
  sequence: readonly string[],
  required: readonly string[] = [],
): void {
  let at = 0;
  for (const key of Object.keys(obj)) {
    const i = sequence.indexOf(key);
    if (i < at) {
      const expected = sequence.slice(at).filter((k) => !Object.hasOwn(obj, k) || k === key);
      throw new AnetError(
        'E00003',
        `The element '${element}' ${NS} has invalid child element '${key}' ${NS}. List of possible elements expected: '${expected.join(', ')}' ${NS}.`,
      );
    }
    at = i + 1;
  }
  for (const r of required)
    if (!Object.hasOwn(obj, r))
      throw new AnetError(
        'E00003',
        `The element '${element}' ${NS} has incomplete content. List of possible elements expected: '${r}' ${NS}.`,
      );
}

export const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

export const child = (obj: Json, key: string): Json | undefined => {
  const v = obj[key];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
};

/** XML-derived JSON gives a repeated element as an object when it occurs once and as an array otherwise. */
export const many = (v: unknown): Json[] =>
  Array.isArray(v) ? (v as Json[]) : v && typeof v === 'object' ? [v as Json] : [];

/** Dollars as Authorize.Net takes them ("12.30", 12.3) to cents; undefined when not a valid amount. */
export function toCents(v: unknown): number | undefined {
  const s = text(v)?.trim();
  if (!s || !/^\d{1,13}(\.\d{1,2})?$/.test(s)) return undefined;
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

export const toDollars = (cents: number): number => cents / 100;

export const authenticationFailed = (): Json =>
  failed('E00007', 'User authentication failed due to invalid authentication values.');
