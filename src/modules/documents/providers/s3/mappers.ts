/** How Plinth's keys become S3 object keys, request paths and query strings. */

/** The object key under the config's prefix. */
export const objectKey = (prefix: string | undefined, key: string): string =>
  prefix ? `${prefix.replace(/\/+$/, '')}/${key}` : key;

/** Percent-encoding as SigV4 canonicalises it: RFC 3986 unreserved characters only (a space is %20). */
export const rfc3986 = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A key as S3 expects it in a request path: each segment percent-encoded. */
export const encodeKey = (key: string): string => key.split('/').map(rfc3986).join('/');
