import { join } from 'node:path';

/** Node arguments that run the `plinth` CLI from the TypeScript sources (tests never run a stale build). */
export const CLI = ['--import', 'tsx', join(import.meta.dirname, '../../src/cli/main.ts')];
