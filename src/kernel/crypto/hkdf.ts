import { hkdfSync } from 'node:crypto';

/** HKDF (RFC 5869) with SHA-256: extract-then-expand, as implemented by Node's crypto (OpenSSL). */
export function hkdfSha256(ikm: Buffer, salt: Buffer, info: Buffer | string, length: number): Buffer {
  return Buffer.from(
    hkdfSync('sha256', ikm, salt, typeof info === 'string' ? Buffer.from(info) : info, length),
  );
}
