import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { crc32 } from 'node:zlib';
import type { S3Failure } from './sigv4.js';

/**
 * What S3 does with an upload's body before storing it, done by the test server's front because s3rver does
 * not: it unwraps `aws-chunked` bodies (the AWS SDK v3 sends streams that way, with the checksum in a trailer)
 * and checks the body against `x-amz-content-sha256`, `Content-MD5` and `x-amz-checksum-*` from headers,
 * presigned query parameters or trailers, refusing a mismatch with `BadDigest` as S3 does.
 */

export interface DecodedBody {
  body: Buffer;
  trailers: Record<string, string>;
}

/** Unwraps `size[;chunk-signature=...]\r\n data \r\n ... 0\r\n trailers \r\n`. */
export function decodeAwsChunked(raw: Buffer): DecodedBody | S3Failure {
  const parts: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let at = 0;
  const line = () => {
    const end = raw.indexOf('\r\n', at);
    if (end < 0) return null;
    const text = raw.subarray(at, end).toString('latin1');
    at = end + 2;
    return text;
  };
  for (;;) {
    const header = line();
    const size = header === null ? Number.NaN : Number.parseInt(header.split(';')[0]!, 16);
    if (!Number.isFinite(size))
      return {
        status: 400,
        code: 'IncompleteBody',
        message: 'The request body is not valid aws-chunked encoding.',
      };
    if (size === 0) break;
    parts.push(raw.subarray(at, at + size));
    at += size + 2;
  }
  for (let t = line(); t; t = line()) {
    const i = t.indexOf(':');
    if (i > 0) trailers[t.slice(0, i).trim().toLowerCase()] = t.slice(i + 1).trim();
  }
  return { body: Buffer.concat(parts), trailers };
}

const ALGORITHMS: Record<string, (b: Buffer) => string | null> = {
  crc32: (b) => {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(crc32(b) >>> 0);
    return out.toString('base64');
  },
  sha1: (b) => createHash('sha1').update(b).digest('base64'),
  sha256: (b) => createHash('sha256').update(b).digest('base64'),
  // CRC32C and CRC64NVME need code Node does not ship; such checksums pass unchecked.
  crc32c: () => null,
  crc64nvme: () => null,
};

/** Null when every checksum the request carries matches `body`. */
export function checkBody(
  body: Buffer,
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
  trailers: Record<string, string>,
): S3Failure | null {
  const declared = headers['x-amz-content-sha256'];
  if (typeof declared === 'string' && /^[0-9a-f]{64}$/.test(declared))
    if (createHash('sha256').update(body).digest('hex') !== declared)
      return {
        status: 400,
        code: 'XAmzContentSHA256Mismatch',
        message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
      };
  const md5 = headers['content-md5'];
  if (typeof md5 === 'string' && createHash('md5').update(body).digest('base64') !== md5)
    return {
      status: 400,
      code: 'BadDigest',
      message: 'The Content-MD5 you specified did not match what we received.',
    };
  const queryLower = new Map([...query.entries()].map(([k, v]) => [k.toLowerCase(), v]));
  for (const [name, compute] of Object.entries(ALGORITHMS)) {
    const key = `x-amz-checksum-${name}`;
    const given = trailers[key] ?? (headers[key] as string | undefined) ?? queryLower.get(key);
    if (given === undefined) continue;
    const actual = compute(body);
    if (actual !== null && actual !== given)
      return {
        status: 400,
        code: 'BadDigest',
        message: `The ${name.toUpperCase()} you specified did not match the calculated checksum.`,
      };
  }
  return null;
}
