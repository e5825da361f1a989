import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The local store's URLs, served by Plinth itself: `op`, `key`, the expiry (Unix seconds) and for uploads the
 * content type and size are bound by an HMAC-SHA256 under the config's signing secret, so a URL can be used only
 * for what it was made for, only until it expires, and not for another key.
 */
export type LocalOp = 'put' | 'get';

export interface SignedParams {
  op: LocalOp;
  key: string;
  /** Unix seconds. */
  expires: number;
  contentType?: string;
  size?: number;
}

function canonical(p: SignedParams): string {
  return ['plinth-local-v1', p.op, p.key, String(p.expires), p.contentType ?? '', String(p.size ?? '')].join(
    '\n',
  );
}

export const signLocal = (secret: string, p: SignedParams): string =>
  createHmac('sha256', secret).update(canonical(p)).digest('hex');

/** The query string of a signed URL (the key is in the path). */
export function signedQuery(secret: string, p: SignedParams): string {
  const q = new URLSearchParams({ op: p.op, expires: String(p.expires) });
  if (p.contentType !== undefined) q.set('type', p.contentType);
  if (p.size !== undefined) q.set('size', String(p.size));
  q.set('signature', signLocal(secret, p));
  return q.toString();
}

export type Verified =
  | { ok: true; params: SignedParams }
  | { ok: false; reason: 'invalid_signature' | 'expired' };

/** Checks a URL's query for `key` (constant time), then its expiry against `nowMs`. */
export function verifyLocal(
  secret: string,
  key: string,
  query: Record<string, string | undefined>,
  nowMs: number,
): Verified {
  const { op, expires, type, size, signature } = query;
  if ((op !== 'put' && op !== 'get') || !expires || !/^\d{1,12}$/.test(expires) || !signature)
    return { ok: false, reason: 'invalid_signature' };
  if (size !== undefined && !/^\d{1,15}$/.test(size)) return { ok: false, reason: 'invalid_signature' };
  const params: SignedParams = {
    op,
    key,
    expires: Number(expires),
    ...(type !== undefined && { contentType: type }),
    ...(size !== undefined && { size: Number(size) }),
  };
  const expected = Buffer.from(signLocal(secret, params), 'hex');
  const given = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(32);
  if (!timingSafeEqual(expected, given) || !/^[0-9a-f]{64}$/.test(signature))
    return { ok: false, reason: 'invalid_signature' };
  if (params.expires * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, params };
}
