import type { z } from 'zod';
import type { FieldIssue } from './result.js';

/** zod issues as field issues with dotted paths, optionally under a prefix (`config.api_key`). */
export function fieldIssues(error: z.ZodError, prefix?: string): FieldIssue[] {
  return error.issues.map((i) => {
    const path = [prefix, ...i.path.map(String)].filter((p) => p !== undefined && p !== '').join('.');
    return { path: path || '(root)', message: i.message };
  });
}
