// Generates the console's API types (console/src/api/schema.d.ts) from the OpenAPI document the API serves, so the
// console's calls are checked against the routes' real paths, parameters and bodies. `npm run console:types`;
// test/console/openapi-types.test.ts fails when the committed file is stale.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const { openApiDocument } = await import('../src/cli/openapi.ts');
const { schemaTypes } = await import('./schema-types.ts');
writeFileSync(join(here, 'src', 'api', 'schema.d.ts'), await schemaTypes(await openApiDocument()));
console.log('wrote console/src/api/schema.d.ts');
