import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/cli/openapi.js';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/**
 * Every operation documents what it answers, so the console's types come from the API rather than from hand: a 2xx
 * response with a schema, or a 204 (no body). test/helpers/app.ts checks in every integration suite that those
 * schemas drop nothing a handler returns.
 */
describe('the OpenAPI document', () => {
  it('declares a 2xx response schema for every operation', async () => {
    const doc = (await openApiDocument()) as { paths: Record<string, Record<string, Operation>> };
    const missing: string[] = [];
    let operations = 0;
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        operations++;
        const ok = Object.entries(op.responses ?? {}).some(
          ([code, r]) =>
            code === '204' ||
            (code.startsWith('2') && Object.values(r.content ?? {}).some((m) => m.schema !== undefined)),
        );
        if (!ok) missing.push(`${method.toUpperCase()} ${path}`);
      }
    expect(operations).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  }, 120_000);
});
