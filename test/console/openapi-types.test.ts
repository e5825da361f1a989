import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaTypes } from '../../console/schema-types.js';
import { openApiDocument } from '../../src/cli/openapi.js';
import { PROJECT_ROOT } from '../../src/kernel/paths.js';

describe("the console's API types", () => {
  it('are generated from the OpenAPI document the API serves (run `npm run console:types` after changing a route)', async () => {
    const committed = readFileSync(join(PROJECT_ROOT, 'console', 'src', 'api', 'schema.d.ts'), 'utf8');
    expect(await schemaTypes(await openApiDocument())).toBe(committed);
  }, 120_000);
});
