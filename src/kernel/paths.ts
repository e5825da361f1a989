import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's root folder (where package.json is), found by walking up from this file, so files that are not
 * code (migrations, SQL sources, the console's build) are found the same from the TypeScript sources (tsx) and from
 * the compiled JavaScript (dist/).
 */
function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'plinth'
    )
      return dir;
    if (dirname(dir) === dir) throw new Error(`no plinth package.json above ${start}`);
  }
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
