import type { FieldIssue } from './result.js';

/**
 * Text PostgreSQL cannot store, or stores as something else: the NUL character (text and jsonb refuse it) and a
 * lone UTF-16 surrogate (not a character at all: UTF-8 has no encoding for it, so a driver either fails or
 * silently substitutes U+FFFD, and jsonb refuses its `\ud800` escape). Valid surrogate pairs are ordinary text.
 */
const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored as text, or undefined when it can. */
export function unstorableText(s: string): string | undefined {
  const m = UNSTORABLE.exec(s);
  if (!m) return undefined;
  return m[0] === '\0' ? 'contains a NUL character' : 'contains a lone UTF-16 surrogate (not valid Unicode)';
}

/**
 * Deeper than any document Plinth reads; a hostile one (arrays nested thousands deep) is refused here rather than
 * walked into a stack overflow or let through unchecked.
 */
const MAX_DEPTH = 64;

/**
 * Every string, and every object key, in a parsed JSON value (or a query or params object) that cannot be stored
 * as text, as field issues with dotted paths under `prefix`. A key that is itself unstorable is named by its
 * JSON spelling, so the path stays readable.
 */
export function unstorableFields(value: unknown, prefix?: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const path = (parts: readonly string[]) =>
    [prefix, ...parts].filter((p) => p !== undefined && p !== '').join('.') || '(root)';
  const walk = (v: unknown, at: string[], depth: number): void => {
    if (typeof v === 'string') {
      const why = unstorableText(v);
      if (why) issues.push({ path: path(at), message: why });
      return;
    }
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return;
    if (depth >= MAX_DEPTH) {
      issues.push({ path: path(at), message: `nested more than ${MAX_DEPTH} levels deep` });
      return;
    }
    if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) walk(item, [...at, String(i)], depth + 1);
      return;
    }
    for (const [k, item] of Object.entries(v)) {
      const why = unstorableText(k);
      if (why) {
        issues.push({ path: path([...at, JSON.stringify(k)]), message: `the field name ${why}` });
        continue;
      }
      walk(item, [...at, k], depth + 1);
    }
  };
  walk(value, [], 0);
  return issues;
}

/** A fast, well-spread 32-bit hash of a string (FNV-1a), for sharding work by key; not for security. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
