import { createHash, randomFillSync } from 'node:crypto';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID_RE.test(value);

let lastMs = 0;
let seq = 0;

// Random bytes are drawn from a pool refilled 4 KiB at a time: one system call per 409 ids instead of one per id
// (ids are minted on every card decision, several per request).
const POOL = Buffer.alloc(4096);
let poolOffset = POOL.length;
function random10(into: Buffer): void {
  if (poolOffset + 10 > POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  POOL.copy(into, 6, poolOffset, poolOffset + 10);
  poolOffset += 10;
}

/**
 * UUIDv7 (RFC 9562): time-ordered, so primary-key inserts append to the index instead of scattering.
 * Within one millisecond a 12-bit counter in rand_a keeps ids from this process monotonic.
 */
export function uuidv7(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    seq++;
    if (seq > 0xfff) {
      lastMs++;
      seq = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    seq = 0;
  }
  const b = Buffer.allocUnsafe(16);
  random10(b);
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The 16 raw bytes of a UUID (used as the HKDF salt for per-tenant keys). */
export function uuidBytes(id: string): Buffer {
  if (!isUuid(id)) throw new TypeError('not a UUID');
  return Buffer.from(id.replaceAll('-', ''), 'hex');
}

/**
 * A name-based UUID (RFC 9562 version 5: SHA-1 of the parts): the same parts always give the same id, so a thing
 * identified by what it is (a tenant's closed day) is recorded once however often it is derived.
 */
export function nameUuid(...parts: readonly string[]): string {
  const b = createHash('sha1').update(parts.join('\u0000')).digest().subarray(0, 16);
  b[6] = 0x50 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
