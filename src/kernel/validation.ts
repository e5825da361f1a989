import type { z } from 'zod';
import type { FieldIssue } from './result.js';

export interface IssueLike {
  path: readonly PropertyKey[];
  code: string;
  message: string;
  keys?: readonly string[];
}

/**
 * Validation issues as field issues with dotted paths, optionally under a prefix (`config.api_key`). An unknown
 * field is reported by its own path rather than its parent's.
 */
export function toFieldIssues(issues: readonly IssueLike[], prefix?: string): FieldIssue[] {
  const join = (parts: readonly PropertyKey[]) =>
    [prefix, ...parts.map(String)].filter((p) => p !== undefined && p !== '').join('.') || '(root)';
  return issues.flatMap((i) =>
    i.code === 'unrecognized_keys' && i.keys?.length
      ? i.keys.map((k) => ({ path: join([...i.path, k]), message: 'unknown field' }))
      : [{ path: join(i.path), message: i.message }],
  );
}

export const fieldIssues = (error: z.ZodError, prefix?: string): FieldIssue[] =>
  toFieldIssues(error.issues as readonly IssueLike[], prefix);
