import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Fernet, exactly per https://github.com/fernet/spec (version 0x80): AES-128-CBC with PKCS#7 padding, then
 * HMAC-SHA256 over version ‖ timestamp ‖ IV ‖ ciphertext, all base64url with padding. Tokens are interchangeable
 * with any conforming implementation (e.g. Python's cryptography.fernet).
 */
const VERSION = 0x80;
const MAX_CLOCK_SKEW_SEC = 60;
const HEADER = 1 + 8 + 16; // version, timestamp, IV
const HMAC_LEN = 32;

export class FernetError extends Error {
  constructor(readonly reason: 'invalid_key' | 'invalid_token' | 'expired' | 'clock_skew') {
    super(`fernet: ${reason}`);
    this.name = 'FernetError';
  }
}

export interface FernetKey {
  signing: Buffer;
  encryption: Buffer;
}

const B64URL = /^[A-Za-z0-9_-]*={0,2}$/;

function decodeBase64Url(text: string): Buffer | undefined {
  if (!B64URL.test(text)) return undefined;
  return Buffer.from(text, 'base64url');
}

/** Parses a Fernet key: base64url of 32 bytes (signing key ‖ encryption key). */
export function parseFernetKey(text: string): FernetKey {
  const raw = decodeBase64Url(text.trim());
  if (raw?.length !== 32) throw new FernetError('invalid_key');
  return fernetKeyFromBytes(raw);
}

export function fernetKeyFromBytes(raw: Buffer): FernetKey {
  if (raw.length !== 32) throw new FernetError('invalid_key');
  return { signing: raw.subarray(0, 16), encryption: raw.subarray(16, 32) };
}

/** base64url WITH padding, as the Fernet spec and Python's urlsafe_b64encode produce. */
const encodeBase64Url = (b: Buffer): string => b.toString('base64').replaceAll('+', '-').replaceAll('/', '_');

export const generateFernetKey = (): string => encodeBase64Url(randomBytes(32));

export function fernetEncrypt(
  key: FernetKey,
  message: Buffer,
  opts: { now?: Date; iv?: Buffer } = {},
): string {
  const iv = opts.iv ?? randomBytes(16);
  const cipher = createCipheriv('aes-128-cbc', key.encryption, iv);
  const ciphertext = Buffer.concat([cipher.update(message), cipher.final()]);
  const header = Buffer.alloc(9);
  header[0] = VERSION;
  header.writeBigUInt64BE(BigInt(Math.floor((opts.now ?? new Date()).getTime() / 1000)), 1);
  const signed = Buffer.concat([header, iv, ciphertext]);
  const mac = createHmac('sha256', key.signing).update(signed).digest();
  return encodeBase64Url(Buffer.concat([signed, mac]));
}

export function fernetDecrypt(
  key: FernetKey,
  token: string,
  opts: { now?: Date; ttlSec?: number } = {},
): Buffer {
  const data = decodeBase64Url(token);
  if (!data || data.length < HEADER + 16 + HMAC_LEN || (data.length - HEADER - HMAC_LEN) % 16 !== 0) {
    throw new FernetError('invalid_token');
  }
  if (data[0] !== VERSION) throw new FernetError('invalid_token');
  const signed = data.subarray(0, data.length - HMAC_LEN);
  const mac = data.subarray(data.length - HMAC_LEN);
  const expected = createHmac('sha256', key.signing).update(signed).digest();
  if (!timingSafeEqual(mac, expected)) throw new FernetError('invalid_token');

  const issuedAt = Number(data.readBigUInt64BE(1));
  const now = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  if (opts.ttlSec !== undefined && issuedAt + opts.ttlSec < now) throw new FernetError('expired');
  if (issuedAt > now + MAX_CLOCK_SKEW_SEC) throw new FernetError('clock_skew');

  try {
    const decipher = createDecipheriv('aes-128-cbc', key.encryption, data.subarray(9, HEADER));
    return Buffer.concat([decipher.update(data.subarray(HEADER, data.length - HMAC_LEN)), decipher.final()]);
  } catch {
    throw new FernetError('invalid_token'); // bad padding
  }
}
