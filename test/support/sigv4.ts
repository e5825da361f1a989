import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * AWS Signature Version 4 as S3 checks it, for the test S3 server: s3rver accepts any SigV4 request from a known
 * access key without checking the signature, so the server's front checks it here (Authorization header and
 * presigned query alike), with S3's error codes: a wrong secret, a tampered URL or an expired one is refused.
 */

export interface S3Failure {
  status: number;
  code: string;
  message: string;
}

export interface SignedRequest {
  method: string;
  /** The request target as received: path and query, still percent-encoded. */
  url: string;
  headers: IncomingHttpHeaders;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

const fail = (status: number, code: string, message: string): S3Failure => ({ status, code, message });
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding, as SigV4 canonicalizes (encodeURIComponent leaves !'()* alone). */
const encode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** `X-Amz-Date` format: 20261206T230451Z. */
function parseAmzDate(v: string | undefined): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v ?? '');
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : null;
}

function canonicalQuery(query: string, without: string): string {
  return query
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const i = p.indexOf('=');
      const [k, v] = i < 0 ? [p, ''] : [p.slice(0, i), p.slice(i + 1)];
      return [encode(decode(k)), encode(decode(v))] as const;
    })
    .filter(([k]) => k !== without)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function canonicalHeaders(headers: IncomingHttpHeaders, names: string[]): string {
  return names
    .map((n) => {
      const v = headers[n];
      const value = (Array.isArray(v) ? v.join(',') : (v ?? '')).trim().replace(/\s+/g, ' ');
      return `${n}:${value}\n`;
    })
    .join('');
}

interface Parsed {
  accessKeyId: string;
  scope: string[];
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  payloadHash: string;
  presigned: boolean;
  expires: number;
}

function parse(req: SignedRequest, query: URLSearchParams): Parsed | S3Failure | null {
  const auth = req.headers.authorization;
  if (query.has('X-Amz-Algorithm')) {
    const credential = (query.get('X-Amz-Credential') ?? '').split('/');
    const expires = Number(query.get('X-Amz-Expires'));
    if (
      query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' ||
      credential.length !== 5 ||
      !Number.isInteger(expires)
    )
      return fail(
        400,
        'AuthorizationQueryParametersError',
        'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
      );
    if (expires > 604800)
      return fail(
        400,
        'AuthorizationQueryParametersError',
        'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
      );
    return {
      accessKeyId: credential[0]!,
      scope: credential.slice(1),
      signedHeaders: (query.get('X-Amz-SignedHeaders') ?? '').split(';'),
      signature: query.get('X-Amz-Signature') ?? '',
      amzDate: query.get('X-Amz-Date') ?? '',
      payloadHash: query.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
      presigned: true,
      expires,
    };
  }
  if (!auth) return null;
  const m = /^AWS4-HMAC-SHA256 Credential=([^,]+),\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]+)$/.exec(
    auth,
  );
  if (!m) return fail(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
  const credential = m[1]!.split('/');
  const payloadHash = req.headers['x-amz-content-sha256'];
  if (typeof payloadHash !== 'string')
    return fail(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  return {
    accessKeyId: credential[0]!,
    scope: credential.slice(1),
    signedHeaders: m[2]!.split(';'),
    signature: m[3]!,
    amzDate: String(req.headers['x-amz-date'] ?? ''),
    payloadHash,
    presigned: false,
    expires: 0,
  };
}

/** Null when the request is signed by `creds` and still valid; otherwise S3's refusal. */
export function verifySigV4(req: SignedRequest, creds: Credentials, now = new Date()): S3Failure | null {
  const q = req.url.indexOf('?');
  const rawPath = q < 0 ? req.url : req.url.slice(0, q);
  const rawQuery = q < 0 ? '' : req.url.slice(q + 1);
  const p = parse(req, new URLSearchParams(rawQuery));
  if (p === null) return fail(403, 'AccessDenied', 'Access Denied');
  if ('code' in p) return p;
  if (p.accessKeyId !== creds.accessKeyId)
    return fail(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
    );
  const [day, region, service, terminator] = p.scope;
  if (region !== creds.region || service !== 's3' || terminator !== 'aws4_request')
    return fail(
      400,
      p.presigned ? 'AuthorizationQueryParametersError' : 'AuthorizationHeaderMalformed',
      `The authorization header is malformed; the region '${region}' is wrong; expecting '${creds.region}'`,
    );
  const date = parseAmzDate(p.amzDate);
  if (!date || p.amzDate.slice(0, 8) !== day)
    return fail(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  if (p.presigned && now.getTime() > date.getTime() + p.expires * 1000)
    return fail(403, 'AccessDenied', 'Request has expired');
  if (!p.presigned && Math.abs(now.getTime() - date.getTime()) > 15 * 60_000)
    return fail(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
    );
  if (!p.signedHeaders.includes('host'))
    return fail(403, 'AccessDenied', 'There were headers present in the request which were not signed');
  const canonicalPath = rawPath
    .split('/')
    .map((s) => encode(decode(s)))
    .join('/');
  const canonical = [
    req.method,
    canonicalPath,
    canonicalQuery(rawQuery, 'X-Amz-Signature'),
    canonicalHeaders(req.headers, p.signedHeaders),
    p.signedHeaders.join(';'),
    p.payloadHash,
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', p.amzDate, p.scope.join('/'), sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, day!), region), 's3'), 'aws4_request');
  const expected = createHmac('sha256', key).update(stringToSign).digest();
  const given = Buffer.from(p.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return fail(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
  return null;
}
